export {
  splitAnnualTarget,
  validateTargetValue,
  type AnnualTargetSplit,
  type TargetSplitMode,
} from './split-annual-target';
