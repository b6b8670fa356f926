export { SUM_SIGNIFICANT_DIGITS, roundToSignificantDigits, sumExactly } from './exact-sum';
export { aggregateMetric, type AggregatedMetric, type MetricPoint } from './aggregate-metric';
export { computeKpi, type KpiInput, type KpiValue } from './compute-kpi';
export { compareValues, type Change } from './compare-values';
export {
  AT_RISK_ATTAINMENT,
  ON_TRACK_ATTAINMENT,
  TARGET_EXPLANATION_CODES,
  assessAgainstTarget,
  type TargetAssessment,
  type TargetAssessmentInput,
  type TargetExplanationCode,
  type TargetStatus,
} from './assess-against-target';
