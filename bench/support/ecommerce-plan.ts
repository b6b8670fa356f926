import { findKpi, findMetric, KPI_CATALOG, resolveRequiredMetrics } from '@pilotage/kpi';

/** Up to `size` e-commerce KPIs whose formulas need at most `size` metrics between them. */
export function chooseEcommercePlan(size = 25): { kpis: string[]; metrics: string[] } {
  const metrics = new Set<string>();
  const kpis: string[] = [];
  for (const kpi of KPI_CATALOG) {
    if (kpis.length === size) break;
    if (!kpi.businessModels.includes('ECOMMERCE') || kpi.channels?.length || kpi.traits?.length) continue;
    const needed = resolveRequiredMetrics(
      kpi,
      (key) => findKpi(key),
      (key) => findMetric(key) !== undefined,
    );
    const union = new Set([...metrics, ...needed]);
    if (union.size > size) continue;
    needed.forEach((key) => metrics.add(key));
    kpis.push(kpi.key);
  }
  return { kpis, metrics: [...metrics] };
}
