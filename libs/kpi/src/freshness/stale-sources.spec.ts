import { AgencyCatalog, type CustomKpiDefinition } from '../catalog/agency-catalog';
import { feedStopsBefore, KpiFreshness, staleSourcesOf, type UnhealthyFeed } from './stale-sources';

const googleAds: UnhealthyFeed = {
  provider: 'GOOGLE_ADS',
  accountId: '1234567890',
  accountName: 'Compte X',
  source: 'GOOGLE_ADS 1234567890',
  status: 'NEEDS_REAUTHORIZATION',
  lastError: 'Google refused the tokens: the account owner must reconnect.',
  dataThrough: '2026-12-02',
  metricKeys: ['ad_clicks', 'ad_spend'],
};
const ga4: UnhealthyFeed = {
  provider: 'GA4',
  accountId: '987654',
  accountName: null,
  source: 'GA4 987654',
  status: 'FAILING',
  lastError: null,
  dataThrough: null,
  metricKeys: ['sessions', 'orders', 'revenue'],
};

// A KPI over a KPI: cost per session of a click, read through cost_per_click (ad_spend / ad_clicks).
const costPerClickShare: CustomKpiDefinition = {
  key: 'cpc_per_session',
  name: 'CPC par session',
  description: '',
  stage: 'ACQUISITION',
  category: 'acquisition',
  unit: 'CURRENCY',
  direction: 'LOWER_IS_BETTER',
  aggregation: 'LEVEL',
  formula: 'cost_per_click * 1',
  businessModels: ['ECOMMERCE'],
};
const catalog = new AgencyCatalog([], [costPerClickShare]);
const requiredMetrics = (kpiKey: string): string[] => catalog.metricsOfKpis([kpiKey]);

describe('stale sources', () => {
  it('counts a feed as stopped before a period it has not pulled to the end, and never pulled at all', () => {
    expect(feedStopsBefore({ dataThrough: '2026-12-02' }, '2026-12-31')).toBe(true);
    expect(feedStopsBefore({ dataThrough: '2026-12-02' }, '2026-12-02')).toBe(false);
    expect(feedStopsBefore({ dataThrough: '2026-12-02' }, '2026-11-30')).toBe(false);
    expect(feedStopsBefore({ dataThrough: null }, '2020-01-31')).toBe(true);
  });

  it('names the feeds a value reads from, with the account id when the platform gave no name', () => {
    expect(staleSourcesOf(['ad_spend', 'sessions'], '2026-12-31', [googleAds, ga4])).toEqual([
      {
        provider: 'GOOGLE_ADS',
        accountId: '1234567890',
        accountName: 'Compte X',
        source: 'GOOGLE_ADS 1234567890',
        status: 'NEEDS_REAUTHORIZATION',
        reason: 'Google refused the tokens: the account owner must reconnect.',
        dataThrough: '2026-12-02',
      },
      { provider: 'GA4', accountId: '987654', accountName: '987654', source: 'GA4 987654', status: 'FAILING', reason: null, dataThrough: null },
    ]);
  });

  it('leaves out a feed whose metrics the value does not read, and a period the feed covers', () => {
    expect(staleSourcesOf(['email_opens'], '2026-12-31', [googleAds])).toEqual([]);
    expect(staleSourcesOf(['ad_spend'], '2026-11-30', [googleAds])).toEqual([]);
    expect(staleSourcesOf(['ad_spend'], '2026-12-31', [])).toEqual([]);
  });

  it('keeps only the group’s own source when asked (a breakdown by source)', () => {
    expect(staleSourcesOf(['ad_spend', 'sessions'], '2026-12-31', [googleAds, ga4], 'GA4 987654').map((source) => source.provider)).toEqual(['GA4']);
    expect(staleSourcesOf(['ad_spend'], '2026-12-31', [googleAds, ga4], 'META_ADS act_1')).toEqual([]);
  });
});

describe(KpiFreshness.name, () => {
  const freshness = new KpiFreshness(requiredMetrics, [googleAds]);

  it('follows a KPI’s formula down to its metrics, through KPIs over KPIs', () => {
    expect(freshness.ofKpi('cost_per_click', '2026-12-31').map((source) => source.source)).toEqual(['GOOGLE_ADS 1234567890']);
    expect(freshness.ofKpi('cpc_per_session', '2026-12-31').map((source) => source.source)).toEqual(['GOOGLE_ADS 1234567890']);
    expect(freshness.ofKpi('roas', '2026-12-31')).toHaveLength(1);
  });

  it('leaves fresh a KPI reading none of the feed’s metrics, an unknown KPI, and a period the feed covers', () => {
    expect(freshness.ofKpi('ecommerce_conversion_rate', '2026-12-31')).toEqual([]);
    expect(freshness.ofKpi('no_such_kpi', '2026-12-31')).toEqual([]);
    expect(freshness.ofKpi('cost_per_click', '2026-11-30')).toEqual([]);
  });

  it('combines metrics and KPIs of one figure (a funnel step: its count and its rate)', () => {
    expect(freshness.of({ metricKeys: ['orders'], kpiKeys: ['ecommerce_conversion_rate'] }, '2026-12-31')).toEqual([]);
    expect(freshness.of({ metricKeys: ['ad_clicks'] }, '2026-12-31')).toHaveLength(1);
  });
});
