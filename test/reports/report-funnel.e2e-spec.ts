import { FUNNELS } from '@pilotage/kpi';
import { formatKpiValue } from '@pilotage/reporting';
import { approvePlan, newAgency, newClient, type TestAgency } from '../support/factories';
import { startTestApi, type TestApi } from '../support/test-api';
import { REPORT_SETUP_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';
import { normalizeSpaces, readPdf, requestAndRender, storedPdf, type PdfReading } from './report-fixtures';

const RECORD = `mutation ($input: RecordMetricValuesInput!) { recordMetricValues(input: $input) { inserted } }`;
const SCORECARD = `query ($clientId: ID!, $month: String!) { scorecard(clientId: $clientId, month: $month) { rows { kpiKey name value daysWithData } } }`;
const FUNNEL = `query ($clientId: ID!, $month: String!) { funnel(clientId: $clientId, month: $month) {
  counts stages { stage metricKey value daysWithData daysInPeriod rateKpiKey conversionFromPrevious } revenue { kpiKey metricKey value } } }`;

interface ScorecardRow {
  kpiKey: string;
  name: string;
  value: number | null;
  daysWithData: number;
}

interface FunnelResult {
  counts: string;
  stages: Array<{
    stage: string;
    metricKey: string;
    value: number | null;
    daysWithData: number;
    daysInPeriod: number;
    rateKpiKey: string | null;
    conversionFromPrevious: number | null;
  }>;
  revenue: { kpiKey: string | null; metricKey: string | null; value: number | null };
}

type MetricRow = { metricKey: string; date: string; value: string; granularity: 'DAY' };

const OCTOBER_DAYS = Array.from({ length: 31 }, (_, index) => index + 1);
const october = (day: number): string => `2026-10-${String(day).padStart(2, '0')}`;

/** A client with an approved plan of `kpiKeys` (one objective) and `values` recorded. */
async function seedClient(
  api: TestApi,
  agency: TestAgency,
  client: { name: string; businessModel: string; locale: string; currency: string; timeZone: string },
  objectiveKey: string,
  kpiKeys: readonly string[],
  values: readonly MetricRow[],
): Promise<string> {
  const { id: clientId } = await newClient(api, agency, client);
  await api.gqlOk(RECORD, { input: { clientId, values } }, agency.token);
  await approvePlan(api, agency, {
    clientId,
    businessModel: client.businessModel,
    channels: ['SEO'],
    coreTarget: 'Core target',
    objectiveKeys: [objectiveKey],
    selections: kpiKeys.map((kpiKey) => ({ kpiKey, objectiveKey })),
  });
  return clientId;
}

/**
 * October 2026 of a shop whose analytics export missed the 11th and 12th while the shop's
 * orders cover every day: the funnel's sessions are partial, its orders are not, and the
 * conversion rate is whatever the KPI engine makes of that gap — the funnel must print that
 * same figure, not a division of its own.
 */
function shopValues(): MetricRow[] {
  return OCTOBER_DAYS.flatMap((day): MetricRow[] => {
    const orders = 40 + (day % 5);
    const rows: MetricRow[] = [
      { metricKey: 'orders', date: october(day), value: String(orders), granularity: 'DAY' },
      { metricKey: 'returning_customer_orders', date: october(day), value: String(10 + (day % 3)), granularity: 'DAY' },
      { metricKey: 'revenue', date: october(day), value: (orders * 50.25).toFixed(2), granularity: 'DAY' },
      { metricKey: 'referral_customers', date: october(day), value: '3', granularity: 'DAY' },
    ];
    if (day === 11 || day === 12) return rows;
    return [...rows, { metricKey: 'sessions', date: october(day), value: String(2_000 + 10 * day), granularity: 'DAY' }];
  });
}

/**
 * October 2026 of a SaaS whose MRR (a stock, 103,100 on the 31st) differs from the recurring
 * revenue collected in the month (3,300 a day, 102,300): the report shows one revenue figure,
 * the plan's MRR, as the scorecard does.
 */
function saasValues(): MetricRow[] {
  return OCTOBER_DAYS.flatMap((day): MetricRow[] => [
    { metricKey: 'visitors', date: october(day), value: String(1_000 + day), granularity: 'DAY' },
    { metricKey: 'signups', date: october(day), value: String(30 + (day % 4)), granularity: 'DAY' },
    { metricKey: 'activations', date: october(day), value: String(12 + (day % 3)), granularity: 'DAY' },
    { metricKey: 'mrr', date: october(day), value: (100_000 + 100 * day).toFixed(2), granularity: 'DAY' },
    { metricKey: 'recurring_revenue', date: october(day), value: '3300.00', granularity: 'DAY' },
  ]);
}

describe('report funnel: the scorecard’s rates and revenue (end to end)', () => {
  let api: TestApi;
  let agency: TestAgency;
  let shopId: string;
  let saasId: string;
  let shopPdf: PdfReading;
  let saasPdf: PdfReading;

  beforeAll(async () => {
    api = await startTestApi();
    agency = await newAgency(api, { name: 'Agence Entonnoir', locale: 'fr' });
    shopId = await seedClient(
      api,
      agency,
      { name: 'Boutique Partielle', businessModel: 'ECOMMERCE', locale: 'fr', currency: 'EUR', timeZone: 'Europe/Paris' },
      'INCREASE_SALES',
      ['sessions', 'ecommerce_conversion_rate', 'repeat_purchase_rate', 'revenue'],
      shopValues(),
    );
    saasId = await seedClient(
      api,
      agency,
      { name: 'Cloudlike', businessModel: 'SAAS', locale: 'en', currency: 'USD', timeZone: 'America/New_York' },
      'GROW_CUSTOMER_BASE',
      ['signups', 'activation_rate', 'mrr'],
      saasValues(),
    );
    shopPdf = await readPdf(await storedPdf(api, await requestAndRender(api, agency, shopId)));
    saasPdf = await readPdf(await storedPdf(api, await requestAndRender(api, agency, saasId)));
  }, REPORT_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await api.close();
  }, TEARDOWN_TIMEOUT_MS);

  async function figures(clientId: string): Promise<{ rows: Map<string, ScorecardRow>; funnel: FunnelResult }> {
    const scorecard = await api.gqlOk<{ scorecard: { rows: ScorecardRow[] } }>(SCORECARD, { clientId, month: '2026-10' }, agency.token);
    const funnel = await api.gqlOk<{ funnel: FunnelResult }>(FUNNEL, { clientId, month: '2026-10' }, agency.token);
    return { rows: new Map(scorecard.scorecard.rows.map((row) => [row.kpiKey, row])), funnel: funnel.funnel };
  }

  it('counts sessions → orders → repeat orders, and each rate is the scorecard’s conversion KPI value, gap included', async () => {
    const { rows, funnel } = await figures(shopId);
    expect(funnel.counts).toBe('EVENTS');
    expect(funnel.stages.map((stage) => stage.metricKey)).toEqual(FUNNELS.ECOMMERCE.steps.map((step) => step.metricKey));
    // Counted by hand: 29 days of sessions (2,000 + 10 × day, without the 11th and 12th).
    const sessions = OCTOBER_DAYS.filter((day) => day !== 11 && day !== 12).reduce((sum, day) => sum + 2_000 + 10 * day, 0);
    expect(funnel.stages[0]).toMatchObject({ metricKey: 'sessions', value: sessions, daysWithData: 29, daysInPeriod: 31, conversionFromPrevious: null });
    expect(funnel.stages[1]).toMatchObject({ metricKey: 'orders', daysWithData: 31, rateKpiKey: 'ecommerce_conversion_rate' });
    expect(funnel.stages[1]?.conversionFromPrevious).not.toBeNull();
    expect(funnel.stages[1]?.conversionFromPrevious).toBe(rows.get('ecommerce_conversion_rate')?.value);
    expect(funnel.stages[2]?.rateKpiKey).toBe('repeat_purchase_rate');
    expect(funnel.stages[2]?.conversionFromPrevious).toBe(rows.get('repeat_purchase_rate')?.value);
    // Money is not a stage: the one revenue figure is the scorecard's revenue KPI.
    expect(funnel.stages.map((stage) => stage.stage)).not.toContain('REVENUE');
    expect(funnel.revenue).toEqual({ kpiKey: 'revenue', metricKey: null, value: rows.get('revenue')?.value });
  });

  it('prints the scorecard’s conversion rate and revenue in the PDF’s funnel, and says which stage is partial', async () => {
    const { rows, funnel } = await figures(shopId);
    const fr = { locale: 'fr' as const, currency: 'EUR' };
    const orders = normalizeSpaces(formatKpiValue(funnel.stages[1]?.value ?? null, 'COUNT', fr));
    const conversion = normalizeSpaces(formatKpiValue(rows.get('ecommerce_conversion_rate')?.value ?? null, 'PERCENT', fr));
    const repeat = normalizeSpaces(formatKpiValue(rows.get('repeat_purchase_rate')?.value ?? null, 'PERCENT', fr));
    const revenue = normalizeSpaces(formatKpiValue(rows.get('revenue')?.value ?? null, 'CURRENCY', fr));
    expect(shopPdf.text).toMatch(new RegExp(`Conversion +Commandes +${orders} +${conversion.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(shopPdf.text).toMatch(new RegExp(`Commandes de clients déjà acheteurs +[\\d ]+ +${repeat.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(shopPdf.text).toContain(`En montant, hors entonnoir Chiffre d’affaires ${revenue}`);
    expect(shopPdf.text).toContain('Sessions : données sur 29 des 31 jours.');
    expect(shopPdf.text).toContain('Les taux de passage sont les KPI du plan : Taux de conversion');
    // Referred customers are not a subset of repeat orders: no longer a stage with a rate.
    expect(shopPdf.text).not.toContain('Clients parrainés');
  });

  it('gives a SaaS funnel of people and, as its one revenue figure, the plan’s MRR — not the month’s recurring revenue', async () => {
    const { rows, funnel } = await figures(saasId);
    expect(funnel.counts).toBe('PEOPLE');
    expect(funnel.stages.map((stage) => stage.metricKey)).toEqual(['visitors', 'signups', 'activations']);
    expect(funnel.stages[2]?.conversionFromPrevious).toBe(rows.get('activation_rate')?.value);
    // Sign-ups / visitors has no KPI in the catalog: the funnel's own, by hand.
    const visitors = OCTOBER_DAYS.reduce((sum, day) => sum + 1_000 + day, 0);
    const signups = OCTOBER_DAYS.reduce((sum, day) => sum + 30 + (day % 4), 0);
    expect(funnel.stages[1]?.rateKpiKey).toBe('funnel_rate:signups/visitors');
    expect(funnel.stages[1]?.conversionFromPrevious).toBeCloseTo(signups / visitors, 12);
    expect(rows.get('mrr')?.value).toBe(103_100);
    expect(funnel.revenue).toEqual({ kpiKey: 'mrr', metricKey: null, value: 103_100 });

    const us = { locale: 'en' as const, currency: 'USD' };
    const mrr = normalizeSpaces(formatKpiValue(103_100, 'CURRENCY', us));
    expect(saasPdf.text).toContain(`In money, apart from the funnel ${rows.get('mrr')?.name} ${mrr}`);
    expect(saasPdf.text).not.toContain(normalizeSpaces(formatKpiValue(102_300, 'CURRENCY', us)));
  });

  it('says a stage is missing instead of drawing 0, with no rate into or out of it', async () => {
    // September: visitors and activations only, no sign-ups recorded.
    await api.gqlOk(
      RECORD,
      {
        input: {
          clientId: saasId,
          values: [
            { metricKey: 'visitors', date: '2026-09-10', value: '900', granularity: 'DAY' },
            { metricKey: 'activations', date: '2026-09-10', value: '11', granularity: 'DAY' },
          ],
        },
      },
      agency.token,
    );
    const funnel = await api.gqlOk<{ funnel: FunnelResult }>(FUNNEL, { clientId: saasId, month: '2026-09' }, agency.token);
    expect(funnel.funnel.stages.map((stage) => [stage.metricKey, stage.value, stage.conversionFromPrevious])).toEqual([
      ['visitors', 900, null],
      ['signups', null, null],
      ['activations', 11, null],
    ]);
  });

  it('shows the revenue metric, named by its key, when the plan has no revenue KPI', async () => {
    const { id: clientId } = await newClient(api, agency, { name: 'Sans plan', businessModel: 'ECOMMERCE', locale: 'fr' });
    await api.gqlOk(
      RECORD,
      {
        input: {
          clientId,
          values: [
            { metricKey: 'revenue', date: '2026-10-03', value: '120.10', granularity: 'DAY' },
            { metricKey: 'revenue', date: '2026-10-04', value: '79.95', granularity: 'DAY' },
          ],
        },
      },
      agency.token,
    );
    const funnel = await api.gqlOk<{ funnel: FunnelResult }>(FUNNEL, { clientId, month: '2026-10' }, agency.token);
    expect(funnel.funnel.revenue).toEqual({ kpiKey: null, metricKey: 'revenue', value: 200.05 });
    expect(funnel.funnel.stages.map((stage) => stage.value)).toEqual([null, null, null]);
  });
});
