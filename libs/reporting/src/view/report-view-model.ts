import { FUNNEL_STAGES, type FunnelStage, type Locale } from '@pilotage/kpi';
import { isHexColor, luminance, tint } from '../charts/chart-palette';
import { ReportChartRenderer } from '../charts/report-charts';
import {
  capitalizeFirst,
  formatAttainment,
  formatInstantDate,
  formatKpiChange,
  formatKpiValue,
  formatPeriodLabel,
  formatSeriesPeriod,
  numberLocale,
  type NumberFormatContext,
} from '../format/kpi-value.formatter';
import { typographicApostrophes } from '../format/typography';
import { reportLabels, type ReportLabels } from '../i18n/report-labels';
import { draftNarrative } from '../narrative/narrative.drafter';
import { draftReportStory } from '../narrative/report-story';
import type { KpiChange, KpiStatus, ReportKpi, ReportSnapshot } from '../snapshot/report-snapshot';
import { BUNDLED_FONTS, DEFAULT_FONT, type BundledFont } from './bundled-fonts';
import { changeTone, STATUS_TONES, type Tone } from './kpi-tones';
import { buildFunnelView, type FunnelView } from './funnel-view';
import { buildChannelView, type ChannelSectionView } from './channel-view';
import { buildReportStoryView, type ReportStoryView } from './report-story';
import { scorecardNotes, type ScorecardNotesView } from './scorecard-notes';
import { staleNotes } from './stale-notes';
import { formatDayRange } from './day-range';

export type { Tone } from './kpi-tones';

export interface StatusView {
  readonly code: KpiStatus;
  /** CSS modifier: on-track, at-risk, off-track, no-data, no-target. */
  readonly tone: string;
  /** Always printed next to the colour: the report must read in black and white too. */
  readonly label: string;
}

export interface ChangeView {
  readonly text: string;
  readonly tone: Tone;
}

export interface KpiRowView {
  readonly key: string;
  readonly name: string;
  readonly stageLabel: string;
  readonly value: string;
  readonly hasValue: boolean;
  readonly target: string;
  readonly attainment: string;
  readonly mom: ChangeView;
  readonly yoy: ChangeView;
  readonly ytdValue: string;
  readonly ytdChange: ChangeView;
  readonly status: StatusView;
  /** The value stands on a connection that stopped syncing: marked next to it, the connection named under the scorecard. */
  readonly stale: boolean;
}

export interface KpiDetailView extends KpiRowView {
  readonly description: string;
  readonly directionLabel: string;
  readonly chartSvg: string;
  /** The chart's text alternative, from its data (aria-label of the figure, `<title>` of the SVG). */
  readonly chartAlt: string;
  readonly commentary: string | null;
  readonly coverageNote: string | null;
}

export interface StageGroupView<T> {
  readonly stageLabel: string;
  readonly items: readonly T[];
}

export interface ReportViewModel {
  readonly lang: Locale;
  readonly title: string;
  readonly author: string;
  readonly subject: string;
  readonly brand: {
    readonly primary: string;
    readonly primarySoft: string;
    readonly primaryFaint: string;
    readonly accent: string;
    readonly onPrimary: string;
    readonly fontFamily: BundledFont;
  };
  readonly agency: { readonly name: string; readonly logo: string | null };
  readonly client: { readonly name: string; readonly logo: string | null };
  readonly cover: {
    readonly reportTitle: string;
    readonly periodTitle: string;
    readonly generatedOn: string;
    readonly author: string;
    /** "vs mois précédent" or "vs semaine précédente", by period kind. */
    readonly vsPrevious: string;
  };
  readonly text: Omit<
    ReportLabels,
    'kpiCountOnTrack' | 'coverageNote' | 'missingMonthsNote' | 'missingDaysNote' | 'channels' | 'staleNote' | 'correctionsTitle' | 'readinessWarning'
  >;
  /** What this version corrects since an earlier one, values formatted like the scorecard's; null when it corrects nothing. */
  readonly corrections: {
    readonly title: string;
    readonly rows: readonly { readonly name: string; readonly oldValue: string; readonly newValue: string; readonly foundOn: string }[];
  } | null;
  /** The readiness gate's warning, printed on the summary page; null when the data was complete. */
  readonly readinessWarning: string | null;
  /** The cover's headline KPIs and takeaway, the executive summary's points. */
  readonly story: ReportStoryView;
  readonly headline: {
    readonly onTrackText: string;
    readonly tiles: readonly { readonly tone: string; readonly label: string; readonly count: number }[];
  };
  readonly objectives: readonly { readonly number: number; readonly name: string; readonly kpis: readonly KpiRowView[] }[];
  readonly footerText: string;
  readonly scorecard: readonly StageGroupView<KpiRowView>[];
  /** Data coverage caveats, numbered under the scorecard (markers by KPI key). */
  readonly scorecardNotes: ScorecardNotesView;
  /** One note per connection that stopped syncing under the report's stale KPIs, in the scorecard's order; empty when all are fresh. */
  readonly staleNotes: readonly string[];
  readonly funnel: FunnelView | null;
  /** Figures per channel: first in a weekly report (it is laid out per channel), after the funnel in a monthly one; null when not shown. */
  readonly channels: ChannelSectionView | null;
  readonly channelsFirst: boolean;
  readonly kpiSections: readonly StageGroupView<KpiDetailView>[];
  readonly commentary: string | null;
  readonly narrative: readonly string[];
  readonly appendix: readonly StageGroupView<{
    readonly name: string;
    readonly description: string;
    readonly formula: string;
    readonly directionLabel: string;
  }>[];
  /** Number of SVG charts embedded (for the benchmark and tests). */
  readonly chartCount: number;
}

const HOUSE_PRIMARY = '#1f3a5f';
const HOUSE_ACCENT = '#f2b134';

/**
 * Only inline raster or SVG images: a `file:`, `http:` or `javascript:` URL in a logo would
 * make Chromium fetch it. The renderer blocks such requests too; this is the first wall.
 */
const SAFE_IMAGE_DATA_URI = /^data:image\/(?:png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/;

export function safeLogo(dataUri: string | null): string | null {
  return dataUri !== null && SAFE_IMAGE_DATA_URI.test(dataUri) ? dataUri : null;
}

function bundledFont(name: string): BundledFont {
  return BUNDLED_FONTS.find((font) => font === name) ?? DEFAULT_FONT;
}

function kpiRow(kpi: ReportKpi, labels: ReportLabels, context: NumberFormatContext): KpiRowView {
  const change = (value: KpiChange | null): ChangeView => ({ text: formatKpiChange(value, numberLocale(context)), tone: changeTone(kpi, value) });
  return {
    key: kpi.key,
    name: kpi.name,
    stageLabel: labels.stage[kpi.stage],
    value: formatKpiValue(kpi.value, kpi.unit, context),
    hasValue: kpi.value !== null,
    target: formatKpiValue(kpi.target, kpi.unit, context),
    attainment: formatAttainment(kpi.attainment, kpi.status, numberLocale(context)),
    mom: change(kpi.mom.change),
    yoy: change(kpi.yoy.change),
    // A churn's year to date is a monthly rate, not a cumulative one: said next to the figure.
    ytdValue:
      kpi.ytd.rollUp === 'MONTHLY_AVERAGE' && kpi.ytd.value !== null
        ? `${formatKpiValue(kpi.ytd.value, kpi.unit, context)} (${labels.monthlyAverage})`
        : formatKpiValue(kpi.ytd.value, kpi.unit, context),
    ytdChange: change(kpi.ytd.change),
    status: { code: kpi.status, tone: STATUS_TONES[kpi.status], label: labels.status[kpi.status] },
    stale: (kpi.staleSources ?? []).length > 0,
  };
}

function byStage<T extends { readonly stage: FunnelStage }>(items: readonly T[]): { stage: FunnelStage; items: T[] }[] {
  return FUNNEL_STAGES.map((stage) => ({ stage, items: items.filter((item) => item.stage === stage) })).filter((group) => group.items.length > 0);
}

function coverageNote(kpi: ReportKpi, labels: ReportLabels, locale: Locale): string | null {
  if (kpi.value === null) return labels.noDataNote;
  const notes: string[] = [];
  if (kpi.daysWithData < kpi.daysInPeriod) notes.push(labels.coverageNote(kpi.daysWithData, kpi.daysInPeriod));
  // The inputs missing and their days (a few runs at most; a long list helps nobody), then the prorated target.
  for (const gap of (kpi.gaps ?? []).slice(0, 3)) notes.push(labels.missingDaysNote(gap.name, formatDayRange(gap.from, gap.to, locale)));
  if (kpi.incomplete === true) notes.push(labels.proratedTargetNote);
  const missing = kpi.series.filter((point) => point.value === null).map((point) => formatSeriesPeriod(point.period, locale));
  if (missing.length > 0) notes.push(labels.missingMonthsNote(missing.join(', ')));
  return notes.length === 0 ? null : notes.join(' ');
}

export interface ReportViewModelOptions {
  /** Replaces the snapshot's narrative (an edited draft); otherwise snapshot, then draft. */
  readonly narrative?: readonly string[];
}

/** Snapshot → everything the template prints, already formatted and escaped-to-be. */
export function buildReportViewModel(snapshot: ReportSnapshot, options: ReportViewModelOptions = {}): ReportViewModel {
  const locale = snapshot.client.locale;
  const labels = reportLabels(locale, snapshot.period.kind);
  const context: NumberFormatContext = { locale, currency: snapshot.client.currency, formattingLocale: snapshot.client.formattingLocale };
  const format = numberLocale(context);
  const branding = snapshot.agency.branding;
  const primary = isHexColor(branding.primaryColor) ? branding.primaryColor.toLowerCase() : HOUSE_PRIMARY;
  const accent = isHexColor(branding.accentColor) ? branding.accentColor.toLowerCase() : HOUSE_ACCENT;
  const fontFamily = bundledFont(branding.fontFamily);
  const periodLabel = formatPeriodLabel(snapshot.period, format);
  const periodTitle = capitalizeFirst(periodLabel, locale);
  const reportTitle = labels.reportTitle[snapshot.period.kind];

  const charts = new ReportChartRenderer({ primaryColor: primary, accentColor: accent, fontFamily }, context);
  try {
    const rows = new Map(snapshot.kpis.map((kpi) => [kpi.key, kpiRow(kpi, labels, context)]));

    const kpiSections = byStage(snapshot.kpis).map((group) => ({
      stageLabel: labels.stage[group.stage],
      items: group.items.map((kpi): KpiDetailView => {
        const row = rows.get(kpi.key) ?? kpiRow(kpi, labels, context);
        return {
          ...row,
          description: kpi.description,
          directionLabel: kpi.direction === 'HIGHER_IS_BETTER' ? labels.higherIsBetter : labels.lowerIsBetter,
          ...charts.kpiTrend({ key: kpi.key, name: kpi.name, series: kpi.series, unit: kpi.unit }),
          commentary: kpi.commentary,
          coverageNote: coverageNote(kpi, labels, locale),
        };
      }),
    }));

    const funnel = buildFunnelView(snapshot, labels, context, charts, periodLabel);

    const statusCount = (status: KpiStatus): number => snapshot.kpis.filter((kpi) => kpi.status === status).length;
    const withTarget = snapshot.kpis.filter((kpi) => kpi.status === 'ON_TRACK' || kpi.status === 'AT_RISK' || kpi.status === 'OFF_TRACK').length;
    const edited = options.narrative ?? (snapshot.narrative.some((paragraph) => paragraph.trim() !== '') ? snapshot.narrative : null);
    const story = draftReportStory(snapshot);
    const narrative = edited ?? draftNarrative(snapshot, story);
    const {
      kpiCountOnTrack,
      coverageNote: _coverageNote,
      missingMonthsNote: _missingMonthsNote,
      missingDaysNote: _missingDaysNote,
      channels: _channels,
      staleNote: _staleNote,
      correctionsTitle,
      readinessWarning,
      ...text
    } = labels;
    const corrections = snapshot.corrections ?? null;
    const incompleteKpis = snapshot.incompleteKpis ?? [];

    return {
      lang: locale,
      title: `${reportTitle} — ${snapshot.client.name} — ${periodTitle}`,
      author: snapshot.author.name,
      subject: `${snapshot.agency.name} · ${snapshot.client.name}`,
      brand: {
        primary,
        primarySoft: tint(primary, 0.82),
        primaryFaint: tint(primary, 0.94),
        accent,
        onPrimary: luminance(primary) > 0.45 ? '#111827' : '#ffffff',
        fontFamily,
      },
      agency: { name: snapshot.agency.name, logo: safeLogo(branding.logoDataUri) },
      client: { name: snapshot.client.name, logo: safeLogo(snapshot.client.logoDataUri) },
      cover: {
        reportTitle,
        periodTitle,
        generatedOn: formatInstantDate(snapshot.generatedAt, format, snapshot.client.timeZone),
        author: snapshot.author.name,
        vsPrevious: snapshot.period.kind === 'MONTHLY' ? labels.vsPreviousMonth : labels.vsPreviousWeek,
      },
      text,
      corrections:
        corrections === null || corrections.items.length === 0
          ? null
          : {
              title: correctionsTitle(corrections.sinceVersion),
              rows: corrections.items.map((item) => ({
                name: item.name,
                oldValue: formatKpiValue(item.oldValue, item.unit, context),
                newValue: formatKpiValue(item.newValue, item.unit, context),
                foundOn: formatInstantDate(item.foundAt, format, snapshot.client.timeZone),
              })),
            },
      readinessWarning: incompleteKpis.length === 0 ? null : readinessWarning(incompleteKpis.join(', ')),
      story: buildReportStoryView(snapshot, labels, context, story, edited),
      headline: {
        onTrackText: kpiCountOnTrack(statusCount('ON_TRACK'), withTarget),
        tiles: (['ON_TRACK', 'AT_RISK', 'OFF_TRACK', 'NO_DATA'] as const).map((status) => ({
          tone: STATUS_TONES[status],
          label: labels.status[status],
          count: statusCount(status),
        })),
      },
      footerText: branding.footerText,
      objectives: snapshot.objectives.map((objective, index) => ({
        number: index + 1,
        name: objective.name,
        kpis: objective.kpis.map((key) => rows.get(key)).filter((row): row is KpiRowView => row !== undefined),
      })),
      scorecard: byStage(snapshot.kpis).map((group) => ({
        stageLabel: labels.stage[group.stage],
        items: group.items.map((kpi) => rows.get(kpi.key) ?? kpiRow(kpi, labels, context)),
      })),
      scorecardNotes: scorecardNotes(kpiSections.flatMap((section) => section.items)),
      staleNotes: staleNotes(
        byStage(snapshot.kpis).flatMap((group) => group.items),
        labels,
        context,
      ),
      funnel,
      channels: buildChannelView(snapshot, labels, context),
      channelsFirst: snapshot.period.kind === 'WEEKLY',
      kpiSections,
      commentary: snapshot.commentary !== null && snapshot.commentary.trim() !== '' ? typographicApostrophes(snapshot.commentary) : null,
      narrative,
      appendix: byStage(snapshot.kpis).map((group) => ({
        stageLabel: labels.stage[group.stage],
        items: group.items.map((kpi) => ({
          name: kpi.name,
          description: kpi.description,
          formula: kpi.formula,
          directionLabel: kpi.direction === 'HIGHER_IS_BETTER' ? labels.higherIsBetter : labels.lowerIsBetter,
        })),
      })),
      chartCount: charts.chartCount,
    };
  } finally {
    charts.dispose();
  }
}
