import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { METRIC_MONTHLY_REFRESH_SQL } from '@pilotage/database';
import { approvePlan, newAgency, newClient, newClientViewer, type TestAgency } from '../support/factories';
import { ownerPool } from '../support/test-database';
import { startTestApi, type TestApi } from '../support/test-api';
import { APP_BOOT_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

/*
 * Breakdowns by channel, source and campaign. Values are written as the superuser through the
 * owner pool with their channel and campaign, and the roll-up refreshed with the import path's
 * SQL for the months written (recordMetricValues takes no channel yet). Every expectation is
 * computed by hand from the values below.
 */

const GROUP = `key channel label value state coverage daysWithData daysInPeriod share previous { value change { kind points percent } }`;
const SCORECARD = `query ($clientId: ID!, $month: String!, $breakdown: BreakdownDimension, $locale: Locale) {
  scorecard(clientId: $clientId, month: $month, breakdown: $breakdown, locale: $locale) {
    breakdown { dimension rankedBy groupCount foldedGroups }
    rows { kpiKey value state breakdown { totalOnly reason groups { ${GROUP} } } } } }`;
const WEEKLY_SCORECARD = `query ($clientId: ID!, $weekStart: String!, $breakdown: BreakdownDimension) {
  weeklyScorecard(clientId: $clientId, weekStart: $weekStart, breakdown: $breakdown) {
    breakdown { dimension groupCount } rows { kpiKey value breakdown { totalOnly groups { ${GROUP} } } } } }`;
const SERIES = `query ($clientId: ID!, $keys: [String!]!, $from: String!, $to: String!, $grain: PeriodGrain!, $breakdown: BreakdownDimension, $locale: Locale) {
  kpiSeries(clientId: $clientId, kpiKeys: $keys, from: $from, to: $to, grain: $grain, breakdown: $breakdown, locale: $locale) {
    kpiKey points { start value }
    breakdown { info { dimension rankedBy groupCount foldedGroups } totalOnly reason groups { key channel label points { start value state } } } } }`;
const FUNNEL = `query ($clientId: ID!, $month: String!, $breakdown: BreakdownDimension) {
  funnel(clientId: $clientId, month: $month, breakdown: $breakdown) {
    stages { metricKey value } breakdown { info { dimension } groups { key stages { metricKey value conversionFromPrevious } } } } }`;

interface Group {
  key: string | null;
  channel: string | null;
  label: string;
  value: number | null;
  state: string;
  coverage: number;
  daysWithData: number;
  daysInPeriod: number;
  share: number | null;
  previous: { value: number | null; change: { kind: string; points: number | null; percent: number | null } | null };
}
interface Row {
  kpiKey: string;
  value: number | null;
  state: string;
  breakdown: { totalOnly: boolean; reason: string | null; groups: Group[] } | null;
}
interface ScorecardResult {
  scorecard: { breakdown: { dimension: string; rankedBy: string | null; groupCount: number; foldedGroups: number } | null; rows: Row[] };
}
interface SeriesResult {
  kpiSeries: Array<{
    kpiKey: string;
    points: Array<{ start: string; value: number | null }>;
    breakdown: {
      info: { dimension: string; rankedBy: string | null; groupCount: number; foldedGroups: number };
      totalOnly: boolean;
      reason: string | null;
      groups: Array<{ key: string | null; channel: string | null; label: string; points: Array<{ start: string; value: number | null; state: string }> }>;
    } | null;
  }>;
}

interface Value {
  readonly metricKey: string;
  readonly date: string;
  readonly value: number;
  readonly channel: string;
  readonly source: string;
  readonly campaign: string;
  readonly granularity?: 'DAY' | 'MONTH';
}

/** The days of October 2026 from `first` to `last`. */
function octoberDays(first: number, last: number): string[] {
  return Array.from({ length: last - first + 1 }, (_, index) => `2026-10-${String(first + index).padStart(2, '0')}`);
}

function daily(metricKey: string, dates: readonly string[], value: number, group: Pick<Value, 'channel' | 'source' | 'campaign'>): Value[] {
  return dates.map((date) => ({ metricKey, date, value, ...group }));
}

const ADS_BRAND = { channel: 'PAID_SEARCH', source: 'google-ads:123-456-7890', campaign: 'Brand' };
const ADS_GENERIC = { channel: 'PAID_SEARCH', source: 'google-ads:123-456-7890', campaign: 'Generic' };
const ORGANIC = { channel: 'ORGANIC_SEARCH', source: 'ga4:properties/312345678', campaign: '' };
const NEWSLETTER = { channel: 'EMAIL', source: 'brevo', campaign: 'Newsletter' };
const UNATTRIBUTED = { channel: 'OTHER', source: 'manual', campaign: '' };

const OCTOBER = octoberDays(1, 31);
const SEPTEMBER = Array.from({ length: 30 }, (_, index) => `2026-09-${String(index + 1).padStart(2, '0')}`);

/*
 * October 2026, by hand:
 * - paid search: Brand 60 sessions, 3 orders, 150 € a day; Generic 40 sessions, 1 order, 40 € a
 *   day: 3,100 sessions, 124 orders (4 %), 5,890 €; one new customer a day (31);
 * - organic search: 200 sessions, 4 orders, 200 € a day: 6,200 sessions, 124 orders (2 %), 6,200 €;
 * - e-mail: 50 sessions and 2 orders a day on the 1st to the 10th only: 500 sessions, 20 orders
 *   (4 %), PARTIAL over 10 of 31 days — the missing days are not zeros;
 * - the whole month's marketing cost, 3,100 €, unattributed: CAC is BLENDED (total only).
 * Total: 9,800 sessions, 268 orders (268 / 9,800), 12,090 €, CAC 3,100 / 31 = 100 €.
 * September: paid search Brand only, 50 sessions and 1 order a day (1,500 and 30: 2 %).
 */
const VALUES: Value[] = [
  ...daily('sessions', OCTOBER, 60, ADS_BRAND),
  ...daily('orders', OCTOBER, 3, ADS_BRAND),
  ...daily('revenue', OCTOBER, 150, ADS_BRAND),
  ...daily('new_customers', OCTOBER, 1, ADS_BRAND),
  ...daily('sessions', OCTOBER, 40, ADS_GENERIC),
  ...daily('orders', OCTOBER, 1, ADS_GENERIC),
  ...daily('revenue', OCTOBER, 40, ADS_GENERIC),
  ...daily('sessions', OCTOBER, 200, ORGANIC),
  ...daily('orders', OCTOBER, 4, ORGANIC),
  ...daily('revenue', OCTOBER, 200, ORGANIC),
  ...daily('sessions', octoberDays(1, 10), 50, NEWSLETTER),
  ...daily('orders', octoberDays(1, 10), 2, NEWSLETTER),
  { metricKey: 'marketing_cost', date: '2026-10-01', value: 3100, granularity: 'MONTH', ...UNATTRIBUTED },
  ...daily('sessions', SEPTEMBER, 50, ADS_BRAND),
  ...daily('orders', SEPTEMBER, 1, ADS_BRAND),
  // A stock per channel (an agency's custom metric): the latest day of each channel.
  { metricKey: 'live_ads', date: '2026-10-01', value: 10, channel: 'PAID_SOCIAL', source: 'meta:act_1029384756', campaign: '' },
  { metricKey: 'live_ads', date: '2026-10-20', value: 14, channel: 'PAID_SOCIAL', source: 'meta:act_1029384756', campaign: '' },
  { metricKey: 'live_ads', date: '2026-10-05', value: 7, ...ADS_BRAND },
  { metricKey: 'live_ads', date: '2026-10-28', value: 5, ...ADS_BRAND },
];

const PLAN_KPIS = ['ecommerce_conversion_rate', 'sessions', 'revenue', 'customer_acquisition_cost'];

/** Writes values as the superuser in one committed import, then refreshes the roll-up of the months written, as an import does. */
async function seed(owner: Pool, agencyId: string, clientId: string, values: readonly Value[]): Promise<void> {
  const importId = randomUUID();
  await owner.query(
    `INSERT INTO metric_imports (agency_id, id, client_id, kind, file_name, status, rows, inserted, updated, unchanged, errors, created_by)
     VALUES ($1, $2, $3, 'API', NULL, 'COMMITTED', $4, $4, 0, 0, '[]'::jsonb, NULL)`,
    [agencyId, importId, clientId, values.length],
  );
  await owner.query(
    `INSERT INTO metric_values (agency_id, client_id, metric_key, date, source, channel, campaign, granularity, value, import_batch_id, entered_by)
     SELECT $1, $2, v.metric_key, v.date, v.source, v.channel, v.campaign, v.granularity, v.value, $3, NULL
       FROM unnest($4::text[], $5::date[], $6::text[], $7::text[], $8::text[], $9::text[], $10::numeric[])
         AS v(metric_key, date, source, channel, campaign, granularity, value)`,
    [
      agencyId,
      clientId,
      importId,
      values.map((value) => value.metricKey),
      values.map((value) => value.date),
      values.map((value) => value.source),
      values.map((value) => value.channel),
      values.map((value) => value.campaign),
      values.map((value) => value.granularity ?? 'DAY'),
      values.map((value) => value.value),
    ],
  );
  const months = [...new Set(values.map((value) => `${value.metricKey}|${value.date.slice(0, 7)}-01`))].map((pair) => pair.split('|'));
  await owner.query(METRIC_MONTHLY_REFRESH_SQL, [agencyId, clientId, months.map(([metricKey]) => metricKey), months.map(([, month]) => month)]);
}

describe('analytics breakdowns by channel, source and campaign (GraphQL)', () => {
  let api: TestApi;
  let owner: Pool;
  let agency: TestAgency;
  let clientId: string;

  beforeAll(async () => {
    api = await startTestApi();
    owner = ownerPool();
    agency = await newAgency(api, { locale: 'en' });
    clientId = (await newClient(api, agency, { name: 'Maison Lumière', businessModel: 'ECOMMERCE', locale: 'en' })).id;
    await api.gqlOk(
      `mutation ($input: CreateCustomMetricInput!) { createCustomMetric(input: $input) { id } }`,
      { input: { key: 'live_ads', name: 'Live ads', unit: 'COUNT', aggregation: 'LAST' } },
      agency.token,
    );
    await api.gqlOk(
      `mutation ($input: CreateCustomKpiInput!) { createCustomKpi(input: $input) { id } }`,
      {
        input: {
          key: 'live_ads_count',
          name: 'Live ads',
          stage: 'ACQUISITION',
          unit: 'COUNT',
          direction: 'HIGHER_IS_BETTER',
          aggregation: 'LEVEL',
          formula: 'live_ads',
        },
      },
      agency.token,
    );
    await seed(owner, agency.agencyId, clientId, VALUES);
    await approvePlan(api, agency, {
      clientId,
      businessModel: 'ECOMMERCE',
      channels: ['SEO', 'PAID_SEARCH', 'EMAIL'],
      coreTarget: 'Amateurs de luminaires',
      objectiveKeys: ['INCREASE_SALES'],
      selections: PLAN_KPIS.map((kpiKey) => ({ kpiKey, objectiveKey: 'INCREASE_SALES' })),
      targets: { year: 2026, values: [{ kpiKey: 'ecommerce_conversion_rate', month: 10, value: 0.03 }] },
    });
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await owner?.end();
    await api?.close();
  }, TEARDOWN_TIMEOUT_MS);

  async function scorecard(breakdown: string | null, token = agency.token, locale = 'en'): Promise<ScorecardResult['scorecard']> {
    return (await api.gqlOk<ScorecardResult>(SCORECARD, { clientId, month: '2026-10', breakdown, locale }, token)).scorecard;
  }

  function row(card: ScorecardResult['scorecard'], kpiKey: string): Row {
    const found = card.rows.find((candidate) => candidate.kpiKey === kpiKey);
    if (!found) throw new Error(`no row ${kpiKey}`);
    return found;
  }

  function group(found: Row, key: string | null): Group {
    const result = found.breakdown?.groups.find((candidate) => candidate.key === key);
    if (!result) throw new Error(`no group ${String(key)} in ${found.kpiKey}`);
    return result;
  }

  it('computes each channel’s conversion rate as its own ratio of sums, the channels adding up to the total', async () => {
    const card = await scorecard('CHANNEL');
    expect(card.breakdown).toEqual({ dimension: 'CHANNEL', rankedBy: 'sessions', groupCount: 3, foldedGroups: 0 });
    const conversion = row(card, 'ecommerce_conversion_rate');
    expect(conversion.value).toBeCloseTo(268 / 9800, 12);
    expect(conversion.breakdown?.totalOnly).toBe(false);
    // Ranked by sessions: organic 6,200, paid search 3,100, e-mail 500.
    expect(conversion.breakdown?.groups.map((candidate) => candidate.key)).toEqual(['ORGANIC_SEARCH', 'PAID_SEARCH', 'EMAIL']);
    expect(group(conversion, 'PAID_SEARCH').value).toBeCloseTo(124 / 3100, 12);
    expect(group(conversion, 'ORGANIC_SEARCH').value).toBeCloseTo(124 / 6200, 12);
    expect(group(conversion, 'PAID_SEARCH')).toMatchObject({ channel: 'PAID_SEARCH', label: 'Paid search', state: 'OK', daysWithData: 31, share: null });
    // September's paid search converted 30 / 1,500 = 2 %: +2 points.
    expect(group(conversion, 'PAID_SEARCH').previous.value).toBeCloseTo(0.02, 12);
    expect(group(conversion, 'PAID_SEARCH').previous.change).toMatchObject({ kind: 'POINTS' });
    expect(group(conversion, 'PAID_SEARCH').previous.change?.points).toBeCloseTo(2, 10);
    expect(group(conversion, 'ORGANIC_SEARCH').previous).toEqual({ value: null, change: null });

    const sessions = row(card, 'sessions');
    const bySessions = sessions.breakdown?.groups ?? [];
    expect(bySessions.map((candidate) => candidate.value)).toEqual([6200, 3100, 500]);
    expect(bySessions.reduce((sum, candidate) => sum + (candidate.value ?? 0), 0)).toBe(sessions.value);
    expect(group(sessions, 'PAID_SEARCH').share).toBeCloseTo(3100 / 9800, 12);
    const revenue = row(card, 'revenue');
    expect(revenue.value).toBeCloseTo(12090, 8);
    expect(group(revenue, 'PAID_SEARCH').value).toBeCloseTo(5890, 8);
    expect(group(revenue, 'ORGANIC_SEARCH').value).toBeCloseTo(6200, 8);
    // E-mail has no revenue at all: no data, not zero.
    expect(group(revenue, 'EMAIL')).toMatchObject({ value: null, state: 'NO_DATA', share: null });
  });

  it('marks a channel with missing days PARTIAL, its rate over its own days (missing is not zero)', async () => {
    const conversion = row(await scorecard('CHANNEL'), 'ecommerce_conversion_rate');
    const email = group(conversion, 'EMAIL');
    expect(email.value).toBeCloseTo(20 / 500, 12);
    expect(email).toMatchObject({ state: 'PARTIAL', daysWithData: 10, daysInPeriod: 31 });
    expect(email.coverage).toBeCloseTo(10 / 31, 12);
  });

  it('keeps a blended KPI (CAC over the whole marketing cost) for the total only, and says so', async () => {
    const cac = row(await scorecard('CHANNEL'), 'customer_acquisition_cost');
    expect(cac.value).toBeCloseTo(3100 / 31, 10);
    expect(cac.breakdown).toEqual({ totalOnly: true, reason: 'BLENDED', groups: [] });
  });

  it('leaves the rows as they were without a breakdown', async () => {
    const plain = await scorecard(null);
    expect(plain.breakdown).toBeNull();
    expect(plain.rows.every((candidate) => candidate.breakdown === null)).toBe(true);
    const broken = await scorecard('CHANNEL');
    expect(plain.rows.map(({ kpiKey, value, state }) => ({ kpiKey, value, state }))).toEqual(
      broken.rows.map(({ kpiKey, value, state }) => ({ kpiKey, value, state })),
    );
  });

  it('breaks down by campaign (“No campaign” for values without one) and by source, in the requested language', async () => {
    const byCampaign = row(await scorecard('CAMPAIGN', agency.token, 'fr'), 'ecommerce_conversion_rate');
    expect(byCampaign.breakdown?.groups.map((candidate) => [candidate.key, candidate.label, candidate.channel])).toEqual([
      ['', 'Sans campagne', null],
      ['Brand', 'Brand', null],
      ['Generic', 'Generic', null],
      ['Newsletter', 'Newsletter', null],
    ]);
    expect(group(byCampaign, 'Brand').value).toBeCloseTo(93 / 1860, 12);
    expect(group(byCampaign, 'Generic').value).toBeCloseTo(31 / 1240, 12);
    const bySource = row(await scorecard('SOURCE'), 'sessions');
    expect(bySource.breakdown?.groups.map((candidate) => [candidate.key, candidate.value])).toEqual([
      ['ga4:properties/312345678', 6200],
      ['google-ads:123-456-7890', 3100],
      ['brevo', 500],
    ]);
  });

  it('gives the same figures from the monthly roll-up and from the days (weekly scorecard, daily series)', async () => {
    // Every channel converts at the same rate every day: a week's rate is the month's.
    const week = (
      await api.gqlOk<{ weeklyScorecard: { rows: Row[]; breakdown: { groupCount: number } } }>(
        WEEKLY_SCORECARD,
        { clientId, weekStart: '2026-10-05', breakdown: 'CHANNEL' },
        agency.token,
      )
    ).weeklyScorecard;
    const weekConversion = week.rows.find((candidate) => candidate.kpiKey === 'ecommerce_conversion_rate');
    if (!weekConversion) throw new Error('no conversion row');
    expect(group(weekConversion, 'PAID_SEARCH').value).toBeCloseTo(124 / 3100, 12);
    expect(group(weekConversion, 'ORGANIC_SEARCH').value).toBeCloseTo(124 / 6200, 12);
    // E-mail: the 5th to the 10th, 6 of the week's 7 days; the week before had 4 of them.
    expect(group(weekConversion, 'EMAIL')).toMatchObject({ state: 'PARTIAL', daysWithData: 6, daysInPeriod: 7 });
    expect(group(weekConversion, 'EMAIL').previous.value).toBeCloseTo(8 / 200, 12);

    const daily = await api.gqlOk<SeriesResult>(
      SERIES,
      { clientId, keys: ['sessions'], from: '2026-10-01', to: '2026-10-31', grain: 'DAY', breakdown: 'CHANNEL' },
      agency.token,
    );
    const monthly = await api.gqlOk<SeriesResult>(
      SERIES,
      { clientId, keys: ['sessions', 'ecommerce_conversion_rate'], from: '2026-10-01', to: '2026-10-31', grain: 'MONTH', breakdown: 'CHANNEL' },
      agency.token,
    );
    const card = row(await scorecard('CHANNEL'), 'sessions');
    for (const channel of ['ORGANIC_SEARCH', 'PAID_SEARCH', 'EMAIL']) {
      const days = daily.kpiSeries[0].breakdown?.groups.find((candidate) => candidate.key === channel)?.points ?? [];
      expect(days).toHaveLength(31);
      const monthPoint = monthly.kpiSeries[0].breakdown?.groups.find((candidate) => candidate.key === channel)?.points[0];
      expect(days.reduce((sum, point) => sum + (point.value ?? 0), 0)).toBe(group(card, channel).value);
      expect(monthPoint?.value).toBe(group(card, channel).value);
    }
    // Days without e-mail are missing, not zero.
    const emailDays = daily.kpiSeries[0].breakdown?.groups.find((candidate) => candidate.key === 'EMAIL')?.points ?? [];
    expect(emailDays[20]).toMatchObject({ start: '2026-10-21', value: null, state: 'NO_DATA' });
    const conversion = monthly.kpiSeries[1].breakdown?.groups.find((candidate) => candidate.key === 'PAID_SEARCH')?.points[0].value;
    expect(conversion).toBeCloseTo(124 / 3100, 12);

    // The funnel reads the month's days: the same counts and rates per channel.
    const funnel = await api.gqlOk<{
      funnel: {
        breakdown: { groups: Array<{ key: string; stages: Array<{ metricKey: string; value: number | null; conversionFromPrevious: number | null }> }> };
      };
    }>(FUNNEL, { clientId, month: '2026-10', breakdown: 'CHANNEL' }, agency.token);
    const paidSearch = funnel.funnel.breakdown.groups.find((candidate) => candidate.key === 'PAID_SEARCH');
    const paidSearchOrders = paidSearch?.stages.find((stage) => stage.metricKey === 'orders');
    expect(paidSearchOrders?.value).toBe(124);
    expect(paidSearchOrders?.conversionFromPrevious).toBeCloseTo(124 / 3100, 12);
  });

  it('takes a stock per channel at the channel’s latest day', async () => {
    const series = await api.gqlOk<SeriesResult>(
      SERIES,
      { clientId, keys: ['live_ads_count'], from: '2026-10-01', to: '2026-10-31', grain: 'MONTH', breakdown: 'CHANNEL' },
      agency.token,
    );
    const groups = series.kpiSeries[0].breakdown?.groups ?? [];
    expect(groups.find((candidate) => candidate.key === 'PAID_SOCIAL')?.points[0].value).toBe(14);
    expect(groups.find((candidate) => candidate.key === 'PAID_SEARCH')?.points[0].value).toBe(5);
    // The total's stock is the value of the latest day any channel has (the 28th: paid search's 5), from the roll-up as from the days.
    expect(series.kpiSeries[0].points[0].value).toBe(5);
    const weeks = await api.gqlOk<SeriesResult>(
      SERIES,
      { clientId, keys: ['live_ads_count'], from: '2026-10-01', to: '2026-10-31', grain: 'DAY' },
      agency.token,
    );
    expect(weeks.kpiSeries[0].points.find((point) => point.start === '2026-10-28')?.value).toBe(5);
    // The same from the days (a week holding both channels' latest days is not one; the 19th to the 28th is).
    const days = await api.gqlOk<SeriesResult>(
      SERIES,
      { clientId, keys: ['live_ads_count'], from: '2026-10-19', to: '2026-10-28', grain: 'DAY', breakdown: 'CHANNEL' },
      agency.token,
    );
    const paidSocialDays = days.kpiSeries[0].breakdown?.groups.find((candidate) => candidate.key === 'PAID_SOCIAL')?.points ?? [];
    expect(paidSocialDays.find((point) => point.start === '2026-10-20')?.value).toBe(14);
  });

  it('folds the campaigns beyond the first 20 (by sessions) into one “Others” group computed from their sums', async () => {
    const many = (await newClient(api, agency, { name: 'Many campaigns', businessModel: 'ECOMMERCE' })).id;
    // Campaign i (1–25): 10 × i sessions and i orders on the 1st. Folded: campaigns 1–5, 150 sessions and 15 orders.
    const values: Value[] = Array.from({ length: 25 }, (_, index) => index + 1).flatMap((i) => [
      {
        metricKey: 'sessions',
        date: '2026-10-01',
        value: 10 * i,
        channel: 'PAID_SOCIAL',
        source: 'meta:act_1',
        campaign: `Ad set ${String(i).padStart(2, '0')}`,
      },
      { metricKey: 'orders', date: '2026-10-01', value: i, channel: 'PAID_SOCIAL', source: 'meta:act_1', campaign: `Ad set ${String(i).padStart(2, '0')}` },
    ]);
    await seed(owner, agency.agencyId, many, values);
    const series = await api.gqlOk<SeriesResult>(
      SERIES,
      { clientId: many, keys: ['sessions'], from: '2026-10-01', to: '2026-10-31', grain: 'MONTH', breakdown: 'CAMPAIGN' },
      agency.token,
    );
    const breakdown = series.kpiSeries[0].breakdown;
    expect(breakdown?.info).toEqual({ dimension: 'CAMPAIGN', rankedBy: 'sessions', groupCount: 25, foldedGroups: 5 });
    expect(breakdown?.groups).toHaveLength(21);
    expect(breakdown?.groups[0]).toMatchObject({ key: 'Ad set 25', points: [{ value: 250 }] });
    expect(breakdown?.groups[20]).toMatchObject({ key: null, label: 'Others', points: [{ value: 150 }] });
    expect(breakdown?.groups.reduce((sum, candidate) => sum + (candidate.points[0].value ?? 0), 0)).toBe(series.kpiSeries[0].points[0].value);
  });

  it('counts a breakdown in the operation’s cost: two scorecards by campaign in one operation are refused', async () => {
    const twice = `query ($clientId: ID!) {
      a: scorecard(clientId: $clientId, month: "2026-10", breakdown: CAMPAIGN) { rows { kpiKey } }
      b: scorecard(clientId: $clientId, month: "2026-09", breakdown: CAMPAIGN) { rows { kpiKey } } }`;
    const refused = await api.gql(twice, { clientId }, agency.token);
    expect(refused.errors?.[0].extensions?.code).toBe('QUERY_TOO_COSTLY');
    const plain = twice.replaceAll(', breakdown: CAMPAIGN', '');
    expect((await api.gql(plain, { clientId }, agency.token)).errors).toBeUndefined();
  });

  it('lets the client’s viewer read the breakdowns, and nobody else', async () => {
    const viewer = await newClientViewer(api, agency, clientId);
    expect(group(row(await scorecard('CHANNEL', viewer.token), 'sessions'), 'PAID_SEARCH').value).toBe(3100);

    const otherClient = await newClient(api, agency, { name: 'Other' });
    const otherViewer = await newClientViewer(api, agency, otherClient.id);
    const otherAgency = await newAgency(api);
    for (const token of [otherViewer.token, otherAgency.token]) {
      for (const breakdown of ['CHANNEL', 'SOURCE', 'CAMPAIGN']) {
        expect((await api.gql(SCORECARD, { clientId, month: '2026-10', breakdown }, token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
      }
      expect((await api.gql(WEEKLY_SCORECARD, { clientId, weekStart: '2026-10-05', breakdown: 'CHANNEL' }, token)).errors?.[0].extensions?.code).toBe(
        'NOT_FOUND',
      );
      expect((await api.gql(FUNNEL, { clientId, month: '2026-10', breakdown: 'SOURCE' }, token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const series = await api.gql(
        SERIES,
        { clientId, keys: ['sessions'], from: '2026-10-01', to: '2026-10-31', grain: 'MONTH', breakdown: 'CAMPAIGN' },
        token,
      );
      expect(series.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
    // The other agency's own client with the same channels sees none of this client's values.
    const theirs = await newClient(api, otherAgency, { name: 'Theirs', businessModel: 'ECOMMERCE' });
    const own = await api.gqlOk<SeriesResult>(
      SERIES,
      { clientId: theirs.id, keys: ['sessions'], from: '2026-10-01', to: '2026-10-31', grain: 'MONTH', breakdown: 'CHANNEL' },
      otherAgency.token,
    );
    expect(own.kpiSeries[0].breakdown?.groups).toEqual([]);
  });
});
