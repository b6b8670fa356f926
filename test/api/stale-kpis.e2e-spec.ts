import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { METRIC_MONTHLY_REFRESH_SQL, UNHEALTHY_CONNECTIONS_SQL } from '@pilotage/database';
import type { ReportSnapshot } from '@pilotage/reporting';
import { approvePlan, newAgency, newClient, type TestAgency } from '../support/factories';
import { ownerPool } from '../support/test-database';
import { startTestApi, type TestApi } from '../support/test-api';
import { REPORT_SETUP_TIMEOUT_MS, RENDER_TEST_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';
import { readPdf, requestAndRender, storedPdf } from '../reports/report-fixtures';

/*
 * KPIs fed by a connection that stopped syncing are stale (issue #14). Connections are written
 * as the database owner, as the sync engine leaves them; values under their sources likewise,
 * with the roll-up refreshed by the import path's SQL.
 *
 * The shop, September 1 to November 30, 2026:
 * - GA4 312345678 (ACTIVE, through November 30): sessions and orders every day;
 * - Google Ads "Compte X" (NEEDS_REAUTHORIZATION, through November 15): spend, clicks and ad
 *   revenue up to November 15;
 * - Meta act_42 (FAILING but revoked: disconnected on purpose): spend up to October 10;
 * - the shop's own import (no connection): revenue every day.
 * Plan: sessions, ecommerce_conversion_rate (orders / sessions), revenue, cost_per_click
 * (ad_spend / ad_clicks), roas (ad_revenue / ad_spend). So cost_per_click and roas are stale
 * over any period ending after November 15, the others never while GA4 is active.
 */

const GA4 = 'GA4 312345678';
const ADS = 'GOOGLE_ADS 1234567890';
const META = 'META_ADS act_42';
const PLAN_KPIS = ['sessions', 'ecommerce_conversion_rate', 'revenue', 'cost_per_click', 'roas'];
const ADS_ERROR = 'Google refused the tokens (invalid_grant): the account owner must open a new connect link.';

const STALE_SOURCE = `platform accountName source status reason dataThrough`;
const SCORECARD = `query ($clientId: ID!, $month: String!) {
  scorecard(clientId: $clientId, month: $month) { rows { kpiKey value stale staleSources { ${STALE_SOURCE} } } } }`;
const WEEKLY_SCORECARD = `query ($clientId: ID!, $weekStart: String!) {
  weeklyScorecard(clientId: $clientId, weekStart: $weekStart) { rows { kpiKey stale staleSources { platform dataThrough } } } }`;
const SERIES = `query ($clientId: ID!, $keys: [String!]!, $from: String!, $to: String!) {
  kpiSeries(clientId: $clientId, kpiKeys: $keys, from: $from, to: $to, grain: MONTH) { kpiKey stale staleSources { platform source dataThrough } points { value } } }`;
const FUNNEL = `query ($clientId: ID!, $month: String!, $breakdown: BreakdownDimension) {
  funnel(clientId: $clientId, month: $month, breakdown: $breakdown) {
    stages { metricKey stale staleSources { platform status dataThrough } }
    revenue { kpiKey stale }
    breakdown { groups { key stages { metricKey stale } } } } }`;

interface StaleSource {
  platform: string;
  accountName?: string;
  source?: string;
  status?: string;
  reason?: string | null;
  dataThrough: string | null;
}
interface Row {
  kpiKey: string;
  stale: boolean;
  staleSources: StaleSource[];
}

interface Value {
  readonly metricKey: string;
  readonly date: string;
  readonly value: number;
  readonly source: string;
}

function days(from: string, to: string): string[] {
  const result: string[] = [];
  for (let day = new Date(`${from}T00:00:00Z`); day <= new Date(`${to}T00:00:00Z`); day.setUTCDate(day.getUTCDate() + 1))
    result.push(day.toISOString().slice(0, 10));
  return result;
}

function daily(metricKey: string, from: string, to: string, value: number, source: string): Value[] {
  return days(from, to).map((date) => ({ metricKey, date, value, source }));
}

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
     SELECT $1, $2, v.metric_key, v.date, v.source, 'OTHER', '', 'DAY', v.value, $3, NULL
       FROM unnest($4::text[], $5::date[], $6::text[], $7::numeric[]) AS v(metric_key, date, source, value)`,
    [
      agencyId,
      clientId,
      importId,
      values.map((value) => value.metricKey),
      values.map((value) => value.date),
      values.map((value) => value.source),
      values.map((value) => value.value),
    ],
  );
  const months = [...new Set(values.map((value) => `${value.metricKey}|${value.date.slice(0, 7)}-01`))].map((pair) => pair.split('|'));
  await owner.query(METRIC_MONTHLY_REFRESH_SQL, [agencyId, clientId, months.map(([metricKey]) => metricKey), months.map(([, month]) => month)]);
}

interface ConnectionRow {
  readonly provider: string;
  readonly accountId: string;
  readonly accountName: string | null;
  readonly source: string;
  readonly status: string;
  readonly lastError?: string | null;
  readonly dataThrough: string | null;
  readonly revoked?: boolean;
}

/** A connection as the sync engine leaves it (no tokens: the status is what matters here). */
async function connect(owner: Pool, agencyId: string, clientId: string, connection: ConnectionRow): Promise<string> {
  const id = randomUUID();
  await owner.query(
    `INSERT INTO data_connections (agency_id, id, client_id, provider, account_id, account_name, source, status, last_error, data_through, revoked_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $11 THEN now() END)`,
    [
      agencyId,
      id,
      clientId,
      connection.provider,
      connection.accountId,
      connection.accountName,
      connection.source,
      connection.status,
      connection.lastError ?? null,
      connection.dataThrough,
      connection.revoked === true,
    ],
  );
  return id;
}

const SHOP_VALUES: Value[] = [
  ...daily('sessions', '2026-09-01', '2026-11-30', 1000, GA4),
  ...daily('orders', '2026-09-01', '2026-11-30', 20, GA4),
  ...daily('revenue', '2026-09-01', '2026-11-30', 1500, 'shop'),
  ...daily('ad_spend', '2026-09-01', '2026-11-15', 100, ADS),
  ...daily('ad_clicks', '2026-09-01', '2026-11-15', 250, ADS),
  ...daily('ad_revenue', '2026-09-01', '2026-11-15', 400, ADS),
  ...daily('ad_spend', '2026-09-01', '2026-10-10', 30, META),
];

describe('KPIs fed by a connection that stopped syncing (stale)', () => {
  let api: TestApi;
  let owner: Pool;
  let agency: TestAgency;
  let clientId: string;
  let ga4ConnectionId: string;

  beforeAll(async () => {
    api = await startTestApi();
    owner = ownerPool();
    agency = await newAgency(api, { name: 'Agence Horizon', locale: 'fr' });
    clientId = (await newClient(api, agency, { name: 'Maison Lumière', businessModel: 'ECOMMERCE', locale: 'fr', currency: 'EUR', timeZone: 'Europe/Paris' }))
      .id;
    await approvePlan(api, agency, {
      clientId,
      businessModel: 'ECOMMERCE',
      channels: ['SEO', 'EMAIL'],
      coreTarget: 'Amateurs de luminaires design',
      objectiveKeys: ['INCREASE_SALES'],
      selections: PLAN_KPIS.map((kpiKey) => ({ kpiKey, objectiveKey: 'INCREASE_SALES' })),
    });
    await seed(owner, agency.agencyId, clientId, SHOP_VALUES);
    ga4ConnectionId = await connect(owner, agency.agencyId, clientId, {
      provider: 'GA4',
      accountId: '312345678',
      accountName: 'maison-lumiere.fr',
      source: GA4,
      status: 'ACTIVE',
      dataThrough: '2026-11-30',
    });
    await connect(owner, agency.agencyId, clientId, {
      provider: 'GOOGLE_ADS',
      accountId: '1234567890',
      accountName: 'Compte X',
      source: ADS,
      status: 'NEEDS_REAUTHORIZATION',
      lastError: ADS_ERROR,
      dataThrough: '2026-11-15',
    });
    await connect(owner, agency.agencyId, clientId, {
      provider: 'META_ADS',
      accountId: 'act_42',
      accountName: 'Lumière Meta',
      source: META,
      status: 'FAILING',
      lastError: 'Meta answered 500.',
      dataThrough: '2026-10-10',
      revoked: true,
    });

    // Failing feeds of the same source name elsewhere: another client of this agency, and another agency's client.
    const sibling = (await newClient(api, agency, { name: 'Sibling', businessModel: 'ECOMMERCE' })).id;
    await seed(owner, agency.agencyId, sibling, daily('sessions', '2026-11-01', '2026-11-05', 10, GA4));
    await connect(owner, agency.agencyId, sibling, {
      provider: 'GA4',
      accountId: '312345678',
      accountName: null,
      source: GA4,
      status: 'FAILING',
      dataThrough: null,
    });
  }, REPORT_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await owner?.end();
    await api?.close();
  }, TEARDOWN_TIMEOUT_MS);

  async function scorecard(month: string): Promise<Map<string, Row>> {
    const data = await api.gqlOk<{ scorecard: { rows: Row[] } }>(SCORECARD, { clientId, month }, agency.token);
    return new Map(data.scorecard.rows.map((row) => [row.kpiKey, row]));
  }

  function staleKeys(rows: Iterable<Row>): string[] {
    return [...rows].filter((row) => row.stale).map((row) => row.kpiKey);
  }

  it('marks stale exactly the KPIs reading the failing connection’s metrics, over a month it stopped in', async () => {
    const rows = await scorecard('2026-11');
    expect(staleKeys(rows.values())).toEqual(['cost_per_click', 'roas']);
    const googleAds = {
      platform: 'GOOGLE_ADS',
      accountName: 'Compte X',
      source: ADS,
      status: 'NEEDS_REAUTHORIZATION',
      reason: ADS_ERROR,
      dataThrough: '2026-11-15',
    };
    expect(rows.get('cost_per_click')?.staleSources).toEqual([googleAds]);
    expect(rows.get('roas')?.staleSources).toEqual([googleAds]);
    // The revoked Meta connection also fed ad_spend: disconnected on purpose, it marks nothing.
    for (const key of ['sessions', 'ecommerce_conversion_rate', 'revenue']) expect(rows.get(key)?.staleSources).toEqual([]);
  });

  it('leaves fresh a month the failing connection had pulled to its end', async () => {
    expect(staleKeys((await scorecard('2026-10')).values())).toEqual([]);
  });

  it('judges each ISO week by its own end: covered through its Sunday, or not', async () => {
    const week = async (weekStart: string): Promise<Row[]> =>
      (await api.gqlOk<{ weeklyScorecard: { rows: Row[] } }>(WEEKLY_SCORECARD, { clientId, weekStart }, agency.token)).weeklyScorecard.rows;
    // 9–15 November: the Ads figures run through the 15th, the week's Sunday.
    expect(staleKeys(await week('2026-11-09'))).toEqual([]);
    const after = await week('2026-11-16');
    expect(staleKeys(after)).toEqual(['cost_per_click', 'roas']);
    expect(after.find((row) => row.kpiKey === 'roas')?.staleSources).toEqual([{ platform: 'GOOGLE_ADS', dataThrough: '2026-11-15' }]);
  });

  it('marks a series by its last period', async () => {
    type Series = { kpiKey: string; stale: boolean; staleSources: StaleSource[]; points: { value: number | null }[] };
    const series = async (to: string): Promise<Series[]> =>
      (await api.gqlOk<{ kpiSeries: Series[] }>(SERIES, { clientId, keys: ['cost_per_click', 'sessions'], from: '2026-09-01', to }, agency.token)).kpiSeries;
    const toNovember = await series('2026-11-30');
    expect(toNovember.map((one) => [one.kpiKey, one.stale])).toEqual([
      ['cost_per_click', true],
      ['sessions', false],
    ]);
    expect(toNovember[0].staleSources).toEqual([{ platform: 'GOOGLE_ADS', source: ADS, dataThrough: '2026-11-15' }]);
    // The values are what was pulled, the revoked Meta account's spend kept: September (100 + 30) / 250,
    // October (31 × 100 + 10 × 30) / (31 × 250), November over the 15 days Google Ads brought, 100 / 250.
    const cpc = toNovember[0].points.map((point) => point.value ?? Number.NaN);
    [0.52, 3400 / 7750, 0.4].forEach((expected, index) => expect(cpc[index]).toBeCloseTo(expected, 12));
    expect((await series('2026-10-31')).map((one) => one.stale)).toEqual([false, false]);
  });

  it('marks the funnel’s steps and revenue when their connection fails, and not while it is active', async () => {
    type FunnelResult = {
      funnel: {
        stages: { metricKey: string; stale: boolean; staleSources: StaleSource[] }[];
        revenue: { kpiKey: string | null; stale: boolean };
        breakdown: { groups: { key: string | null; stages: { metricKey: string; stale: boolean }[] }[] } | null;
      };
    };
    const funnel = async (breakdown: string | null = null): Promise<FunnelResult['funnel']> =>
      (await api.gqlOk<FunnelResult>(FUNNEL, { clientId, month: '2026-11', breakdown }, agency.token)).funnel;
    const active = await funnel();
    expect(active.stages.map((stage) => [stage.metricKey, stage.stale])).toEqual([
      ['sessions', false],
      ['orders', false],
      ['returning_customer_orders', false],
    ]);
    expect(active.revenue).toEqual({ kpiKey: 'revenue', stale: false });

    await owner.query(
      `UPDATE data_connections SET status = 'FAILING', last_error = 'GA4 answered 503.', data_through = '2026-11-20' WHERE agency_id = $1 AND id = $2`,
      [agency.agencyId, ga4ConnectionId],
    );
    try {
      const failing = await funnel('SOURCE');
      expect(failing.stages.map((stage) => [stage.metricKey, stage.stale])).toEqual([
        ['sessions', true],
        ['orders', true],
        // Returning customers' orders come from no connection; its rate reads orders, which does.
        ['returning_customer_orders', true],
      ]);
      expect(failing.stages[0].staleSources).toEqual([{ platform: 'GA4', status: 'FAILING', dataThrough: '2026-11-20' }]);
      // The shop's own revenue import stands on no connection.
      expect(failing.revenue.stale).toBe(false);
      // Per source, only GA4's own group is stale.
      const groups = new Map((failing.breakdown?.groups ?? []).map((group) => [group.key, group.stages[0].stale]));
      expect(groups.get(GA4)).toBe(true);
      expect([...groups].filter(([key]) => key !== GA4).every(([, stale]) => !stale)).toBe(true);
      expect(staleKeys((await scorecard('2026-11')).values())).toEqual(['sessions', 'ecommerce_conversion_rate', 'cost_per_click', 'roas']);
    } finally {
      await owner.query(`UPDATE data_connections SET status = 'ACTIVE', last_error = NULL, data_through = '2026-11-30' WHERE agency_id = $1 AND id = $2`, [
        agency.agencyId,
        ga4ConnectionId,
      ]);
    }
  });

  it('never marks a KPI by another agency’s failing connection of the same source', async () => {
    const otherAgency = await newAgency(api, { locale: 'en' });
    const theirs = (await newClient(api, otherAgency, { name: 'Theirs', businessModel: 'ECOMMERCE' })).id;
    await seed(owner, otherAgency.agencyId, theirs, daily('sessions', '2026-11-01', '2026-11-10', 10, GA4));
    await connect(owner, otherAgency.agencyId, theirs, {
      provider: 'GA4',
      accountId: '312345678',
      accountName: 'Theirs',
      source: GA4,
      status: 'FAILING',
      dataThrough: '2026-11-10',
    });
    const series = (token: string, id: string) =>
      api.gqlOk<{ kpiSeries: { stale: boolean; staleSources: StaleSource[] }[] }>(
        SERIES,
        { clientId: id, keys: ['sessions'], from: '2026-11-01', to: '2026-11-30' },
        token,
      );
    // Their own client is stale by their connection…
    expect((await series(otherAgency.token, theirs)).kpiSeries[0].staleSources).toEqual([{ platform: 'GA4', source: GA4, dataThrough: '2026-11-10' }]);
    // …ours is not, by theirs nor by our other client's failing one.
    expect((await series(agency.token, clientId)).kpiSeries[0]).toMatchObject({ stale: false, staleSources: [] });
    expect((await scorecard('2026-11')).get('sessions')?.stale).toBe(false);
  });

  it('reads the connections’ metrics by the roll-up’s primary key', async () => {
    // A handful of rows makes a sequential scan the cheapest plan: forbidding it shows the index serves the predicate.
    const client = await owner.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${UNHEALTHY_CONNECTIONS_SQL}`, [agency.agencyId, clientId]);
      const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(text).toMatch(/(Index (Only )?Scan using|Bitmap Index Scan on) metric_monthly_pkey/);
      expect(text).toMatch(/Index Cond: \(\(agency_id = c\.agency_id\) AND \(client_id = c\.client_id\)/);
      expect(text).not.toMatch(/Seq Scan on metric_monthly/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it(
    'prints a mark next to each stale KPI and a note naming the connection, in French and in English, frozen with the report',
    async () => {
      const november = await requestAndRender(api, agency, clientId, '2026-11-01');
      const snapshot = november.snapshot as ReportSnapshot;
      expect(snapshot.kpis.filter((kpi) => (kpi.staleSources ?? []).length > 0).map((kpi) => kpi.key)).toEqual(['cost_per_click', 'roas']);
      expect(snapshot.kpis.find((kpi) => kpi.key === 'roas')?.staleSources).toEqual([
        { provider: 'GOOGLE_ADS', accountName: 'Compte X', status: 'NEEDS_REAUTHORIZATION', dataThrough: '2026-11-15' },
      ]);
      const french = (await readPdf(await storedPdf(api, november))).text.replace(/\s+/g, ' ');
      expect(french).toContain(
        'Données incomplètes : la connexion Google Ads « Compte X » ne se synchronise plus depuis le 15 nov. 2026 (réautorisation nécessaire).',
      );
      // Once per connection, however many KPIs it feeds.
      expect(french.split('Données incomplètes').length - 1).toBe(1);
      expect(french).toMatch(/†/);

      const october = (await readPdf(await storedPdf(api, await requestAndRender(api, agency, clientId, '2026-10-01')))).text;
      expect(october).not.toContain('Données incomplètes');
      expect(october).not.toContain('†');

      await api.gqlOk(`mutation ($input: UpdateClientInput!) { updateClient(input: $input) { id } }`, { input: { id: clientId, locale: 'en' } }, agency.token);
      const english = await requestAndRender(api, agency, clientId, '2026-11-01');
      expect(english.version).toBeGreaterThan(november.version);
      const text = (await readPdf(await storedPdf(api, english))).text.replace(/\s+/g, ' ');
      expect(text).toContain('Incomplete data: the Google Ads connection “Compte X” has not synced since 15 Nov 2026 (reauthorization needed).');
    },
    RENDER_TEST_TIMEOUT_MS,
  );
});
