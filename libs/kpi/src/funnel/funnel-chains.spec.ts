import { findKpi, findMetric } from '../catalog';
import { BUSINESS_MODELS, type BusinessModel } from '../domain';
import { formatFormula, parseFormula } from '../formula';
import { computeFunnel, FUNNELS, funnelRateFormula, funnelRateKpis, funnelRevenueSource, type FunnelCount, type FunnelCountValue } from './funnel-chains';

/** What each count metric a funnel may use counts. */
const COUNTED: Readonly<Record<string, FunnelCount>> = {
  sessions: 'EVENTS',
  orders: 'EVENTS',
  returning_customer_orders: 'EVENTS',
  visitors: 'PEOPLE',
  app_installs: 'PEOPLE',
  signups: 'PEOPLE',
  activations: 'PEOPLE',
  leads: 'PEOPLE',
  mql: 'PEOPLE',
  sql: 'PEOPLE',
  new_customers: 'PEOPLE',
};

/**
 * Pairs (step below ⊂ step above) that hold by definition of the metrics: everything at the
 * lower step was counted at the upper one first. A catalog conversion KPI dividing them is
 * checked separately; this list is where a new pair has to be argued.
 */
const SUBSETS: ReadonlySet<string> = new Set([
  'orders ⊂ sessions', // an order is placed during a session
  'returning_customer_orders ⊂ orders',
  'signups ⊂ visitors', // an account is created by someone who came to the site
  'signups ⊂ app_installs',
  'activations ⊂ signups', // an activation is a new account reaching the key action
  'leads ⊂ visitors',
  'mql ⊂ leads',
  'sql ⊂ mql',
  'new_customers ⊂ sql',
  'new_customers ⊂ leads',
]);

function count(value: number | null, daysWithData = 31): FunnelCountValue {
  return { value, daysWithData: value === null ? 0 : daysWithData, daysInPeriod: 31 };
}

describe('FUNNELS', () => {
  it.each(BUSINESS_MODELS)('%s: steps count one kind of thing, each a subset of the step above, never money', (model) => {
    const funnel = FUNNELS[model];
    expect(funnel.steps.length).toBeGreaterThanOrEqual(2);
    for (const step of funnel.steps) {
      const metric = findMetric(step.metricKey);
      expect({ key: step.metricKey, unit: metric?.unit, aggregation: metric?.aggregation }).toEqual({ key: step.metricKey, unit: 'COUNT', aggregation: 'SUM' });
      expect({ key: step.metricKey, counts: COUNTED[step.metricKey] }).toEqual({ key: step.metricKey, counts: funnel.counts });
      expect(['REVENUE', 'REFERRAL']).not.toContain(step.stage);
    }
    funnel.steps.slice(1).forEach((step, index) => expect(SUBSETS).toContain(`${step.metricKey} ⊂ ${funnel.steps[index]?.metricKey}`));
  });

  it.each(BUSINESS_MODELS)('%s: a step’s rate KPI is exactly the step divided by the step above', (model) => {
    const steps = FUNNELS[model].steps;
    expect(steps[0]?.rateKpiKey).toBeNull();
    steps.slice(1).forEach((step, index) => {
      const above = steps[index] ?? steps[0];
      const formula = step.rateKpiKey === null ? funnelRateFormula(step, above) : (findKpi(step.rateKpiKey)?.formula ?? 'missing');
      expect(formatFormula(parseFormula(formula))).toBe(`${step.metricKey} / ${above.metricKey}`);
    });
    const catalogRates = steps.flatMap((step) => (step.rateKpiKey === null ? [] : [findKpi(step.rateKpiKey)]));
    expect(catalogRates.map((kpi) => kpi?.unit)).toEqual(catalogRates.map(() => 'PERCENT'));
  });

  it('gives e-commerce the chain of the conversion KPI: sessions → orders → repeat orders', () => {
    expect(FUNNELS.ECOMMERCE.steps.map((step) => [step.metricKey, step.rateKpiKey])).toEqual([
      ['sessions', null],
      ['orders', 'ecommerce_conversion_rate'],
      ['returning_customer_orders', 'repeat_purchase_rate'],
    ]);
  });

  it('defines its own rate KPI only where the catalog has none, by the same division', () => {
    expect(funnelRateKpis('ECOMMERCE')).toEqual([]);
    expect(funnelRateKpis('SAAS').map((kpi) => [kpi.key, kpi.formula, kpi.unit, kpi.aggregation])).toEqual([
      ['funnel_rate:signups/visitors', 'signups / visitors', 'PERCENT', 'LEVEL'],
    ]);
    for (const model of BUSINESS_MODELS) {
      for (const kpi of funnelRateKpis(model)) expect(findKpi(kpi.key)).toBeUndefined();
    }
  });
});

describe(computeFunnel.name, () => {
  const counts: Record<string, FunnelCountValue> = {
    sessions: count(60_000, 29),
    orders: count(1_250),
    returning_customer_orders: count(300),
  };

  it('takes each rate from its KPI (not from the two printed counts) and keeps each count’s coverage', () => {
    // Sessions miss two days: the conversion KPI divides the days both are known, so it is not 1,250 / 60,000.
    const rates: Record<string, number> = { ecommerce_conversion_rate: 0.0199, repeat_purchase_rate: 0.24 };
    const funnel = computeFunnel(
      'ECOMMERCE',
      (key) => counts[key] ?? count(null),
      (key) => rates[key] ?? null,
    );
    expect(funnel).toEqual([
      { stage: 'ACQUISITION', metricKey: 'sessions', value: 60_000, daysWithData: 29, daysInPeriod: 31, rateKpiKey: null, conversionFromPrevious: null },
      {
        stage: 'CONVERSION',
        metricKey: 'orders',
        value: 1_250,
        daysWithData: 31,
        daysInPeriod: 31,
        rateKpiKey: 'ecommerce_conversion_rate',
        conversionFromPrevious: 0.0199,
      },
      {
        stage: 'ENGAGEMENT',
        metricKey: 'returning_customer_orders',
        value: 300,
        daysWithData: 31,
        daysInPeriod: 31,
        rateKpiKey: 'repeat_purchase_rate',
        conversionFromPrevious: 0.24,
      },
    ]);
  });

  it('leaves a missing step null, never 0, with no rate into or out of it', () => {
    const rates = (): number => 0.5;
    const funnel = computeFunnel('SAAS', (key) => (key === 'signups' ? count(null) : count(1_000)), rates);
    expect(funnel.map((step) => [step.metricKey, step.value, step.conversionFromPrevious])).toEqual([
      ['visitors', 1_000, null],
      ['signups', null, null],
      ['activations', 1_000, null],
    ]);
    expect(funnel.map((step) => step.rateKpiKey)).toEqual([null, 'funnel_rate:signups/visitors', 'activation_rate']);
  });
});

describe(funnelRevenueSource.name, () => {
  const cases: Array<[BusinessModel, string[], ReturnType<typeof funnelRevenueSource>]> = [
    // Cloudly: the plan's revenue KPI is MRR, so the one revenue figure is MRR, not collected recurring revenue.
    ['SAAS', ['signups', 'mrr', 'churn_rate'], { kind: 'KPI', kpiKey: 'mrr' }],
    ['ECOMMERCE', ['sessions', 'revenue', 'average_order_value'], { kind: 'KPI', kpiKey: 'revenue' }],
    ['ECOMMERCE', ['sessions', 'average_order_value'], { kind: 'METRIC', metricKey: 'revenue' }],
    ['SAAS', ['signups'], { kind: 'METRIC', metricKey: 'mrr' }],
  ];
  it.each(cases)('%s with plan %j shows %j', (model, plan, expected) => {
    expect(funnelRevenueSource(model, plan)).toEqual(expected);
  });

  it('only ever picks a money KPI or metric', () => {
    for (const model of BUSINESS_MODELS) {
      for (const key of FUNNELS[model].revenueKpiKeys) expect(findKpi(key)?.unit).toBe('CURRENCY');
      expect(findMetric(FUNNELS[model].revenueMetricKey)?.unit).toBe('CURRENCY');
    }
  });
});
