import type { Pool } from 'pg';
import { addDays, addMonths, localDate } from '@pilotage/kpi';
import { demoHistory, seedDemoData, type DemoClientData } from '../../apps/demo/src/demo-data';
import { DEMO_PROFILES } from '../../apps/demo/src/demo-series';
import { DEMO_LOGIN, seedDemoAgency, type DemoAgency } from '../../apps/demo/src/demo-seed';
import { PilotageApiClient } from '../../apps/demo/src/pilotage-api.client';
import { startTestApi, type TestApi } from '../support/test-api';
import { ownerPool } from '../support/test-database';
import { RENDER_TEST_TIMEOUT_MS, REPORT_SETUP_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { token } }`;
const CLIENTS = `{ clients(first: 10) { edges { node { id name timeZone activePlan { version year kpis { kpiKey stage } targets { kpiKey } } } } } }`;
const SCORECARD = `query ($clientId: ID!, $month: String!) { scorecard(clientId: $clientId, month: $month) {
  planVersion rows { kpiKey stage value state status daysWithData daysInPeriod target } } }`;

interface ClientNode {
  id: string;
  name: string;
  timeZone: string;
  activePlan: { version: number; year: number; kpis: Array<{ kpiKey: string; stage: string }>; targets: Array<{ kpiKey: string }> } | null;
}
interface ScorecardRow {
  kpiKey: string;
  stage: string;
  value: number | null;
  state: string;
  status: string;
  daysWithData: number;
  daysInPeriod: number;
  target: number | null;
}

describe('demo data (seedDemoData)', () => {
  let api: TestApi;
  /** The demo's own GraphQL client, against the test API over HTTP. */
  let demoApi: PilotageApiClient;
  let owner: Pool;
  let demo: DemoAgency;
  let seeded: DemoClientData[];
  let token: string;

  beforeAll(async () => {
    api = await startTestApi();
    owner = ownerPool();
    demoApi = new PilotageApiClient(api.baseUrl);
    // The demo owner proves the address the real way here: the link e-mailed to the test's SMTP peer.
    demo = await seedDemoAgency(demoApi, async ({ email }) => {
      await api.gqlOk(`mutation ($input: AccountTokenInput!) { verifyEmail(input: $input) { token } }`, {
        input: { token: await api.takeAccountToken(email) },
      });
    });
    seeded = await seedDemoData(demoApi, demo);
    const login = await api.gqlOk<{ login: { token: string } }>(LOGIN, { input: { email: DEMO_LOGIN.email, password: DEMO_LOGIN.password } });
    token = login.login.token;
  }, REPORT_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await api.close();
    await owner.end();
  }, TEARDOWN_TIMEOUT_MS);

  async function clients(): Promise<ClientNode[]> {
    const data = await api.gqlOk<{ clients: { edges: Array<{ node: ClientNode }> } }>(CLIENTS, {}, token);
    return data.clients.edges.map((edge) => edge.node);
  }

  function lastCompleteMonth(timeZone: string): string {
    return addMonths(`${localDate(new Date(), timeZone).slice(0, 7)}-01`, -1).slice(0, 7);
  }

  async function totals(): Promise<{ values: number; sum: string; plans: number; kickoffs: number; imports: number }> {
    const result = await owner.query(
      `SELECT (SELECT count(*)::int FROM metric_values WHERE agency_id = $1) AS values,
              (SELECT coalesce(sum(value), 0)::text FROM metric_values WHERE agency_id = $1) AS sum,
              (SELECT count(*)::int FROM kpi_plans WHERE agency_id = $1) AS plans,
              (SELECT count(*)::int FROM kickoffs WHERE agency_id = $1) AS kickoffs,
              (SELECT count(*)::int FROM metric_imports WHERE agency_id = $1) AS imports`,
      [demo.agencyId],
    );
    return result.rows[0] as { values: number; sum: string; plans: number; kickoffs: number; imports: number };
  }

  it('gives both demo clients an active plan of 10 to 12 KPIs over the five funnel stages, with monthly targets', async () => {
    expect(seeded.map((client) => client.seeded)).toEqual([true, true]);
    const list = await clients();
    expect(list.map((client) => client.name).sort()).toEqual(['Cloudly', 'Maison Lumière']);
    for (const client of list) {
      const plan = client.activePlan;
      expect(plan).not.toBeNull();
      expect(plan?.version).toBe(1);
      expect(plan?.year).toBe(Number(lastCompleteMonth(client.timeZone).slice(0, 4)));
      expect(plan?.kpis.length).toBeGreaterThanOrEqual(10);
      expect(plan?.kpis.length).toBeLessThanOrEqual(12);
      expect(new Set(plan?.kpis.map((kpi) => kpi.stage))).toEqual(new Set(['ACQUISITION', 'CONVERSION', 'ENGAGEMENT', 'REVENUE', 'REFERRAL']));
      // Twelve monthly targets for every KPI of the plan.
      for (const kpi of plan?.kpis ?? []) expect(plan?.targets.filter((target) => target.kpiKey === kpi.kpiKey)).toHaveLength(12);
    }
  });

  it('fills the last complete month for every KPI but the one left without data, with mixed statuses', async () => {
    const statuses = new Set<string>();
    for (const client of await clients()) {
      const late = seeded.find((entry) => entry.clientId === client.id)?.lateKpiKey ?? null;
      const data = await api.gqlOk<{ scorecard: { planVersion: number; rows: ScorecardRow[] } }>(
        SCORECARD,
        { clientId: client.id, month: lastCompleteMonth(client.timeZone) },
        token,
      );
      expect(data.scorecard.planVersion).toBe(1);
      for (const row of data.scorecard.rows) {
        expect(row.target).not.toBeNull();
        if (row.kpiKey === late) {
          expect(row).toMatchObject({ value: null, state: 'NO_DATA', status: 'NO_DATA', daysWithData: 0 });
        } else {
          expect({ kpiKey: row.kpiKey, finite: Number.isFinite(row.value) }).toEqual({ kpiKey: row.kpiKey, finite: true });
          expect(['ON_TRACK', 'AT_RISK', 'OFF_TRACK']).toContain(row.status);
          statuses.add(row.status);
        }
      }
    }
    expect(seeded.filter((client) => client.lateKpiKey !== null)).toHaveLength(1);
    expect(statuses.size).toBeGreaterThanOrEqual(2);
  });

  it('leaves a few days of the last month missing, which the scorecard reports as partial', async () => {
    const shop = (await clients()).find((client) => client.name === 'Maison Lumière');
    if (!shop) throw new Error('Maison Lumière was not seeded');
    const data = await api.gqlOk<{ scorecard: { rows: ScorecardRow[] } }>(SCORECARD, { clientId: shop.id, month: lastCompleteMonth(shop.timeZone) }, token);
    const sessions = data.scorecard.rows.find((row) => row.kpiKey === 'sessions');
    expect(sessions).toMatchObject({ state: 'PARTIAL' });
    expect(sessions?.daysWithData).toBe((sessions?.daysInPeriod ?? 0) - 2);
  });

  it('records consistent figures: daily values up to yesterday, stocks that follow their flows, orders below sessions', async () => {
    for (const client of await clients()) {
      const today = localDate(new Date(), client.timeZone);
      const yesterday = addDays(today, -1);
      const range = await owner.query(`SELECT min(date)::text AS first, max(date)::text AS last FROM metric_values WHERE agency_id = $1 AND client_id = $2`, [
        demo.agencyId,
        client.id,
      ]);
      expect(range.rows[0]).toEqual({ first: addMonths(`${today.slice(0, 7)}-01`, -24), last: yesterday });
    }
    const saas = (await clients()).find((client) => client.name === 'Cloudly');
    if (!saas) throw new Error('Cloudly was not seeded');
    // Customers at the end of each day = the day before + new − lost, every day of the history.
    const broken = await owner.query(
      `WITH daily AS (
         SELECT date,
                max(value) FILTER (WHERE metric_key = 'customers_total') AS total,
                max(value) FILTER (WHERE metric_key = 'new_customers') AS gained,
                max(value) FILTER (WHERE metric_key = 'customers_lost') AS lost,
                max(value) FILTER (WHERE metric_key = 'mrr') AS mrr,
                max(value) FILTER (WHERE metric_key = 'new_mrr') + max(value) FILTER (WHERE metric_key = 'expansion_mrr')
                  - max(value) FILTER (WHERE metric_key = 'churned_mrr') AS mrr_change
         FROM metric_values WHERE agency_id = $1 AND client_id = $2 GROUP BY date)
       SELECT count(*)::int AS days,
              count(*) FILTER (WHERE total <> lag_total + gained - lost OR mrr <> lag_mrr + mrr_change)::int AS broken
       FROM (SELECT *, lag(total) OVER (ORDER BY date) AS lag_total, lag(mrr) OVER (ORDER BY date) AS lag_mrr FROM daily) AS days
       WHERE lag_total IS NOT NULL`,
      [demo.agencyId, saas.id],
    );
    expect(broken.rows[0].days).toBeGreaterThan(700);
    expect(broken.rows[0].broken).toBe(0);
    // Sessions and orders are recorded per channel: the funnel holds for the day's totals.
    const funnel = await owner.query(
      `WITH daily AS (
         SELECT client_id, date,
                sum(value) FILTER (WHERE metric_key = 'sessions') AS sessions,
                sum(value) FILTER (WHERE metric_key = 'carts_created') AS carts,
                sum(value) FILTER (WHERE metric_key = 'orders') AS orders
         FROM metric_values WHERE agency_id = $1 GROUP BY client_id, date)
       SELECT count(*)::int AS days, count(*) FILTER (WHERE NOT (orders <= carts AND carts < sessions))::int AS broken
       FROM daily WHERE sessions IS NOT NULL AND orders IS NOT NULL`,
      [demo.agencyId],
    );
    expect(funnel.rows[0].days).toBeGreaterThan(700);
    expect(funnel.rows[0].broken).toBe(0);
  });

  it('records traffic, ads and e-mail per channel and campaign, adding up to the totals the demo always had', async () => {
    for (const client of await clients()) {
      const profile = DEMO_PROFILES.find((candidate) => candidate.businessModel === (client.name === 'Cloudly' ? 'SAAS' : 'ECOMMERCE'));
      if (!profile) throw new Error(`No demo profile for ${client.name}`);
      const today = localDate(new Date(), client.timeZone);
      const expected = demoHistory(profile, addMonths(`${today.slice(0, 7)}-01`, -24), addDays(today, -1));
      // What was stored, per metric, channel, source and campaign over the whole history.
      const stored = await owner.query(
        `SELECT metric_key, channel, source, campaign, count(*)::int AS days, sum(value)::text AS sum
         FROM metric_values WHERE agency_id = $1 AND client_id = $2 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
        [demo.agencyId, client.id],
      );
      const groups = new Map<string, { metric_key: string; channel: string; source: string; campaign: string; days: number; cents: number }>();
      for (const value of expected) {
        const key = [value.metricKey, value.channel, value.source, value.campaign].join('|');
        const group = groups.get(key) ?? {
          metric_key: value.metricKey,
          channel: value.channel,
          source: value.source,
          campaign: value.campaign,
          days: 0,
          cents: 0,
        };
        group.days += 1;
        group.cents += Math.round(Number(value.value) * 100);
        groups.set(key, group);
      }
      const byKey = (a: { metric_key: string; channel: string; source: string; campaign: string }): string =>
        [a.metric_key, a.channel, a.source, a.campaign].join('|');
      expect(
        stored.rows.map((row: { metric_key: string; channel: string; source: string; campaign: string; days: number; sum: string }) => ({
          key: byKey(row),
          days: row.days,
          cents: Math.round(Number(row.sum) * 100),
        })),
      ).toEqual(
        [...groups.values()].sort((a, b) => (byKey(a) < byKey(b) ? -1 : 1)).map((group) => ({ key: byKey(group), days: group.days, cents: group.cents })),
      );

      // The month's sessions on five (Maison Lumière) or six (Cloudly) channels, and paid campaigns on two platforms.
      const month = lastCompleteMonth(client.timeZone);
      const channels = await owner.query(
        `SELECT channel, sum(value)::float AS sessions FROM metric_values
         WHERE agency_id = $1 AND client_id = $2 AND metric_key = 'sessions' AND to_char(date, 'YYYY-MM') = $3 GROUP BY channel ORDER BY channel`,
        [demo.agencyId, client.id, month],
      );
      expect(channels.rows.map((row: { channel: string }) => row.channel)).toEqual(
        client.name === 'Cloudly'
          ? ['DIRECT', 'EMAIL', 'ORGANIC_SEARCH', 'PAID_SEARCH', 'PAID_SOCIAL', 'REFERRAL']
          : ['DIRECT', 'EMAIL', 'ORGANIC_SEARCH', 'PAID_SEARCH', 'PAID_SOCIAL'],
      );
      const campaigns = await owner.query(
        `SELECT source, channel, count(DISTINCT campaign)::int AS campaigns FROM metric_values
         WHERE agency_id = $1 AND client_id = $2 AND metric_key = 'ad_spend' AND to_char(date, 'YYYY-MM') = $3 GROUP BY 1, 2 ORDER BY 1`,
        [demo.agencyId, client.id, month],
      );
      expect(campaigns.rows).toEqual([
        { source: 'Google Ads', channel: 'PAID_SEARCH', campaigns: 3 },
        client.name === 'Cloudly'
          ? { source: 'LinkedIn Ads', channel: 'PAID_SOCIAL', campaigns: 2 }
          : { source: 'Meta Ads', channel: 'PAID_SOCIAL', campaigns: 2 },
      ]);

      // The monthly roll-up keeps the dimension: each channel's month equals its daily values.
      const rollUp = await owner.query(
        `SELECT count(*)::int AS groups, count(*) FILTER (WHERE m.sum_value IS DISTINCT FROM v.total)::int AS different
         FROM (SELECT metric_key, channel, source, campaign, date_trunc('month', date)::date AS month, sum(value) AS total
               FROM metric_values WHERE agency_id = $1 AND client_id = $2 GROUP BY 1, 2, 3, 4, 5) v
         LEFT JOIN metric_monthly m ON m.agency_id = $1 AND m.client_id = $2 AND m.metric_key = v.metric_key AND m.channel = v.channel
           AND m.source = v.source AND m.campaign = v.campaign AND m.month = v.month`,
        [demo.agencyId, client.id],
      );
      expect(rollUp.rows[0].groups).toBeGreaterThan(500);
      expect(rollUp.rows[0].different).toBe(0);
    }
  });

  it('opts both demo clients in to the weekly report', async () => {
    const data = await api.gqlOk<{ clients: { edges: Array<{ node: { name: string; weeklyReportEnabled: boolean } }> } }>(
      `{ clients(first: 10) { edges { node { name weeklyReportEnabled } } } }`,
      {},
      token,
    );
    expect(data.clients.edges.map((edge) => edge.node).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'Cloudly', weeklyReportEnabled: true },
      { name: 'Maison Lumière', weeklyReportEnabled: true },
    ]);
  });

  it(
    'changes nothing when run again',
    async () => {
      const before = await totals();
      expect(before.values).toBeGreaterThan(20_000);
      expect(before.plans).toBe(2);
      const again = await seedDemoData(demoApi, await seedDemoAgency(demoApi, () => Promise.reject(new Error('the demo owner exists already'))));
      expect(again.map((client) => client.seeded)).toEqual([false, false]);
      expect(await totals()).toEqual(before);
    },
    RENDER_TEST_TIMEOUT_MS,
  );
});
