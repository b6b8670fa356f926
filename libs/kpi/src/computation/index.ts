export { SUM_SIGNIFICANT_DIGITS, roundToSignificantDigits, sumExactly } from './exact-sum';
export { combineBuckets, type MetricBucket, type PeriodMetric } from './period-buckets';
export { KpiEvaluator, type DailyBuckets, type EvaluableKpi, type KpiPeriodValue, type MetricGap } from './kpi-evaluator';
export { KPI_ROLL_UPS, inferRollUp, topLevelDivision, type KpiRollUp, type TopLevelDivision } from './kpi-roll-up';
export { compareValues, type Change } from './compare-values';
export {
  ATTAINMENT_PRINTED_DECIMALS,
  AT_RISK_ATTAINMENT,
  ON_TRACK_ATTAINMENT,
  TARGET_EXPLANATION_CODES,
  assessAgainstTarget,
  type TargetAssessment,
  type TargetAssessmentInput,
  type TargetExplanationCode,
  type TargetStatus,
} from './assess-against-target';
