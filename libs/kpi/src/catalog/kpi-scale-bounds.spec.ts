import { findKpi, KPI_CATALOG } from './kpi-catalog';

describe('KPI scale bounds', () => {
  it('bounds shares at 0–100 %, the NPS at −100..100 and review ratings at 1–5', () => {
    expect(findKpi('ecommerce_conversion_rate')?.bounds).toEqual({ min: 0, max: 1 });
    expect(findKpi('organic_traffic_share')?.bounds).toEqual({ min: 0, max: 1 });
    expect(findKpi('nps')?.bounds).toEqual({ min: -100, max: 100 });
    expect(findKpi('average_review_rating')?.bounds).toEqual({ min: 1, max: 5 });
  });

  it('leaves open the rates that can pass 100 % or fall below 0', () => {
    expect(findKpi('net_revenue_retention')?.bounds).toBeUndefined();
    expect(findKpi('marketing_roi')?.bounds).toBeUndefined();
    expect(findKpi('gross_margin_rate')?.bounds).toEqual({ min: null, max: 1 });
  });

  it('bounds only KPIs whose unit can be bounded, with min below max', () => {
    for (const kpi of KPI_CATALOG) {
      if (kpi.bounds === undefined) continue;
      expect({ key: kpi.key, unit: ['PERCENT', 'SCORE'].includes(kpi.unit) }).toEqual({ key: kpi.key, unit: true });
      if (kpi.bounds.min !== null && kpi.bounds.max !== null) expect(kpi.bounds.min).toBeLessThan(kpi.bounds.max);
    }
  });
});
