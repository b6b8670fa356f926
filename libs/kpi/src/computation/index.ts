export { SUM_SIGNIFICANT_DIGITS, roundToSignificantDigits, sumExactly } from './exact-sum';
export { combineBuckets, type MetricBucket, type PeriodMetric } from './period-buckets';
export { KpiEvaluator, type EvaluableKpi, type KpiPeriodValue } from './kpi-evaluator';
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
