import { AgencyCatalog, toRecommendableKpi, type CustomKpiDefinition, type CustomMetricDefinition } from './agency-catalog';

const showroomVisits: CustomMetricDefinition = { key: 'showroom_visits', name: 'Visites showroom', description: '', unit: 'COUNT', aggregation: 'SUM' };
const visitToOrder: CustomKpiDefinition = {
  key: 'showroom_conversion',
  name: 'Conversion showroom',
  description: 'Commandes par visite',
  stage: 'CONVERSION',
  category: 'conversion',
  unit: 'PERCENT',
  direction: 'HIGHER_IS_BETTER',
  aggregation: 'LEVEL',
  formula: 'orders / showroom_visits',
  businessModels: ['ECOMMERCE'],
};
const revenuePerShowroomOrder: CustomKpiDefinition = {
  ...visitToOrder,
  key: 'showroom_value',
  unit: 'CURRENCY',
  formula: 'average_order_value * showroom_conversion',
};

describe(AgencyCatalog.name, () => {
  const catalog = new AgencyCatalog([showroomVisits], [visitToOrder, revenuePerShowroomOrder]);

  it('knows catalog and custom metrics, and which keys the system catalogs hold', () => {
    expect(catalog.isMetric('sessions')).toBe(true);
    expect(catalog.isMetric('showroom_visits')).toBe(true);
    expect(catalog.isMetric('showroom_conversion')).toBe(false);
    expect(catalog.isCatalogKey('churn_rate')).toBe(true);
    expect(catalog.isCatalogKey('showroom_visits')).toBe(false);
  });

  it('finds system KPIs before custom ones and says which is which', () => {
    expect(catalog.findKpi('ecommerce_conversion_rate')).toMatchObject({ formula: 'orders / sessions', custom: false });
    expect(catalog.findKpi('showroom_conversion')).toEqual({
      key: 'showroom_conversion',
      stage: 'CONVERSION',
      unit: 'PERCENT',
      aggregation: 'LEVEL',
      formula: 'orders / showroom_visits',
      custom: true,
    });
    expect(catalog.findKpi('nothing')).toBeUndefined();
  });

  it('follows KPI references down to metrics, custom ones included', () => {
    expect(catalog.requiredMetrics(revenuePerShowroomOrder)).toEqual(['orders', 'revenue', 'showroom_visits']);
    expect(catalog.metricsOfKpis(['showroom_conversion', 'sessions', 'unknown'])).toEqual(['orders', 'showroom_visits', 'sessions']);
  });

  it('offers a custom KPI to the recommender with its one-language name', () => {
    expect(toRecommendableKpi(visitToOrder)).toEqual({
      key: 'showroom_conversion',
      name: { fr: 'Conversion showroom', en: 'Conversion showroom' },
      stage: 'CONVERSION',
      formula: 'orders / showroom_visits',
      businessModels: ['ECOMMERCE'],
    });
  });
});
