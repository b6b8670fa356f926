import type { KpiDirection, KpiUnit } from '@pilotage/kpi';
import { formatKpiChange, formatKpiValue, numberLocale, type NumberFormatContext } from '../format/kpi-value.formatter';
import type { ReportLabels } from '../i18n/report-labels';
import {
  REPORT_CHANNEL_FIGURES,
  type ReportChannelFigureKey,
  type ReportChannelRow,
  type ReportChannels,
  type ReportSnapshot,
} from '../snapshot/report-snapshot';
import { changeTone, STATUS_TONES, type Tone } from './kpi-tones';

export interface ChannelCellView {
  readonly value: string;
  readonly hasValue: boolean;
  readonly change: { readonly text: string; readonly tone: Tone };
}

export interface ChannelRowView {
  readonly name: string;
  /** Note markers (a channel without ads, days missing), printed after the name. */
  readonly markers: string;
  readonly cells: readonly ChannelCellView[];
}

export interface ChannelTargetCellView {
  readonly target: string;
  readonly status: { readonly tone: string; readonly label: string } | null;
}

export interface CampaignRowView {
  readonly name: string;
  /** The note saying what a campaign without ads counts as clicks and conversions. */
  readonly markers: string;
  readonly channel: string;
  readonly spend: string;
  readonly clicks: string;
  readonly conversions: string;
  readonly costPerAcquisition: string;
  readonly roas: string;
}

export interface ChannelSectionView {
  readonly heading: string;
  readonly intro: string;
  readonly channelColumn: string;
  readonly columns: readonly string[];
  readonly rows: readonly ChannelRowView[];
  readonly total: ChannelRowView;
  readonly targetLabel: string;
  /** One cell per figure; null when the plan has no target for any of them. */
  readonly targets: readonly ChannelTargetCellView[] | null;
  readonly notes: readonly { readonly marker: string; readonly text: string }[];
  readonly campaigns: {
    readonly heading: string;
    readonly intro: string;
    readonly columns: {
      readonly campaign: string;
      readonly channel: string;
      readonly spend: string;
      readonly clicks: string;
      readonly conversions: string;
      readonly costPerAcquisition: string;
      readonly roas: string;
    };
    readonly rows: readonly CampaignRowView[];
  } | null;
}

/** Units of the figures: money for spend and the two costs, counts for the volumes, a multiple for ROAS. */
const UNITS: Readonly<Record<ReportChannelFigureKey, KpiUnit>> = {
  spend: 'CURRENCY',
  clicks: 'COUNT',
  costPerClick: 'CURRENCY',
  conversions: 'COUNT',
  costPerAcquisition: 'CURRENCY',
  roas: 'RATIO',
};

/** Whether a rise is good news: costs per click and per acquisition fall when things improve; spend is a budget choice (grey). */
const DIRECTIONS: Readonly<Record<ReportChannelFigureKey, KpiDirection | null>> = {
  spend: null,
  clicks: 'HIGHER_IS_BETTER',
  costPerClick: 'LOWER_IS_BETTER',
  conversions: 'HIGHER_IS_BETTER',
  costPerAcquisition: 'LOWER_IS_BETTER',
  roas: 'HIGHER_IS_BETTER',
};

/**
 * Whether the report shows a channel section: the weekly report is laid out per channel as soon
 * as values carry one (a client whose values all sit in OTHER, sent before channels existed or
 * by a tool that says none, has nothing to split: its one row would repeat the scorecard); the
 * monthly report adds the section only when the month has more than one channel.
 */
export function showsChannels(snapshot: ReportSnapshot): snapshot is ReportSnapshot & { channels: ReportChannels } {
  const channels = snapshot.channels;
  if (channels === undefined || channels === null || channels.channels.length === 0) return false;
  if (snapshot.period.kind === 'MONTHLY') return channels.channels.length > 1;
  return channels.channels.some((row) => row.channel !== 'OTHER');
}

/** The channel table, the total against its prorated targets and the top campaigns; null when the report shows none (see showsChannels). */
export function buildChannelView(snapshot: ReportSnapshot, labels: ReportLabels, context: NumberFormatContext): ChannelSectionView | null {
  if (!showsChannels(snapshot)) return null;
  const { channels } = snapshot;
  const text = labels.channels;
  const format = numberLocale(context);
  const value = (figure: number | null, key: ReportChannelFigureKey): string => formatKpiValue(figure, UNITS[key], context);

  const notes: { marker: string; text: string }[] = [];
  const markerOf = (noteText: string): string => {
    const existing = notes.find((note) => note.text === noteText);
    if (existing) return existing.marker;
    const marker = String(notes.length + 1);
    notes.push({ marker, text: noteText });
    return marker;
  };

  const rowView = (row: ReportChannelRow, name: string, isTotal: boolean): ChannelRowView => {
    const markers: string[] = [];
    if (row.basis === 'TRAFFIC') markers.push(markerOf(text.trafficNote(channels.conversionLabel)));
    if (isTotal && row.basis === 'ADS' && channels.channels.some((channel) => channel.basis === 'TRAFFIC')) markers.push(markerOf(text.adsTotalNote));
    if (row.daysWithData > 0 && row.daysWithData < row.daysInPeriod) markers.push(markerOf(text.partialNote(name, row.daysWithData, row.daysInPeriod)));
    return {
      name,
      markers: markers.join(','),
      cells: REPORT_CHANNEL_FIGURES.map((key) => {
        const figure = row.figures[key];
        const direction = DIRECTIONS[key];
        return {
          value: value(figure.value, key),
          hasValue: figure.value !== null,
          change: {
            text: formatKpiChange(figure.change, format),
            tone: direction === null ? 'neutral' : changeTone({ direction }, figure.change),
          },
        };
      }),
    };
  };

  const rows = channels.channels.map((row) => rowView(row, row.name, false));
  const total = rowView(channels.total, text.total, true);
  const targets =
    channels.total.targets.length === 0
      ? null
      : REPORT_CHANNEL_FIGURES.map((key): ChannelTargetCellView => {
          const target = channels.total.targets.find((candidate) => candidate.figure === key);
          if (target === undefined) return { target: '', status: null };
          return { target: value(target.target, key), status: { tone: STATUS_TONES[target.status], label: labels.status[target.status] } };
        });
  // Before the notes are returned: a campaign without ads points to the same note as such a channel.
  const campaignRows = channels.campaigns.map((campaign): CampaignRowView => ({
    name: campaign.campaign,
    markers: campaign.basis === 'TRAFFIC' ? markerOf(text.trafficNote(channels.conversionLabel)) : '',
    channel: campaign.channelNames.join(', '),
    spend: value(campaign.spend, 'spend'),
    clicks: value(campaign.clicks, 'clicks'),
    conversions: value(campaign.conversions, 'conversions'),
    costPerAcquisition: value(campaign.costPerAcquisition, 'costPerAcquisition'),
    roas: value(campaign.roas, 'roas'),
  }));
  return {
    heading: text.heading,
    intro: text.intro,
    channelColumn: text.channel,
    columns: REPORT_CHANNEL_FIGURES.map((key) => text.figures[key]),
    rows,
    total,
    targetLabel: text.target,
    targets,
    notes,
    campaigns:
      channels.campaigns.length === 0
        ? null
        : {
            heading: text.campaigns,
            intro: text.campaignsIntro,
            columns: {
              campaign: text.campaign,
              channel: text.channel,
              spend: text.figures.spend,
              clicks: text.figures.clicks,
              conversions: text.figures.conversions,
              costPerAcquisition: text.figures.costPerAcquisition,
              roas: text.figures.roas,
            },
            rows: campaignRows,
          },
  };
}
