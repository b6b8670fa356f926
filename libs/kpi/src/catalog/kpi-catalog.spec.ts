import { BUSINESS_MODELS, CLIENT_TRAITS, FUNNEL_STAGES, KPI_DIRECTIONS, KPI_UNITS, type LocalizedText, MARKETING_CHANNELS } from '../domain';
import { formulaReferences, orderByDependencies, parseFormula } from '../formula';
import { findKpi, KPI_AGGREGATIONS, KPI_CATALOG, KPI_CATEGORIES } from './kpi-catalog';
import { findMetric, METRIC_CATALOG } from './metric-catalog';
import { resolveRequiredMetrics } from './required-metrics';

function expectFilled(text: LocalizedText | undefined, where: string): void {
  expect({ where, fr: text?.fr.trim() !== '', en: text?.en.trim() !== '' }).toEqual({ where, fr: true, en: true });
}

const isMetric = (key: string): boolean => findMetric(key) !== undefined;

describe('KPI_CATALOG', () => {
  it('holds at least 60 KPIs with unique keys', () => {
    expect(KPI_CATALOG.length).toBeGreaterThanOrEqual(60);
    const keys = KPI_CATALOG.map((kpi) => kpi.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('uses formula-compatible keys', () => {
    for (const kpi of KPI_CATALOG) {
      expect(kpi.key).toMatch(/^[a-z_][a-z0-9_]*$/);
    }
  });

  it('parses every formula', () => {
    for (const kpi of KPI_CATALOG) {
      expect(() => parseFormula(kpi.formula)).not.toThrow();
    }
  });

  it('references only catalog metrics or catalog KPIs', () => {
    const unknown = KPI_CATALOG.flatMap((kpi) =>
      formulaReferences(parseFormula(kpi.formula))
        .filter((reference) => !isMetric(reference) && findKpi(reference) === undefined)
        .map((reference) => `${kpi.key} -> ${reference}`),
    );
    expect(unknown).toEqual([]);
  });

  it('has no dependency cycle and orders nested KPIs after what they use', () => {
    const order = orderByDependencies(KPI_CATALOG, isMetric);
    expect(order).toHaveLength(KPI_CATALOG.length);
    expect(order.indexOf('churn_rate')).toBeLessThan(order.indexOf('customer_lifetime_value'));
    expect(order.indexOf('customer_lifetime_value')).toBeLessThan(order.indexOf('ltv_to_cac_ratio'));
  });

  it('resolves every KPI down to catalog metrics', () => {
    for (const kpi of KPI_CATALOG) {
      const metrics = resolveRequiredMetrics(kpi);
      expect(metrics.length).toBeGreaterThan(0);
      expect(metrics.filter((key) => !isMetric(key))).toEqual([]);
    }
  });

  it('writes every name, description and source in French and English', () => {
    for (const kpi of KPI_CATALOG) {
      expectFilled(kpi.name, `${kpi.key}.name`);
      expectFilled(kpi.description, `${kpi.key}.description`);
      if (kpi.source !== undefined) {
        expectFilled(kpi.source, `${kpi.key}.source`);
      }
    }
  });

  it('uses only the shared vocabulary', () => {
    for (const kpi of KPI_CATALOG) {
      expect(FUNNEL_STAGES).toContain(kpi.stage);
      expect(KPI_CATEGORIES).toContain(kpi.category);
      expect(KPI_UNITS).toContain(kpi.unit);
      expect(KPI_DIRECTIONS).toContain(kpi.direction);
      expect(KPI_AGGREGATIONS).toContain(kpi.aggregation);
      for (const model of kpi.businessModels) {
        expect(BUSINESS_MODELS).toContain(model);
      }
      for (const trait of kpi.traits ?? []) {
        expect(CLIENT_TRAITS).toContain(trait);
      }
      for (const channel of kpi.channels ?? []) {
        expect(MARKETING_CHANNELS).toContain(channel);
      }
    }
  });

  it('makes every KPI reachable through a business model or a trait', () => {
    const unreachable = KPI_CATALOG.filter((kpi) => kpi.businessModels.length === 0 && (kpi.traits ?? []).length === 0).map((kpi) => kpi.key);
    expect(unreachable).toEqual([]);
  });

  it('covers every funnel stage, every category and every business model', () => {
    expect(new Set(KPI_CATALOG.map((kpi) => kpi.stage))).toEqual(new Set(FUNNEL_STAGES));
    expect(new Set(KPI_CATALOG.map((kpi) => kpi.category))).toEqual(new Set(KPI_CATEGORIES));
    const thinModels = BUSINESS_MODELS.filter((model) => KPI_CATALOG.filter((kpi) => kpi.businessModels.includes(model)).length < 20);
    expect(thinModels).toEqual([]);
    for (const trait of CLIENT_TRAITS) {
      expect(KPI_CATALOG.some((kpi) => kpi.traits?.includes(trait))).toBe(true);
    }
  });

  it('marks as FLOW only sums of flow metrics, whose monthly targets can be added up', () => {
    for (const kpi of KPI_CATALOG.filter((candidate) => candidate.aggregation === 'FLOW')) {
      const references = formulaReferences(parseFormula(kpi.formula));
      expect({ key: kpi.key, divides: kpi.formula.includes('/') || kpi.formula.includes('*') }).toEqual({
        key: kpi.key,
        divides: false,
      });
      for (const reference of references) {
        expect({ key: kpi.key, reference, aggregation: findMetric(reference)?.aggregation }).toEqual({
          key: kpi.key,
          reference,
          aggregation: 'SUM',
        });
      }
      expect(['COUNT', 'CURRENCY']).toContain(kpi.unit);
    }
  });

  it('keeps rates as fractions: PERCENT formulas never multiply by 100', () => {
    const scaled = KPI_CATALOG.filter((kpi) => kpi.unit === 'PERCENT' && /\*\s*100\b/.test(kpi.formula));
    expect(scaled.map((kpi) => kpi.key)).toEqual([]);
  });

  it('gives a source for the conventional formulas the seeds or the trade define', () => {
    for (const key of [
      'churn_rate',
      'retention_rate',
      'nps',
      'email_open_rate',
      'customer_lifetime_value',
      'roas',
      'marketing_roi',
      'customer_acquisition_cost',
      'ecommerce_conversion_rate',
      'average_order_value',
      'cart_abandonment_rate',
    ]) {
      expectFilled(findKpi(key)?.source, `${key}.source`);
    }
  });

  it('follows the seeds on the formulas they state', () => {
    // Churn: lost customers over the customers at the start, derived as end − new + lost.
    expect(findKpi('churn_rate')?.formula).toBe('customers_lost / (customers_total - new_customers + customers_lost)');
    // Open rate: opens over sends, not over contacts.
    expect(findKpi('email_open_rate')?.formula).toBe('email_opens / emails_sent');
    // Conversion rate: conversions over visits.
    expect(findKpi('ecommerce_conversion_rate')?.formula).toBe('orders / sessions');
    expect(findKpi('nps')).toMatchObject({ unit: 'SCORE', stage: 'REFERRAL' });
  });

  it('finds a KPI by key and nothing for an unknown key', () => {
    expect(findKpi('average_order_value')?.name.fr).toBe('Panier moyen');
    expect(findKpi('no_such_kpi')).toBeUndefined();
  });
});

describe('METRIC_CATALOG', () => {
  it('holds unique, formula-compatible keys', () => {
    const keys = METRIC_CATALOG.map((metric) => metric.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) {
      expect(key).toMatch(/^[a-z_][a-z0-9_]*$/);
    }
  });

  it('writes every name and description in French and English, and names a source', () => {
    for (const metric of METRIC_CATALOG) {
      expectFilled(metric.name, `${metric.key}.name`);
      expectFilled(metric.description, `${metric.key}.description`);
      expect(metric.sources.length).toBeGreaterThan(0);
    }
  });

  it('feeds at least one KPI with every metric', () => {
    const used = new Set(KPI_CATALOG.flatMap((kpi) => resolveRequiredMetrics(kpi)));
    expect(METRIC_CATALOG.map((metric) => metric.key).filter((key) => !used.has(key))).toEqual([]);
  });

  it('stores stocks as LAST and averages as their sums', () => {
    for (const key of ['customers_total', 'mrr', 'email_subscribers', 'social_followers', 'monthly_active_users']) {
      expect(findMetric(key)?.aggregation).toBe('LAST');
    }
    for (const key of ['sessions', 'revenue', 'session_duration_total', 'first_response_time_total', 'customers_lost']) {
      expect(findMetric(key)?.aggregation).toBe('SUM');
    }
    expect(findMetric('session_duration_total')?.unit).toBe('DURATION');
  });

  it('finds a metric by key and nothing for an unknown key', () => {
    expect(findMetric('orders')?.name.en).toBe('Orders');
    expect(findMetric('no_such_metric')).toBeUndefined();
  });
});
