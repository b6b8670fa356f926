export { TARGET_KINDS, type TargetKind } from './target-kind';
export { MAX_PERCENT_TARGET, validateTargetValue } from './validate-target-value';
export {
  DEFAULT_SPLIT_MONTHS,
  MAX_SPLIT_MONTHS,
  splitAnnualTarget,
  type AnnualTargetSplit,
  type AnnualTargetSplitInput,
  type TargetSplitFallbackReason,
  type TargetSplitMode,
} from './split-annual-target';
export { proratedFlowTarget, weeklyTarget, type MonthlyTargetOf } from './weekly-targets';
