import { newAgency, newClient, newClientViewer, type TestAgency } from '../support/factories';
import { startTestApi, type TestApi } from '../support/test-api';
import { APP_BOOT_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const RECORD = `mutation ($input: RecordMetricValuesInput!) { recordMetricValues(input: $input) { inserted } }`;
const SCORECARD = `query ($clientId: ID!, $month: String!) { scorecard(clientId: $clientId, month: $month) {
  planVersion start end rows { kpiKey value state coverage daysWithData daysInPeriod target attainment status
    explanation { code } mom { value change { kind absolute points percent } } yoy { value change { kind points } }
    ytd { value target lastYear { value } } series { start value target state } } } }`;
const SERIES = `query ($clientId: ID!, $keys: [String!]!, $from: String!, $to: String!, $grain: PeriodGrain!) {
  kpiSeries(clientId: $clientId, kpiKeys: $keys, from: $from, to: $to, grain: $grain) { kpiKey name points { start end value target coverage state } } }`;
const WEEKLY_SCORECARD = `query ($clientId: ID!, $weekStart: String!) { weeklyScorecard(clientId: $clientId, weekStart: $weekStart) {
  start end rows { kpiKey value state daysWithData daysInPeriod target status mom { value } series { start value } } } }`;
const WEEKLY_FUNNEL = `query ($clientId: ID!, $weekStart: String!) { weeklyFunnel(clientId: $clientId, weekStart: $weekStart) { stages { stage value } } }`;
const FUNNEL = `query ($clientId: ID!, $month: String!) { funnel(clientId: $clientId, month: $month) {
  stages { stage metricKey value conversionFromPrevious } revenue { kpiKey value } } }`;

interface Row {
  kpiKey: string;
  value: number | null;
  state: string;
  coverage: number;
  daysWithData: number;
  daysInPeriod: number;
  target: number | null;
  attainment: number | null;
  status: string;
  explanation: { code: string };
  mom: { value: number | null; change: { kind: string; absolute: number; points: number | null; percent: number | null } | null };
  yoy: { value: number | null; change: { kind: string; points: number | null } | null };
  ytd: { value: number | null; target: number | null; lastYear: { value: number | null } };
  series: Array<{ start: string; value: number | null; target: number | null; state: string }>;
}

describe('analytics (GraphQL)', () => {
  let api: TestApi;
  let agency: TestAgency;
  let clientId: string;

  const day = (metricKey: string, date: string, value: string, granularity = 'DAY') => ({ metricKey, date, value, granularity });

  beforeAll(async () => {
    api = await startTestApi();
    agency = await newAgency(api, { locale: 'fr' });
    clientId = (await newClient(api, agency, { name: 'Maison Lumière', businessModel: 'ECOMMERCE', locale: 'fr' })).id;
    const values = [
      // October 2026: two days only. Daily conversion rates are 1 % and 9 %: their mean (5 %)
      // is NOT the month's rate, which is 19 orders / 1,100 sessions.
      day('sessions', '2026-10-01', '1000'),
      day('orders', '2026-10-01', '10'),
      day('revenue', '2026-10-01', '500.50'),
      day('visitors', '2026-10-01', '800'),
      day('customers_total', '2026-10-01', '400'),
      day('new_customers', '2026-10-01', '5'),
      day('customers_lost', '2026-10-01', '2'),
      day('sessions', '2026-10-02', '100'),
      day('orders', '2026-10-02', '9'),
      day('revenue', '2026-10-02', '449.55'),
      day('visitors', '2026-10-02', '300'),
      day('customers_total', '2026-10-02', '410'),
      day('new_customers', '2026-10-02', '5'),
      day('customers_lost', '2026-10-02', '0'),
      day('returning_customer_orders', '2026-10-02', '4'),
      day('referral_customers', '2026-10-02', '1'),
      // September 2026 typed by hand as monthly figures.
      day('sessions', '2026-09-01', '3000', 'MONTH'),
      day('orders', '2026-09-01', '60', 'MONTH'),
      // October 2025, for year-over-year.
      day('sessions', '2025-10-15', '2000'),
      day('orders', '2025-10-15', '30'),
      day('revenue', '2025-10-15', '700'),
    ];
    await api.gqlOk(RECORD, { input: { clientId, values } }, agency.token);

    const kickoff = await api.gqlOk<{ startKickoff: { id: string } }>(
      `mutation ($input: StartKickoffInput!) { startKickoff(input: $input) { id } }`,
      { input: { clientId, businessModel: 'ECOMMERCE', traits: [], channels: ['SEO'], coreTarget: 'Amateurs de luminaires' } },
      agency.token,
    );
    const kickoffId = kickoff.startKickoff.id;
    await api.gqlOk(
      `mutation ($input: SetKickoffObjectivesInput!) { setKickoffObjectives(input: $input) { warnings { code } } }`,
      { input: { kickoffId, objectiveKeys: ['INCREASE_SALES'] } },
      agency.token,
    );
    await api.gqlOk(
      `mutation ($input: SelectKickoffKpisInput!) { selectKickoffKpis(input: $input) { warnings { code } } }`,
      {
        input: {
          kickoffId,
          selections: ['ecommerce_conversion_rate', 'average_order_value', 'revenue', 'churn_rate'].map((kpiKey) => ({
            kpiKey,
            objectiveKey: 'INCREASE_SALES',
          })),
        },
      },
      agency.token,
    );
    await api.gqlOk(
      `mutation ($input: SetKickoffTargetsInput!) { setKickoffTargets(input: $input) { id } }`,
      { input: { kickoffId, year: 2026, targets: [{ kpiKey: 'ecommerce_conversion_rate', month: 10, value: 0.021 }] } },
      agency.token,
    );
    await api.gqlOk(
      `mutation ($input: SplitKickoffAnnualTargetInput!) { splitKickoffAnnualTarget(input: $input) { mode } }`,
      { input: { kickoffId, kpiKey: 'revenue', year: 2026, annual: 12_000, mode: 'EVEN' } },
      agency.token,
    );
    await api.gqlOk(`mutation ($id: ID!) { approveKickoff(kickoffId: $id) { id } }`, { id: kickoffId }, agency.token);
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(() => api.close(), TEARDOWN_TIMEOUT_MS);

  async function scorecardRows(token = agency.token): Promise<Map<string, Row>> {
    const data = await api.gqlOk<{ scorecard: { planVersion: number; rows: Row[] } }>(SCORECARD, { clientId, month: '2026-10' }, token);
    expect(data.scorecard.planVersion).toBe(1);
    return new Map(data.scorecard.rows.map((row) => [row.kpiKey, row]));
  }

  it('computes a month’s conversion rate as the ratio of sums, with coverage, target and status', async () => {
    const rows = await scorecardRows();
    const conversion = rows.get('ecommerce_conversion_rate');
    expect(conversion?.value).toBeCloseTo(19 / 1100, 12);
    expect(conversion?.value).not.toBeCloseTo(0.05, 3);
    expect(conversion).toMatchObject({ state: 'PARTIAL', daysWithData: 2, daysInPeriod: 31, target: 0.021, status: 'OFF_TRACK' });
    expect(conversion?.coverage).toBeCloseTo(2 / 31, 12);
    // 1.727 % against 2.1 %: 82 % of the target, below the 90 % at-risk line.
    expect(conversion?.attainment).toBeCloseTo(19 / 1100 / 0.021, 12);
    // September was entered as one monthly figure (60 / 3,000 = 2 %): -0.27 pt month over month.
    expect(conversion?.mom.value).toBeCloseTo(0.02, 12);
    expect(conversion?.mom.change?.kind).toBe('POINTS');
    expect(conversion?.mom.change?.points).toBeCloseTo((19 / 1100 - 0.02) * 100, 10);
    // October 2025: 30 / 2,000 = 1.5 %.
    expect(conversion?.yoy.value).toBeCloseTo(0.015, 12);
    expect(conversion?.yoy.change?.points).toBeCloseTo((19 / 1100 - 0.015) * 100, 10);
  });

  it('sums flows exactly to the cent and compares them in percent, year to date against the targets so far', async () => {
    const revenue = (await scorecardRows()).get('revenue');
    expect(revenue?.value).toBeCloseTo(950.05, 10);
    // Two of October's 31 days have revenue: judged against 2/31 of the 1,000 target, ahead of it
    // (missing days are not a shortfall), and flagged incomplete.
    expect(revenue).toMatchObject({ target: 1000, status: 'ON_TRACK', daysWithData: 2 });
    expect(revenue?.attainment).toBeCloseTo(950.05 / ((1000 * 2) / 31), 10);
    expect(revenue?.yoy.change).toMatchObject({ kind: 'PERCENT' });
    expect(revenue?.ytd).toEqual({ value: 950.05, target: 10_000, lastYear: { value: 700 } });
    const aov = (await scorecardRows()).get('average_order_value');
    expect(aov?.value).toBeCloseTo(950.05 / 19, 10);
  });

  it('takes a stock’s last value of the month for churn (customers lost / customers at start)', async () => {
    const churn = (await scorecardRows()).get('churn_rate');
    // Customers at start = 410 (last value) - 10 new + 2 lost = 402.
    expect(churn?.value).toBeCloseTo(2 / 402, 12);
    expect(churn?.status).toBe('NO_TARGET');
  });

  it('returns a 13-month series with the targets, missing months as no data (not zero)', async () => {
    const conversion = (await scorecardRows()).get('ecommerce_conversion_rate');
    expect(conversion?.series).toHaveLength(13);
    // October 2025 has one day of data: a partial month, still a value.
    expect(conversion?.series[0]).toMatchObject({ start: '2025-10-01', state: 'PARTIAL' });
    expect(conversion?.series[0].value).toBeCloseTo(0.015, 12);
    expect(conversion?.series[1]).toEqual({ start: '2025-11-01', value: null, target: null, state: 'NO_DATA' });
    expect(conversion?.series[12]).toMatchObject({ start: '2026-10-01', target: 0.021 });
  });

  it('serves KPI series by month and by ISO week', async () => {
    const monthly = await api.gqlOk<{
      kpiSeries: Array<{ kpiKey: string; name: string; points: Array<{ start: string; value: number | null; target: number | null }> }>;
    }>(SERIES, { clientId, keys: ['ecommerce_conversion_rate'], from: '2026-09-01', to: '2026-10-31', grain: 'MONTH' }, agency.token);
    expect(monthly.kpiSeries[0].name).toBe('Taux de conversion e-commerce');
    expect(monthly.kpiSeries[0].points.map((point) => point.start)).toEqual(['2026-09-01', '2026-10-01']);
    expect(monthly.kpiSeries[0].points[1].target).toBe(0.021);
    const weekly = await api.gqlOk<{ kpiSeries: Array<{ points: Array<{ start: string; end: string; value: number | null }> }> }>(
      SERIES,
      { clientId, keys: ['revenue'], from: '2026-09-28', to: '2026-10-11', grain: 'WEEK' },
      agency.token,
    );
    // ISO week 40 of 2026 runs Monday 28 September to Sunday 4 October.
    expect(weekly.kpiSeries[0].points).toEqual([
      { start: '2026-09-28', end: '2026-10-04', value: 950.05, target: null, coverage: 2 / 7, state: 'PARTIAL' },
      { start: '2026-10-05', end: '2026-10-11', value: null, target: null, coverage: 0, state: 'NO_DATA' },
    ]);
  });

  it('computes the funnel stage to stage, revenue apart', async () => {
    const data = await api.gqlOk<{
      funnel: {
        stages: Array<{ stage: string; value: number | null; conversionFromPrevious: number | null }>;
        revenue: { kpiKey: string | null; value: number | null };
      };
    }>(FUNNEL, { clientId, month: '2026-10' }, agency.token);
    const stages = data.funnel.stages;
    // Sessions → orders → repeat orders: events, each a subset of the one above.
    expect(stages.map((stage) => stage.value)).toEqual([1100, 19, 4]);
    expect(stages[1].conversionFromPrevious).toBeCloseTo(19 / 1100, 12);
    // Repeat orders are known on the 2nd only: the rate divides them by that day's 9 orders, not the month's 19
    // (the scorecard's repeat purchase rate aligns its inputs the same way).
    expect(stages[2].conversionFromPrevious).toBeCloseTo(4 / 9, 12);
    expect(data.funnel.revenue).toEqual({ kpiKey: 'revenue', value: 950.05 });
  });

  it('serves the scorecard of an ISO week across a month boundary, with volume targets prorated by days', async () => {
    const data = await api.gqlOk<{ weeklyScorecard: { start: string; end: string; rows: Row[] } }>(
      WEEKLY_SCORECARD,
      { clientId, weekStart: '2026-09-28' },
      agency.token,
    );
    expect(data.weeklyScorecard).toMatchObject({ start: '2026-09-28', end: '2026-10-04' });
    const rows = new Map(data.weeklyScorecard.rows.map((row) => [row.kpiKey, row]));
    // The week holds October 1 and 2: the same ratio of sums as the month.
    expect(rows.get('ecommerce_conversion_rate')).toMatchObject({ state: 'PARTIAL', daysWithData: 2, daysInPeriod: 7, target: 0.021 });
    expect(rows.get('ecommerce_conversion_rate')?.value).toBeCloseTo(19 / 1100, 12);
    // Revenue: 1,000 a month (12,000 split evenly): 3 days of September's, 4 of October's.
    expect(rows.get('revenue')?.value).toBeCloseTo(950.05, 10);
    expect(rows.get('revenue')?.target).toBeCloseTo((1000 * 3) / 30 + (1000 * 4) / 31, 8);
    // The week before has no data at all: no value, not zero.
    expect(rows.get('revenue')?.mom.value).toBeNull();
    expect(
      rows
        .get('revenue')
        ?.series.map((point) => point.start)
        .slice(-2),
    ).toEqual(['2026-09-21', '2026-09-28']);
    const funnel = await api.gqlOk<{ weeklyFunnel: { stages: Array<{ stage: string; value: number | null }> } }>(
      WEEKLY_FUNNEL,
      { clientId, weekStart: '2026-09-28' },
      agency.token,
    );
    expect(funnel.weeklyFunnel.stages[0]).toEqual({ stage: 'ACQUISITION', value: 1100 });
    const tuesday = await api.gql(WEEKLY_SCORECARD, { clientId, weekStart: '2026-09-29' }, agency.token);
    expect(tuesday.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'weekStart', message: expect.stringMatching(/Monday/) }],
    });
  });

  it('rejects a malformed month and an unknown KPI naming the field', async () => {
    const month = await api.gql(SCORECARD, { clientId, month: '2026-13' }, agency.token);
    expect(month.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'month' }] });
    const unknown = await api.gql(SERIES, { clientId, keys: ['revenue', 'nope'], from: '2026-01-01', to: '2026-02-01', grain: 'MONTH' }, agency.token);
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'kpiKeys.1' }] });
  });

  it('lists clients with their active plan, batched in one DataLoader call per page', async () => {
    const data = await api.gqlOk<{
      clients: { edges: Array<{ node: { id: string; activePlan: { version: number; kpis: Array<{ kpiKey: string }> } | null } }> };
    }>(`{ clients(first: 50) { edges { node { id activePlan { version kpis { kpiKey } } } } } }`, {}, agency.token);
    const byId = new Map(data.clients.edges.map((edge) => [edge.node.id, edge.node.activePlan]));
    expect(byId.get(clientId)?.version).toBe(1);
    expect(byId.get(clientId)?.kpis.map((kpi) => kpi.kpiKey)).toEqual(['ecommerce_conversion_rate', 'average_order_value', 'revenue', 'churn_rate']);
    expect([...byId.entries()].filter(([id]) => id !== clientId).every(([, plan]) => plan === null)).toBe(true);
  });

  it('splits a yearly goal along last year’s months when the data exists (seasonality)', async () => {
    const seasonal = await newClient(api, agency, { name: 'Saisonnier', businessModel: 'ECOMMERCE' });
    // 2025 revenue typed as monthly figures: December weighs twice a normal month.
    const values = Array.from({ length: 12 }, (_, index) =>
      day('revenue', `2025-${String(index + 1).padStart(2, '0')}-01`, index === 11 ? '2000' : '1000', 'MONTH'),
    );
    await api.gqlOk(RECORD, { input: { clientId: seasonal.id, values } }, agency.token);
    const kickoff = await api.gqlOk<{ startKickoff: { id: string } }>(
      `mutation ($input: StartKickoffInput!) { startKickoff(input: $input) { id } }`,
      { input: { clientId: seasonal.id, businessModel: 'ECOMMERCE', traits: [], channels: [], coreTarget: 'Cadeaux de Noël' } },
      agency.token,
    );
    const kickoffId = kickoff.startKickoff.id;
    await api.gqlOk(
      `mutation ($input: SetKickoffObjectivesInput!) { setKickoffObjectives(input: $input) { warnings { code } } }`,
      { input: { kickoffId, objectiveKeys: ['INCREASE_SALES'] } },
      agency.token,
    );
    await api.gqlOk(
      `mutation ($input: SelectKickoffKpisInput!) { selectKickoffKpis(input: $input) { warnings { code } } }`,
      { input: { kickoffId, selections: [{ kpiKey: 'revenue', objectiveKey: 'INCREASE_SALES' }] } },
      agency.token,
    );
    const split = await api.gqlOk<{
      splitKickoffAnnualTarget: { mode: string; fallbackReason: string | null; targets: Array<{ month: number; value: number }> };
    }>(
      `mutation ($input: SplitKickoffAnnualTargetInput!) { splitKickoffAnnualTarget(input: $input) { mode fallbackReason targets { month value } } }`,
      { input: { kickoffId, kpiKey: 'revenue', year: 2026, annual: 26_000, mode: 'SEASONAL' } },
      agency.token,
    );
    expect(split.splitKickoffAnnualTarget.mode).toBe('SEASONAL');
    expect(split.splitKickoffAnnualTarget.fallbackReason).toBeNull();
    expect(split.splitKickoffAnnualTarget.targets.map((target) => target.value)).toEqual([...Array(11).fill(2000), 4000]);
  });

  it('lets the client’s viewer read their analytics, and nobody else', async () => {
    const viewer = await newClientViewer(api, agency, clientId);
    expect((await scorecardRows(viewer.token)).get('revenue')?.value).toBeCloseTo(950.05, 10);

    const otherClient = await newClient(api, agency, { name: 'Other' });
    const otherViewer = await newClientViewer(api, agency, otherClient.id);
    const otherAgency = await newAgency(api);
    for (const token of [otherViewer.token, otherAgency.token]) {
      expect((await api.gql(SCORECARD, { clientId, month: '2026-10' }, token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect((await api.gql(FUNNEL, { clientId, month: '2026-10' }, token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect((await api.gql(WEEKLY_SCORECARD, { clientId, weekStart: '2026-09-28' }, token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect((await api.gql(WEEKLY_FUNNEL, { clientId, weekStart: '2026-09-28' }, token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const series = await api.gql(SERIES, { clientId, keys: ['revenue'], from: '2026-10-01', to: '2026-10-31', grain: 'MONTH' }, token);
      expect(series.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
  });
});
