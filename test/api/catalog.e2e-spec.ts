import type { Pool } from 'pg';
import { newAgency, newClient, newClientViewer, type TestAgency } from '../support/factories';
import { startTestApi, type GraphqlResponse, type TestApi } from '../support/test-api';
import { ownerPool } from '../support/test-database';
import { APP_BOOT_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const METRICS = `query ($locale: Locale, $clientId: ID) { metricCatalog(locale: $locale, clientId: $clientId) { key name description unit aggregation custom } }`;
const KPIS = `query ($locale: Locale, $clientId: ID, $stage: FunnelStage, $businessModel: BusinessModel) {
  kpiCatalog(locale: $locale, clientId: $clientId, stage: $stage, businessModel: $businessModel) { key name stage category unit formula requiredMetrics custom } }`;
const OBJECTIVES = `query ($locale: Locale) { objectives(locale: $locale) { key name measures { kpiKey weight reason } } }`;
const CREATE_METRIC = `mutation ($input: CreateCustomMetricInput!) { createCustomMetric(input: $input) { id key name unit aggregation } }`;
const UPDATE_METRIC = `mutation ($input: UpdateCustomMetricInput!) { updateCustomMetric(input: $input) { id name } }`;
const DELETE_METRIC = `mutation ($id: ID!) { deleteCustomMetric(id: $id) { id } }`;
const CREATE_KPI = `mutation ($input: CreateCustomKpiInput!) { createCustomKpi(input: $input) { id key formula category businessModels } }`;
const UPDATE_KPI = `mutation ($input: UpdateCustomKpiInput!) { updateCustomKpi(input: $input) { id formula } }`;
const DELETE_KPI = `mutation ($id: ID!) { deleteCustomKpi(id: $id) { id } }`;

interface CatalogKpiResult {
  key: string;
  name: string;
  stage: string;
  category: string;
  unit: string;
  formula: string;
  requiredMetrics: string[];
  custom: boolean;
}

function fieldsOf(response: GraphqlResponse<unknown>): string[] {
  const fields = response.errors?.[0].extensions?.fields;
  return Array.isArray(fields) ? fields.map((problem: { field: string }) => problem.field) : [];
}

const kpiInput = (key: string, formula: string): Record<string, unknown> => ({
  key,
  name: `KPI ${key}`,
  stage: 'CONVERSION',
  unit: 'PERCENT',
  direction: 'HIGHER_IS_BETTER',
  aggregation: 'LEVEL',
  formula,
});

describe('KPI catalog and custom definitions (GraphQL)', () => {
  let api: TestApi;
  let owner: Pool;
  let agency: TestAgency;

  beforeAll(async () => {
    api = await startTestApi();
    owner = ownerPool();
    agency = await newAgency(api, { locale: 'fr' });
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await api.close();
    await owner.end();
  }, TEARDOWN_TIMEOUT_MS);

  async function count(table: string, agencyId: string): Promise<number> {
    return (await owner.query(`SELECT count(*)::int AS n FROM ${table} WHERE agency_id = $1`, [agencyId])).rows[0].n as number;
  }

  it('serves the catalogs in French or English: asked for, else the client’s language, else the agency’s', async () => {
    const fr = await api.gqlOk<{ kpiCatalog: CatalogKpiResult[] }>(KPIS, { businessModel: 'ECOMMERCE', stage: 'REVENUE' }, agency.token);
    const aovFr = fr.kpiCatalog.find((kpi) => kpi.key === 'average_order_value');
    expect(aovFr).toMatchObject({
      name: 'Panier moyen',
      stage: 'REVENUE',
      category: 'REVENUE',
      unit: 'CURRENCY',
      requiredMetrics: ['orders', 'revenue'],
      custom: false,
    });
    expect(fr.kpiCatalog.every((kpi) => kpi.stage === 'REVENUE')).toBe(true);
    const en = await api.gqlOk<{ kpiCatalog: CatalogKpiResult[] }>(KPIS, { locale: 'en', stage: 'REVENUE' }, agency.token);
    expect(en.kpiCatalog.find((kpi) => kpi.key === 'average_order_value')?.name).toBe('Average order value');
    const englishClient = await newClient(api, agency, { locale: 'en' });
    const viaClient = await api.gqlOk<{ metricCatalog: Array<{ key: string; name: string }> }>(METRICS, { clientId: englishClient.id }, agency.token);
    expect(viaClient.metricCatalog.find((metric) => metric.key === 'visitors')?.name).toBe('Visitors');
    const metricsFr = await api.gqlOk<{ metricCatalog: Array<{ key: string; name: string }> }>(METRICS, {}, agency.token);
    expect(metricsFr.metricCatalog.find((metric) => metric.key === 'visitors')?.name).toBe('Visiteurs');
    const objectivesEn = await api.gqlOk<{ objectives: Array<{ key: string; name: string; measures: Array<{ kpiKey: string }> }> }>(
      OBJECTIVES,
      { locale: 'en' },
      agency.token,
    );
    const sales = objectivesEn.objectives.find((objective) => objective.key === 'INCREASE_SALES');
    expect(sales?.name).toBe('Increase sales');
    expect(sales?.measures.map((measure) => measure.kpiKey)).toEqual(
      expect.arrayContaining(['ecommerce_conversion_rate', 'average_order_value', 'customer_acquisition_cost']),
    );
    const objectivesFr = await api.gqlOk<{ objectives: Array<{ key: string; name: string }> }>(OBJECTIVES, {}, agency.token);
    expect(objectivesFr.objectives.find((objective) => objective.key === 'INCREASE_SALES')?.name).toBe('Augmenter les ventes');
  });

  it('merges the agency’s custom metrics and KPIs into the catalogs, flagged custom', async () => {
    const fresh = await newAgency(api, { locale: 'en' });
    await api.gqlOk(CREATE_METRIC, { input: { key: 'showroom_visits', name: 'Showroom visits', unit: 'COUNT', aggregation: 'SUM' } }, fresh.token);
    const created = await api.gqlOk<{ createCustomKpi: { key: string; category: string; businessModels: string[] } }>(
      CREATE_KPI,
      { input: kpiInput('showroom_conversion_rate', 'orders / showroom_visits') },
      fresh.token,
    );
    expect(created.createCustomKpi).toMatchObject({ key: 'showroom_conversion_rate', category: 'CONVERSION' });
    const kpis = await api.gqlOk<{ kpiCatalog: CatalogKpiResult[] }>(KPIS, { stage: 'CONVERSION' }, fresh.token);
    expect(kpis.kpiCatalog.find((kpi) => kpi.key === 'showroom_conversion_rate')).toMatchObject({
      custom: true,
      name: 'KPI showroom_conversion_rate',
      requiredMetrics: ['orders', 'showroom_visits'],
    });
    const metrics = await api.gqlOk<{ metricCatalog: Array<{ key: string; custom: boolean }> }>(METRICS, {}, fresh.token);
    expect(metrics.metricCatalog.filter((metric) => metric.custom).map((metric) => metric.key)).toEqual(['showroom_visits']);
    // Another agency's catalog does not have them.
    const others = await api.gqlOk<{ kpiCatalog: CatalogKpiResult[] }>(KPIS, {}, agency.token);
    expect(others.kpiCatalog.some((kpi) => kpi.key === 'showroom_conversion_rate')).toBe(false);
    expect(others.kpiCatalog.every((kpi) => !kpi.custom)).toBe(true);
  });

  it('rejects a formula syntax error with its position, an unknown reference, a cycle and a catalog key, writing nothing', async () => {
    const fresh = await newAgency(api);
    await api.gqlOk(CREATE_KPI, { input: kpiInput('alpha', 'orders / sessions') }, fresh.token);
    await api.gqlOk(CREATE_KPI, { input: kpiInput('beta', 'alpha * 2') }, fresh.token);
    const before = await count('custom_kpis', fresh.agencyId);
    const alphaBefore = (await owner.query(`SELECT formula FROM custom_kpis WHERE agency_id = $1 AND key = 'alpha'`, [fresh.agencyId])).rows;

    const syntax = await api.gql(CREATE_KPI, { input: kpiInput('gamma', 'orders / * sessions') }, fresh.token);
    expect(syntax.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', position: 9 });
    expect(fieldsOf(syntax)).toEqual(['formula']);
    expect(syntax.errors?.[0].message).toMatch(/position 9/);

    const unknown = await api.gql(CREATE_KPI, { input: kpiInput('gamma', 'orders / unicorns') }, fresh.token);
    expect(fieldsOf(unknown)).toEqual(['formula']);
    expect(unknown.errors?.[0].message).toMatch(/unicorns/);

    const alphaId = (await owner.query(`SELECT id FROM custom_kpis WHERE agency_id = $1 AND key = 'alpha'`, [fresh.agencyId])).rows[0].id as string;
    const cycle = await api.gql(UPDATE_KPI, { input: { id: alphaId, formula: 'beta + 1' } }, fresh.token);
    expect(cycle.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(fieldsOf(cycle)).toEqual(['formula']);
    expect(cycle.errors?.[0].message).toMatch(/alpha -> beta -> alpha/);
    const selfCycle = await api.gql(CREATE_KPI, { input: kpiInput('delta', 'delta + 1') }, fresh.token);
    expect(fieldsOf(selfCycle)).toEqual(['formula']);

    const catalogKey = await api.gql(CREATE_KPI, { input: kpiInput('average_order_value', 'revenue / orders') }, fresh.token);
    expect(fieldsOf(catalogKey)).toEqual(['key']);
    const metricKey = await api.gql(CREATE_METRIC, { input: { key: 'alpha', name: 'Alpha', unit: 'COUNT', aggregation: 'SUM' } }, fresh.token);
    expect(fieldsOf(metricKey)).toEqual(['key']);

    expect(await count('custom_kpis', fresh.agencyId)).toBe(before);
    expect(await count('custom_metrics', fresh.agencyId)).toBe(0);
    expect((await owner.query(`SELECT formula FROM custom_kpis WHERE agency_id = $1 AND key = 'alpha'`, [fresh.agencyId])).rows).toEqual(alphaBefore);
  });

  it('refuses to delete a custom KPI in an active plan or a metric a custom KPI reads', async () => {
    const fresh = await newAgency(api);
    const metric = await api.gqlOk<{ createCustomMetric: { id: string } }>(
      CREATE_METRIC,
      { input: { key: 'store_calls', name: 'Store calls', unit: 'COUNT', aggregation: 'SUM' } },
      fresh.token,
    );
    const kpi = await api.gqlOk<{ createCustomKpi: { id: string } }>(CREATE_KPI, { input: kpiInput('calls_per_order', 'store_calls / orders') }, fresh.token);
    const client = await newClient(api, fresh);
    const kickoff = await api.gqlOk<{ startKickoff: { id: string } }>(
      `mutation ($input: StartKickoffInput!) { startKickoff(input: $input) { id } }`,
      { input: { clientId: client.id, businessModel: 'ECOMMERCE', coreTarget: 'Local shoppers' } },
      fresh.token,
    );
    const kickoffId = kickoff.startKickoff.id;
    await api.gqlOk(
      `mutation ($input: SetKickoffObjectivesInput!) { setKickoffObjectives(input: $input) { kickoff { id } } }`,
      { input: { kickoffId, objectiveKeys: ['INCREASE_SALES'] } },
      fresh.token,
    );
    const recommended = await api.gqlOk<{
      kpiRecommendations: { stages: Array<{ kpis: Array<{ kpiKey: string; custom: boolean; requiredMetrics: string[] }> }> };
    }>(`query ($id: ID!) { kpiRecommendations(kickoffId: $id) { stages { kpis { kpiKey custom requiredMetrics } } } }`, { id: kickoffId }, fresh.token);
    const custom = recommended.kpiRecommendations.stages.flatMap((stage) => stage.kpis).find((entry) => entry.kpiKey === 'calls_per_order');
    expect(custom).toEqual({ kpiKey: 'calls_per_order', custom: true, requiredMetrics: ['orders', 'store_calls'] });
    await api.gqlOk(
      `mutation ($input: SelectKickoffKpisInput!) { selectKickoffKpis(input: $input) { kickoff { id } } }`,
      { input: { kickoffId, selections: [{ kpiKey: 'calls_per_order', objectiveKey: 'INCREASE_SALES' }] } },
      fresh.token,
    );
    await api.gqlOk(`mutation ($id: ID!) { approveKickoff(kickoffId: $id) { id } }`, { id: kickoffId }, fresh.token);

    const deleteKpi = await api.gql(DELETE_KPI, { id: kpi.createCustomKpi.id }, fresh.token);
    expect(deleteKpi.errors?.[0].extensions?.code).toBe('CONFLICT');
    const deleteMetric = await api.gql(DELETE_METRIC, { id: metric.createCustomMetric.id }, fresh.token);
    expect(deleteMetric.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(await count('custom_kpis', fresh.agencyId)).toBe(1);
    expect(await count('custom_metrics', fresh.agencyId)).toBe(1);

    const unused = await api.gqlOk<{ createCustomKpi: { id: string } }>(CREATE_KPI, { input: kpiInput('spare', 'orders / sessions') }, fresh.token);
    await api.gqlOk(DELETE_KPI, { id: unused.createCustomKpi.id }, fresh.token);
    expect(await count('custom_kpis', fresh.agencyId)).toBe(1);
  });

  it('hides custom metrics and KPIs from another agency (NOT_FOUND) and from client viewers', async () => {
    const fresh = await newAgency(api);
    const other = await newAgency(api);
    const metric = await api.gqlOk<{ createCustomMetric: { id: string } }>(
      CREATE_METRIC,
      { input: { key: 'secret_metric', name: 'Secret', unit: 'COUNT', aggregation: 'SUM' } },
      fresh.token,
    );
    const kpi = await api.gqlOk<{ createCustomKpi: { id: string } }>(CREATE_KPI, { input: kpiInput('secret_kpi', 'secret_metric / orders') }, fresh.token);
    const attempts: Array<[string, Record<string, unknown>]> = [
      [UPDATE_METRIC, { input: { id: metric.createCustomMetric.id, name: 'Hijacked' } }],
      [DELETE_METRIC, { id: metric.createCustomMetric.id }],
      [UPDATE_KPI, { input: { id: kpi.createCustomKpi.id, formula: 'orders' } }],
      [DELETE_KPI, { id: kpi.createCustomKpi.id }],
    ];
    for (const [query, variables] of attempts) {
      const response = await api.gql(query, variables, other.token);
      expect({ query, code: response.errors?.[0].extensions?.code }).toEqual({ query, code: 'NOT_FOUND' });
    }
    const lists = await api.gqlOk<{ customMetrics: unknown[]; customKpis: unknown[] }>(`{ customMetrics { id } customKpis { id } }`, {}, other.token);
    expect(lists).toEqual({ customMetrics: [], customKpis: [] });
    // Their keys are free in the other agency: namespaces are per agency.
    await api.gqlOk(CREATE_METRIC, { input: { key: 'secret_metric', name: 'Mine', unit: 'COUNT', aggregation: 'SUM' } }, other.token);
    const rows = await owner.query(`SELECT name FROM custom_metrics WHERE id = $1`, [metric.createCustomMetric.id]);
    expect(rows.rows).toEqual([{ name: 'Secret' }]);
    expect((await owner.query(`SELECT formula FROM custom_kpis WHERE id = $1`, [kpi.createCustomKpi.id])).rows).toEqual([
      { formula: 'secret_metric / orders' },
    ]);

    const client = await newClient(api, fresh);
    const viewer = await newClientViewer(api, { ...fresh }, client.id);
    const create = await api.gql(CREATE_KPI, { input: kpiInput('viewer_kpi', 'orders') }, viewer.token);
    expect(create.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const foreignClient = await api.gql(METRICS, { clientId: client.id }, other.token);
    expect(foreignClient.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
