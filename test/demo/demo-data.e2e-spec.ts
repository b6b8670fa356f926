import type { Pool } from 'pg';
import { addDays, addMonths, localDate } from '@pilotage/kpi';
import { seedDemoData, type DemoClientData } from '../../apps/demo/src/demo-data';
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
    const funnel = await owner.query(
      `SELECT count(*)::int AS days FROM metric_values s
       JOIN metric_values o ON o.agency_id = s.agency_id AND o.client_id = s.client_id AND o.date = s.date AND o.metric_key = 'orders'
       JOIN metric_values c ON c.agency_id = s.agency_id AND c.client_id = s.client_id AND c.date = s.date AND c.metric_key = 'carts_created'
       WHERE s.agency_id = $1 AND s.metric_key = 'sessions' AND NOT (o.value <= c.value AND c.value < s.value)`,
      [demo.agencyId],
    );
    expect(funnel.rows[0].days).toBe(0);
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
