import { FormulaCycleError, FormulaReferenceError, FormulaSyntaxError } from '../formula';
import { findKpi } from './kpi-catalog';
import { type FormulaOwner, resolveRequiredMetrics } from './required-metrics';

function lookupIn(owners: readonly FormulaOwner[]): (key: string) => FormulaOwner | undefined {
  return (key) => owners.find((owner) => owner.key === key) ?? findKpi(key);
}

describe(resolveRequiredMetrics.name, () => {
  it('lists the metrics of a plain formula, sorted and each once', () => {
    expect(resolveRequiredMetrics({ key: 'k', formula: 'orders / sessions + orders' })).toEqual(['orders', 'sessions']);
  });

  it('follows nested catalog KPIs down to their metrics', () => {
    const ltvToCac = findKpi('ltv_to_cac_ratio');
    expect(ltvToCac).toBeDefined();
    expect(resolveRequiredMetrics(ltvToCac ?? { key: 'missing', formula: '0' })).toEqual([
      'customers_lost',
      'customers_total',
      'marketing_cost',
      'new_customers',
      'revenue',
    ]);
  });

  it('reads a reference named like a metric as the metric, not as the KPI exposing it', () => {
    // `revenue` is both a metric and a KPI whose formula is `revenue`: no self-reference loop.
    expect(resolveRequiredMetrics({ key: 'revenue', formula: 'revenue' })).toEqual(['revenue']);
  });

  it('resolves agency KPIs that build on each other and on catalog KPIs', () => {
    const owners = [
      { key: 'ltv_margin', formula: 'customer_lifetime_value * gross_margin_rate' },
      { key: 'ltv_margin_per_lead', formula: 'ltv_margin / leads' },
    ];
    expect(resolveRequiredMetrics({ key: 'top', formula: 'ltv_margin_per_lead * 2' }, lookupIn(owners))).toEqual([
      'customers_lost',
      'customers_total',
      'gross_profit',
      'leads',
      'new_customers',
      'revenue',
    ]);
  });

  it('rejects a reference that is neither a metric nor a KPI, naming both', () => {
    const resolve = (): string[] => resolveRequiredMetrics({ key: 'mine', formula: 'orders / visits' });
    expect(resolve).toThrow(FormulaReferenceError);
    expect(resolve).toThrow(/'mine' references 'visits'/);
  });

  it('rejects KPIs that reference each other in a loop, naming the loop', () => {
    const owners = [
      { key: 'a', formula: 'b + 1' },
      { key: 'b', formula: 'c * sessions' },
      { key: 'c', formula: 'a / 2' },
    ];
    const resolve = (): string[] => resolveRequiredMetrics({ key: 'a', formula: 'b + 1' }, lookupIn(owners));
    expect(resolve).toThrow(FormulaCycleError);
    expect(resolve).toThrow('a -> b -> c -> a');
  });

  it('rejects a formula that does not parse', () => {
    expect(() => resolveRequiredMetrics({ key: 'broken', formula: 'orders / ' })).toThrow(FormulaSyntaxError);
  });
});
