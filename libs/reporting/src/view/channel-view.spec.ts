import { compareValues, type KpiUnit } from '@pilotage/kpi';
import { demoReportSnapshot } from '../snapshot/demo-snapshot';
import type { ReportChannelFigureKey, ReportChannelRow, ReportChannels, ReportSnapshot } from '../snapshot/report-snapshot';
import { buildReportViewModel } from './report-view-model';
import { renderReportDocument } from '../renderer/report.renderer';

/** Folds Intl's no-break and narrow no-break spaces into plain ones, so expectations read naturally. */
function normalizeSpacesForTest(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

const UNITS: Record<ReportChannelFigureKey, KpiUnit> = {
  spend: 'CURRENCY',
  clicks: 'COUNT',
  costPerClick: 'CURRENCY',
  conversions: 'COUNT',
  costPerAcquisition: 'CURRENCY',
  roas: 'RATIO',
};

type Pair = readonly [number | null, number | null];

/** A row from (this period, previous period) pairs of spend, clicks, conversions and ad revenue; the ratios are divided here as libs/kpi does. */
function row(name: string, basis: 'ADS' | 'TRAFFIC', spend: Pair, clicks: Pair, conversions: Pair, revenue: Pair, days = 7): ReportChannelRow {
  const divide = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : a / b);
  const pairs: Record<ReportChannelFigureKey, Pair> = {
    spend,
    clicks,
    costPerClick: [divide(spend[0], clicks[0]), divide(spend[1], clicks[1])],
    conversions,
    costPerAcquisition: [divide(spend[0], conversions[0]), divide(spend[1], conversions[1])],
    roas: [divide(revenue[0], spend[0]), divide(revenue[1], spend[1])],
  };
  const figure = (key: ReportChannelFigureKey) => ({
    value: pairs[key][0],
    previous: pairs[key][1],
    change: compareValues(pairs[key][0], pairs[key][1], UNITS[key]),
  });
  return {
    channel: name,
    name,
    basis,
    figures: {
      spend: figure('spend'),
      clicks: figure('clicks'),
      costPerClick: figure('costPerClick'),
      conversions: figure('conversions'),
      costPerAcquisition: figure('costPerAcquisition'),
      roas: figure('roas'),
    },
    daysWithData: days,
    daysInPeriod: 7,
  };
}

const SEARCH = row('Recherche payante', 'ADS', [1200, 1000], [1500, 1000], [60, 40], [4800, 3000]);
const SOCIAL = row('Social payant', 'ADS', [800, 900], [2000, 2000], [20, 30], [1600, 2700], 6);
const SEO = row('Recherche naturelle', 'TRAFFIC', [null, null], [5400, 5000], [110, 100], [null, null]);

function channels(rows: readonly ReportChannelRow[]): ReportChannels {
  return {
    conversionLabel: 'Commandes',
    channels: rows,
    total: {
      ...row('', 'ADS', [2000, 1900], [3500, 3000], [80, 70], [6400, 5700]),
      targets: [
        { figure: 'costPerClick', kpiKey: 'cost_per_click', target: 0.5, attainment: 0.87, status: 'OFF_TRACK' },
        { figure: 'roas', kpiKey: 'roas', target: 3, attainment: 1.07, status: 'ON_TRACK' },
      ],
    },
    campaigns: [
      {
        campaign: 'Marque — Exact',
        channelNames: ['Recherche payante'],
        basis: 'ADS',
        spend: 700,
        clicks: 900,
        conversions: 45,
        costPerAcquisition: 700 / 45,
        roas: 4.2,
      },
      {
        campaign: 'Prospection Lookalike',
        channelNames: ['Social payant'],
        basis: 'ADS',
        spend: 500,
        clicks: 1200,
        conversions: 8,
        costPerAcquisition: 62.5,
        roas: 1.5,
      },
      { campaign: 'Newsletter', channelNames: ['E-mail'], basis: 'TRAFFIC', spend: null, clicks: 1100, conversions: 30, costPerAcquisition: null, roas: null },
    ],
  };
}

function weekly(locale: 'fr' | 'en', rows: readonly ReportChannelRow[] | null, formattingLocale?: 'en-US'): ReportSnapshot {
  const base = demoReportSnapshot({ client: { locale, ...(formattingLocale ? { formattingLocale } : {}) } });
  return { ...base, period: { kind: 'WEEKLY', start: '2026-10-05', end: '2026-10-11' }, channels: rows === null ? null : channels(rows) };
}

describe('channel section of the report view', () => {
  it('prints one row per channel with its figures and the change vs the previous week, in French formatting', () => {
    const view = buildReportViewModel(weekly('fr', [SEARCH, SOCIAL, SEO]));
    const section = view.channels;
    expect(section).not.toBeNull();
    expect(view.channelsFirst).toBe(true);
    expect(section?.columns).toEqual(['Dépenses', 'Clics', 'CPC', 'Conversions', 'CPA', 'ROAS']);
    expect(section?.rows.map((channel) => channel.name)).toEqual(['Recherche payante', 'Social payant', 'Recherche naturelle']);
    const search = section?.rows[0]?.cells.map((cell) => normalizeSpacesForTest(cell.value));
    // CPC 1200 / 1500 = 0,80 €; CPA 1200 / 60 = 20,00 €; ROAS 4800 / 1200 = 4,0×.
    expect(search).toEqual(['1 200,00 €', '1 500', '0,80 €', '60', '20,00 €', '4,0×']);
    const changes = section?.rows[0]?.cells.map((cell) => [normalizeSpacesForTest(cell.change.text), cell.change.tone]);
    // Spend +20 % (a budget choice: neutral), clicks +50 %, CPC 0.80 vs 1.00 = −20 % (good, lower is better), CPA 20 vs 25 = −20 %, ROAS 4.0 vs 3.0 = +33.3 %.
    expect(changes).toEqual([
      ['+20,0 %', 'neutral'],
      ['+50,0 %', 'good'],
      ['−20,0 %', 'good'],
      ['+50,0 %', 'good'],
      ['−20,0 %', 'good'],
      ['+33,3 %', 'good'],
    ]);
    // Social's CPA rose from 30 to 40: bad news.
    expect(section?.rows[1]?.cells[4]?.change).toEqual({ text: expect.stringContaining('33,3'), tone: 'bad' });
  });

  it('marks a channel without ads and explains its clicks and conversions, and the days a channel misses', () => {
    const section = buildReportViewModel(weekly('fr', [SEARCH, SOCIAL, SEO])).channels;
    const notes = section?.notes.map((note) => `${note.marker} ${note.text}`);
    // Numbered in reading order, top to bottom.
    expect(section?.rows.map((channel) => channel.markers)).toEqual(['', '1', '2']);
    expect(section?.total.markers).toBe('3');
    expect(notes).toEqual([
      '1 Social payant : données sur 6 jours sur 7.',
      '2 Canal sans publicité : clics = sessions du canal, conversions = commandes du canal.',
      expect.stringMatching(/^3 Total : dépenses de tous les canaux/),
    ]);
    // A campaign without ads points to the same note as the channels without ads.
    expect(section?.campaigns?.rows.map((campaign) => campaign.markers)).toEqual(['', '', '2']);
    // No spend on organic search: no CPC, CPA or ROAS, printed as missing, never 0.
    expect(section?.rows[2]?.cells.map((cell) => cell.hasValue)).toEqual([false, true, false, true, false, false]);
  });

  it('prints the total with the plan’s prorated targets and their status under the figures that have one', () => {
    const section = buildReportViewModel(weekly('en', [SEARCH, SOCIAL])).channels;
    expect(section?.total.name).toBe('Total');
    expect(section?.targetLabel).toBe('Target');
    expect(section?.targets?.map((cell) => [cell.target, cell.status?.label ?? null])).toEqual([
      ['', null],
      ['', null],
      ['€0.50', 'Off track'],
      ['', null],
      ['', null],
      ['3.0×', 'On track'],
    ]);
  });

  it('follows the formatting locale (en-US money and thousands)', () => {
    const section = buildReportViewModel(weekly('en', [SEARCH, SOCIAL], 'en-US')).channels;
    expect(section?.rows[0]?.cells[0]?.value).toBe('€1,200.00');
    expect(section?.rows[0]?.cells[1]?.value).toBe('1,500');
    expect(section?.campaigns?.rows[0]).toEqual({
      name: 'Marque — Exact',
      markers: '',
      channel: 'Recherche payante',
      spend: '€700.00',
      clicks: '900',
      conversions: '45',
      costPerAcquisition: '€15.56',
      roas: '4.2×',
    });
  });

  it('shows a monthly channel section only with more than one channel, after the funnel', () => {
    const monthly = (rows: readonly ReportChannelRow[]): ReportSnapshot => ({ ...demoReportSnapshot(), channels: channels(rows) });
    const two = buildReportViewModel(monthly([SEARCH, SEO]));
    expect(two.channels?.rows).toHaveLength(2);
    expect(two.channelsFirst).toBe(false);
    expect(two.channels?.intro).toContain('mois précédent');
    expect(buildReportViewModel(monthly([SEARCH])).channels).toBeNull();
    // A weekly report is laid out per channel even with one, unless nothing says which (all in OTHER).
    expect(buildReportViewModel(weekly('fr', [SEARCH])).channels?.rows).toHaveLength(1);
    expect(buildReportViewModel(weekly('fr', [{ ...SEO, channel: 'OTHER', name: 'Autres / non attribué' }])).channels).toBeNull();
  });

  it('renders snapshots without channels (taken before issue 13, or a client without data) with no channel section', () => {
    const { channels: _ignored, ...older } = weekly('fr', null);
    expect(buildReportViewModel(older).channels).toBeNull();
    expect(buildReportViewModel(weekly('fr', null)).channels).toBeNull();
    const { html } = renderReportDocument(older);
    expect(html).not.toContain('Résultats par canal');
    const { html: withChannels } = renderReportDocument(weekly('fr', [SEARCH, SOCIAL, SEO]));
    expect(withChannels).toContain('Résultats par canal');
    expect(withChannels).toContain('Campagnes principales');
    // First in the weekly report: before the scorecard.
    expect(withChannels.indexOf('Résultats par canal')).toBeLessThan(withChannels.indexOf('Tableau de bord'));
  });
});
