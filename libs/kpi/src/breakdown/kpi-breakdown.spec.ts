import { AgencyCatalog } from '../catalog';
import { METRIC_CATALOG } from '../catalog/metric-catalog';
import { CHANNEL_ATTRIBUTABLE_METRICS, kpiBreakdownSupport } from './kpi-breakdown';

describe('kpiBreakdownSupport', () => {
  const catalog = new AgencyCatalog([], []);
  const support = (kpiKey: string) => {
    const kpi = catalog.findKpi(kpiKey);
    if (!kpi) throw new Error(`no KPI ${kpiKey}`);
    return kpiBreakdownSupport(catalog.requiredMetrics(kpi));
  };

  it('breaks down the KPIs of ad platforms and traffic per channel', () => {
    for (const key of ['cost_per_click', 'cost_per_acquisition', 'roas', 'ecommerce_conversion_rate']) expect(support(key)).toEqual({ byGroup: true });
  });

  it('computes a CAC over the whole marketing cost for the total only', () => {
    expect(support('customer_acquisition_cost')).toEqual({ byGroup: false, reason: 'BLENDED' });
  });

  it('keeps stocks and satisfaction out of the breakdown', () => {
    expect(support('churn_rate')).toEqual({ byGroup: false, reason: 'BLENDED' });
    expect(support('nps')).toEqual({ byGroup: false, reason: 'BLENDED' });
  });

  it('names catalog metrics only', () => {
    const known = new Set(METRIC_CATALOG.map((metric) => metric.key));
    expect([...CHANNEL_ATTRIBUTABLE_METRICS].filter((key) => !known.has(key))).toEqual([]);
  });

  it('treats an agency custom metric as attributable', () => {
    expect(kpiBreakdownSupport(['my_custom_metric', 'sessions'])).toEqual({ byGroup: true });
  });
});
