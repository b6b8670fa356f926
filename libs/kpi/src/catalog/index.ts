export { findMetric, METRIC_CATALOG, type MetricDefinition } from './metric-catalog';
export {
  findKpi,
  KPI_AGGREGATIONS,
  KPI_CATALOG,
  KPI_CATEGORIES,
  type KpiAggregation,
  type KpiCategory,
  type KpiDefinition,
  type ScaleBounds,
} from './kpi-catalog';
export { resolveRequiredMetrics, type FormulaOwner, type FormulaOwnerLookup } from './required-metrics';
export { AgencyCatalog, toRecommendableKpi, type CustomKpiDefinition, type CustomMetricDefinition, type KnownKpi } from './agency-catalog';
