import type { Pool } from 'pg';
import { newAgency, newClient, newClientViewer, type TestAgency } from '../support/factories';
import { startTestApi, type GraphqlResponse, type TestApi } from '../support/test-api';
import { ownerPool } from '../support/test-database';
import { APP_BOOT_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const KICKOFF_FIELDS = 'id clientId status objectiveKeys year planId kpis { kpiKey objectiveKey stage position } targets { kpiKey year month value }';
const PLAN_FIELDS = 'id clientId version kickoffId status year approvedBy kpis { kpiKey objectiveKey stage position } targets { kpiKey year month value }';

const START = `mutation ($input: StartKickoffInput!) { startKickoff(input: $input) { ${KICKOFF_FIELDS} } }`;
const OBJECTIVES = `mutation ($input: SetKickoffObjectivesInput!) { setKickoffObjectives(input: $input) { kickoff { id objectiveKeys } warnings { code message } } }`;
const RECOMMEND = `query ($kickoffId: ID!, $locale: Locale) { kpiRecommendations(kickoffId: $kickoffId, locale: $locale) {
  stages { stage kpis { kpiKey name stage score reasons requiredMetrics objectiveKeys shortlisted custom } } warnings { code } } }`;
const SELECT = `mutation ($input: SelectKickoffKpisInput!) { selectKickoffKpis(input: $input) { kickoff { ${KICKOFF_FIELDS} } warnings { code } } }`;
const TARGETS = `mutation ($input: SetKickoffTargetsInput!) { setKickoffTargets(input: $input) { ${KICKOFF_FIELDS} } }`;
const SPLIT = `mutation ($input: SplitKickoffAnnualTargetInput!) { splitKickoffAnnualTarget(input: $input) {
  kpiKey mode fallbackReason targets { month value } kickoff { id } } }`;
const APPROVE = `mutation ($id: ID!) { approveKickoff(kickoffId: $id) { ${PLAN_FIELDS} } }`;
const GET_KICKOFF = `query ($id: ID!) { kickoff(id: $id) { ${KICKOFF_FIELDS} } }`;
const PLAN = `query ($clientId: ID!) { kpiPlan(clientId: $clientId) { ${PLAN_FIELDS} } }`;
const HISTORY = `query ($clientId: ID!) { kpiPlanHistory(clientId: $clientId) { totalCount edges { node { id version status } } } }`;

interface KickoffResult {
  id: string;
  status: string;
  objectiveKeys: string[];
  year: number | null;
  planId: string | null;
  kpis: Array<{ kpiKey: string; objectiveKey: string; stage: string | null; position: number }>;
  targets: Array<{ kpiKey: string; year: number; month: number; value: number }>;
}
interface PlanResult {
  id: string;
  version: number;
  status: string;
  year: number;
  kickoffId: string;
  kpis: Array<{ kpiKey: string; objectiveKey: string; stage: string; position: number }>;
  targets: Array<{ kpiKey: string; year: number; month: number; value: number }>;
}
interface RecommendationResult {
  kpiRecommendations: {
    stages: Array<{
      stage: string;
      kpis: Array<{ kpiKey: string; name: string; reasons: string[]; requiredMetrics: string[]; objectiveKeys: string[]; shortlisted: boolean }>;
    }>;
  };
}

function fieldsOf(response: GraphqlResponse<unknown>): string[] {
  const fields = response.errors?.[0].extensions?.fields;
  return Array.isArray(fields) ? fields.map((problem: { field: string }) => problem.field) : [];
}

describe('kickoff to KPI plan (GraphQL)', () => {
  let api: TestApi;
  let owner: Pool;
  let agency: TestAgency;

  beforeAll(async () => {
    api = await startTestApi();
    owner = ownerPool();
    agency = await newAgency(api, { locale: 'en' });
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await api.close();
    await owner.end();
  }, TEARDOWN_TIMEOUT_MS);

  async function startKickoff(token: string, clientId: string): Promise<KickoffResult> {
    const data = await api.gqlOk<{ startKickoff: KickoffResult }>(
      START,
      {
        input: {
          clientId,
          businessModel: 'ECOMMERCE',
          traits: ['EMAIL_AUTOMATION'],
          channels: ['SEO', 'PAID_SEARCH'],
          coreTarget: 'Women 25-45 who buy design lamps',
        },
      },
      token,
    );
    return data.startKickoff;
  }

  /** A kickoff of `agency` ready to approve: INCREASE_SALES, three KPIs, targets for two of them. */
  async function preparedKickoff(clientId: string, year = 2027): Promise<KickoffResult> {
    const kickoff = await startKickoff(agency.token, clientId);
    await api.gqlOk(OBJECTIVES, { input: { kickoffId: kickoff.id, objectiveKeys: ['INCREASE_SALES'] } }, agency.token);
    await api.gqlOk(
      SELECT,
      {
        input: {
          kickoffId: kickoff.id,
          selections: [
            { kpiKey: 'ecommerce_conversion_rate', objectiveKey: 'INCREASE_SALES' },
            { kpiKey: 'average_order_value', objectiveKey: 'INCREASE_SALES' },
            { kpiKey: 'customer_acquisition_cost', objectiveKey: 'INCREASE_SALES' },
          ],
        },
      },
      agency.token,
    );
    await api.gqlOk(
      TARGETS,
      { input: { kickoffId: kickoff.id, year, targets: [{ kpiKey: 'ecommerce_conversion_rate', month: 1, value: 0.021 }] } },
      agency.token,
    );
    return kickoff;
  }

  async function count(table: string, agencyId: string): Promise<number> {
    const result = await owner.query(`SELECT count(*)::int AS n FROM ${table} WHERE agency_id = $1`, [agencyId]);
    return result.rows[0].n as number;
  }

  it('runs a kickoff for an e-commerce client from objectives to an approved plan with monthly targets', async () => {
    const client = await newClient(api, agency, { name: 'Maison Lumière', businessModel: 'ECOMMERCE' });
    const kickoff = await startKickoff(agency.token, client.id);
    expect(kickoff).toMatchObject({ clientId: client.id, status: 'DRAFT', objectiveKeys: [], kpis: [], targets: [], year: null, planId: null });

    const objectives = await api.gqlOk<{ setKickoffObjectives: { kickoff: { objectiveKeys: string[] }; warnings: Array<{ code: string }> } }>(
      OBJECTIVES,
      { input: { kickoffId: kickoff.id, objectiveKeys: ['INCREASE_SALES'] } },
      agency.token,
    );
    expect(objectives.setKickoffObjectives).toEqual({ kickoff: { id: kickoff.id, objectiveKeys: ['INCREASE_SALES'] }, warnings: [] });

    const recommended = await api.gqlOk<RecommendationResult>(RECOMMEND, { kickoffId: kickoff.id }, agency.token);
    const stages = recommended.kpiRecommendations.stages;
    expect(stages.map((stage) => stage.stage)).toEqual(['ACQUISITION', 'CONVERSION', 'ENGAGEMENT', 'REVENUE', 'REFERRAL']);
    const all = stages.flatMap((stage) => stage.kpis);
    const byKey = new Map(all.map((kpi) => [kpi.kpiKey, kpi]));
    for (const key of ['ecommerce_conversion_rate', 'average_order_value', 'customer_acquisition_cost']) {
      expect(byKey.get(key)).toMatchObject({ objectiveKeys: ['INCREASE_SALES'], shortlisted: true });
    }
    expect(byKey.get('average_order_value')?.requiredMetrics).toEqual(['orders', 'revenue']);
    expect(byKey.get('average_order_value')?.name).toBe('Average order value');
    expect(byKey.get('ecommerce_conversion_rate')?.reasons[0]).toMatch(/Increase sales/);
    // Ranked within a stage: the conversion stage opens with the objective's own yardstick.
    expect(stages[1].kpis[0].kpiKey).toBe('ecommerce_conversion_rate');

    const selected = await api.gqlOk<{ selectKickoffKpis: { kickoff: KickoffResult; warnings: unknown[] } }>(
      SELECT,
      {
        input: {
          kickoffId: kickoff.id,
          selections: [
            { kpiKey: 'ecommerce_conversion_rate', objectiveKey: 'INCREASE_SALES' },
            { kpiKey: 'average_order_value', objectiveKey: 'INCREASE_SALES' },
            { kpiKey: 'revenue', objectiveKey: 'INCREASE_SALES' },
          ],
        },
      },
      agency.token,
    );
    expect(selected.selectKickoffKpis.warnings).toEqual([]);
    expect(selected.selectKickoffKpis.kickoff.kpis).toEqual([
      { kpiKey: 'ecommerce_conversion_rate', objectiveKey: 'INCREASE_SALES', stage: 'CONVERSION', position: 0 },
      { kpiKey: 'average_order_value', objectiveKey: 'INCREASE_SALES', stage: 'REVENUE', position: 1 },
      { kpiKey: 'revenue', objectiveKey: 'INCREASE_SALES', stage: 'REVENUE', position: 2 },
    ]);

    const direct = await api.gqlOk<{ setKickoffTargets: KickoffResult }>(
      TARGETS,
      {
        input: {
          kickoffId: kickoff.id,
          year: 2027,
          targets: [
            { kpiKey: 'ecommerce_conversion_rate', month: 1, value: 0.02 },
            { kpiKey: 'ecommerce_conversion_rate', month: 2, value: 0.025 },
            { kpiKey: 'average_order_value', month: 1, value: 84.5 },
          ],
        },
      },
      agency.token,
    );
    expect(direct.setKickoffTargets.year).toBe(2027);
    expect(direct.setKickoffTargets.targets).toEqual([
      { kpiKey: 'ecommerce_conversion_rate', year: 2027, month: 1, value: 0.02 },
      { kpiKey: 'ecommerce_conversion_rate', year: 2027, month: 2, value: 0.025 },
      { kpiKey: 'average_order_value', year: 2027, month: 1, value: 84.5 },
    ]);

    const split = await api.gqlOk<{
      splitKickoffAnnualTarget: { mode: string; fallbackReason: string | null; targets: Array<{ month: number; value: number }> };
    }>(SPLIT, { input: { kickoffId: kickoff.id, kpiKey: 'revenue', year: 2027, annual: 120_000.06, mode: 'SEASONAL' } }, agency.token);
    // No metric history yet: seasonal falls back to an even split, and says why.
    expect(split.splitKickoffAnnualTarget.mode).toBe('EVEN');
    expect(split.splitKickoffAnnualTarget.fallbackReason).toBe('LAST_YEAR_INCOMPLETE');
    expect(split.splitKickoffAnnualTarget.targets.map((target) => target.month)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(split.splitKickoffAnnualTarget.targets[0].value).toBe(10_000.01);
    expect(split.splitKickoffAnnualTarget.targets[11].value).toBe(10_000);

    const approved = await api.gqlOk<{ approveKickoff: PlanResult }>(APPROVE, { id: kickoff.id }, agency.token);
    expect(approved.approveKickoff).toMatchObject({
      clientId: client.id,
      version: 1,
      status: 'ACTIVE',
      year: 2027,
      kickoffId: kickoff.id,
      approvedBy: agency.userId,
    });
    expect(approved.approveKickoff.kpis.map((kpi) => kpi.kpiKey)).toEqual(['ecommerce_conversion_rate', 'average_order_value', 'revenue']);
    expect(approved.approveKickoff.targets).toHaveLength(3 + 12);

    const read = await api.gqlOk<{ kpiPlan: PlanResult }>(PLAN, { clientId: client.id }, agency.token);
    expect(read.kpiPlan).toEqual(approved.approveKickoff);
    const revenueTargets = read.kpiPlan.targets.filter((target) => target.kpiKey === 'revenue');
    expect(Math.round(revenueTargets.reduce((sum, target) => sum + target.value, 0) * 100) / 100).toBe(120_000.06);

    const frozen = await api.gqlOk<{ kickoff: KickoffResult }>(GET_KICKOFF, { id: kickoff.id }, agency.token);
    expect(frozen.kickoff).toMatchObject({ status: 'APPROVED', planId: approved.approveKickoff.id });
    const edit = await api.gql(OBJECTIVES, { input: { kickoffId: kickoff.id, objectiveKeys: ['GENERATE_LEADS'] } }, agency.token);
    expect(edit.errors?.[0].extensions?.code).toBe('CONFLICT');

    const audit = await owner.query(`SELECT action FROM audit_log WHERE agency_id = $1 AND entity_id = $2 ORDER BY created_at`, [agency.agencyId, kickoff.id]);
    expect(audit.rows.map((row) => row.action)).toEqual([
      'kickoff.started',
      'kickoff.objectives_set',
      'kickoff.kpis_selected',
      'kickoff.targets_set',
      'kickoff.annual_target_split',
      'kickoff.approved',
    ]);
  });

  it('makes version 2 on a second approval and keeps version 1 in the history', async () => {
    const client = await newClient(api, agency, { businessModel: 'ECOMMERCE' });
    const first = await api.gqlOk<{ approveKickoff: PlanResult }>(APPROVE, { id: (await preparedKickoff(client.id)).id }, agency.token);
    const second = await api.gqlOk<{ approveKickoff: PlanResult }>(APPROVE, { id: (await preparedKickoff(client.id, 2028)).id }, agency.token);
    expect(second.approveKickoff).toMatchObject({ version: 2, status: 'ACTIVE', year: 2028 });
    const active = await api.gqlOk<{ kpiPlan: PlanResult }>(PLAN, { clientId: client.id }, agency.token);
    expect(active.kpiPlan.id).toBe(second.approveKickoff.id);
    const history = await api.gqlOk<{ kpiPlanHistory: { totalCount: number; edges: Array<{ node: { id: string; version: number; status: string } }> } }>(
      HISTORY,
      { clientId: client.id },
      agency.token,
    );
    expect(history.kpiPlanHistory.totalCount).toBe(2);
    expect(history.kpiPlanHistory.edges.map((edge) => edge.node)).toEqual([
      { id: second.approveKickoff.id, version: 2, status: 'ACTIVE' },
      { id: first.approveKickoff.id, version: 1, status: 'SUPERSEDED' },
    ]);
    const targets = await owner.query(`SELECT count(*)::int AS n FROM monthly_targets WHERE agency_id = $1 AND plan_id = $2`, [
      agency.agencyId,
      first.approveKickoff.id,
    ]);
    expect(targets.rows[0].n).toBe(1);
  });

  it('warns past two objectives and past a dozen KPIs, without refusing', async () => {
    const client = await newClient(api, agency);
    const kickoff = await startKickoff(agency.token, client.id);
    const three = await api.gqlOk<{ setKickoffObjectives: { warnings: Array<{ code: string; message: string }> } }>(
      OBJECTIVES,
      { input: { kickoffId: kickoff.id, objectiveKeys: ['INCREASE_SALES', 'GENERATE_LEADS', 'BRAND_AWARENESS'] } },
      agency.token,
    );
    expect(three.setKickoffObjectives.warnings.map((warning) => warning.code)).toEqual(['TOO_MANY_OBJECTIVES']);
    const keys = [
      'visitors',
      'sessions',
      'new_visitor_share',
      'customer_acquisition_cost',
      'ecommerce_conversion_rate',
      'average_order_value',
      'revenue',
      'new_customers',
      'roas',
      'cart_abandonment_rate',
      'churn_rate',
      'nps',
      'review_count',
    ];
    const many = await api.gqlOk<{ selectKickoffKpis: { warnings: Array<{ code: string }> } }>(
      SELECT,
      { input: { kickoffId: kickoff.id, selections: keys.map((kpiKey) => ({ kpiKey, objectiveKey: 'INCREASE_SALES' })) } },
      agency.token,
    );
    expect(many.selectKickoffKpis.warnings.map((warning) => warning.code)).toEqual(['TOO_MANY_OBJECTIVES', 'TOO_MANY_KPIS']);
  });

  it('rejects invalid kickoff input naming the field, and writes nothing', async () => {
    const client = await newClient(api, agency);
    const kickoff = await preparedKickoff(client.id);
    const tables = ['kickoff_kpis', 'kickoff_targets', 'kpi_plans', 'plan_kpis', 'monthly_targets'];
    const before = await Promise.all(tables.map((table) => count(table, agency.agencyId)));
    const snapshot = await api.gqlOk<{ kickoff: KickoffResult }>(GET_KICKOFF, { id: kickoff.id }, agency.token);

    const unknownKpi = await api.gql(
      SELECT,
      {
        input: {
          kickoffId: kickoff.id,
          selections: [
            { kpiKey: 'revenue', objectiveKey: 'INCREASE_SALES' },
            { kpiKey: 'average_order_value', objectiveKey: 'INCREASE_SALES' },
            { kpiKey: 'sessions', objectiveKey: 'INCREASE_SALES' },
            { kpiKey: 'happiness_index', objectiveKey: 'INCREASE_SALES' },
          ],
        },
      },
      agency.token,
    );
    expect(unknownKpi.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(fieldsOf(unknownKpi)).toEqual(['selections.3.kpiKey']);

    const foreignObjective = await api.gql(
      SELECT,
      { input: { kickoffId: kickoff.id, selections: [{ kpiKey: 'revenue', objectiveKey: 'GENERATE_LEADS' }] } },
      agency.token,
    );
    expect(fieldsOf(foreignObjective)).toEqual(['selections.0.objectiveKey']);

    const outsideYear = await api.gql(
      TARGETS,
      {
        input: {
          kickoffId: kickoff.id,
          year: 2027,
          targets: [
            { kpiKey: 'average_order_value', month: 3, value: 80 },
            { kpiKey: 'average_order_value', month: 13, value: 80 },
          ],
        },
      },
      agency.token,
    );
    expect(outsideYear.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(fieldsOf(outsideYear)).toEqual(['targets.1.month']);

    const otherYear = await api.gql(
      TARGETS,
      { input: { kickoffId: kickoff.id, year: 2031, targets: [{ kpiKey: 'average_order_value', month: 3, value: 80 }] } },
      agency.token,
    );
    expect(fieldsOf(otherYear)).toEqual(['year']);

    const negative = await api.gql(
      TARGETS,
      {
        input: {
          kickoffId: kickoff.id,
          year: 2027,
          targets: [
            { kpiKey: 'average_order_value', month: 4, value: 90 },
            { kpiKey: 'customer_acquisition_cost', month: 4, value: -5 },
          ],
        },
      },
      agency.token,
    );
    expect(negative.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(fieldsOf(negative)).toEqual(['targets.1.value']);
    expect(negative.errors?.[0].message).toMatch(/must not be negative/);

    const negativeSplit = await api.gql(
      SPLIT,
      { input: { kickoffId: kickoff.id, kpiKey: 'customer_acquisition_cost', year: 2027, annual: -1, mode: 'EVEN' } },
      agency.token,
    );
    expect(fieldsOf(negativeSplit)).toEqual(['annual']);

    const after = await Promise.all(tables.map((table) => count(table, agency.agencyId)));
    expect(after).toEqual(before);
    expect((await api.gqlOk<{ kickoff: KickoffResult }>(GET_KICKOFF, { id: kickoff.id }, agency.token)).kickoff).toEqual(snapshot.kickoff);
  });

  it('refuses to approve a kickoff without objectives or without KPIs', async () => {
    const client = await newClient(api, agency);
    const bare = await startKickoff(agency.token, client.id);
    const noObjective = await api.gql(APPROVE, { id: bare.id }, agency.token);
    expect(noObjective.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(fieldsOf(noObjective)).toEqual(['objectiveKeys']);
    await api.gqlOk(OBJECTIVES, { input: { kickoffId: bare.id, objectiveKeys: ['INCREASE_SALES'] } }, agency.token);
    const noKpi = await api.gql(APPROVE, { id: bare.id }, agency.token);
    expect(fieldsOf(noKpi)).toEqual(['kpis']);
    const plans = await owner.query(`SELECT count(*)::int AS n FROM kpi_plans WHERE client_id = $1`, [client.id]);
    expect(plans.rows[0].n).toBe(0);
  });

  it('answers NOT_FOUND to another agency for every kickoff and plan operation, and changes nothing', async () => {
    const other = await newAgency(api);
    const client = await newClient(api, agency);
    const kickoff = await preparedKickoff(client.id);
    await api.gqlOk(APPROVE, { id: (await preparedKickoff(client.id)).id }, agency.token);
    const kickoffRows = await owner.query(`SELECT * FROM kickoffs WHERE id = $1`, [kickoff.id]);
    const attempts: Array<[string, Record<string, unknown>]> = [
      [GET_KICKOFF, { id: kickoff.id }],
      [RECOMMEND, { kickoffId: kickoff.id }],
      [OBJECTIVES, { input: { kickoffId: kickoff.id, objectiveKeys: ['GENERATE_LEADS'] } }],
      [SELECT, { input: { kickoffId: kickoff.id, selections: [] } }],
      [TARGETS, { input: { kickoffId: kickoff.id, year: 2027, targets: [] } }],
      [SPLIT, { input: { kickoffId: kickoff.id, kpiKey: 'revenue', year: 2027, annual: 10, mode: 'EVEN' } }],
      [APPROVE, { id: kickoff.id }],
      [PLAN, { clientId: client.id }],
      [HISTORY, { clientId: client.id }],
      [START, { input: { clientId: client.id, businessModel: 'ECOMMERCE', coreTarget: 'x' } }],
    ];
    for (const [query, variables] of attempts) {
      const response = await api.gql(query, variables, other.token);
      expect({ query, code: response.errors?.[0].extensions?.code }).toEqual({ query, code: 'NOT_FOUND' });
    }
    expect((await owner.query(`SELECT * FROM kickoffs WHERE id = $1`, [kickoff.id])).rows).toEqual(kickoffRows.rows);
    expect(await count('kickoffs', other.agencyId)).toBe(0);
    expect(await count('kpi_plans', other.agencyId)).toBe(0);
  });

  it('lets a client viewer read their own client’s active plan only, and run no kickoff operation', async () => {
    const mine = await newClient(api, agency);
    const sibling = await newClient(api, agency);
    await api.gqlOk(APPROVE, { id: (await preparedKickoff(mine.id)).id }, agency.token);
    await api.gqlOk(APPROVE, { id: (await preparedKickoff(sibling.id)).id }, agency.token);
    const viewer = await newClientViewer(api, agency, mine.id);
    const own = await api.gqlOk<{ kpiPlan: PlanResult }>(PLAN, { clientId: mine.id }, viewer.token);
    expect(own.kpiPlan.version).toBe(1);
    expect((await api.gql(PLAN, { clientId: sibling.id }, viewer.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(HISTORY, { clientId: mine.id }, viewer.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const start = await api.gql(START, { input: { clientId: mine.id, businessModel: 'ECOMMERCE', coreTarget: 'x' } }, viewer.token);
    expect(start.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
