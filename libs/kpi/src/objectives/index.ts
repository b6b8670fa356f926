export {
  findObjective,
  isObjectiveKey,
  MAX_VITAL_OBJECTIVES,
  OBJECTIVE_CATALOG,
  OBJECTIVE_KEYS,
  RECOMMENDED_MAX_KPIS,
  type MeasureWeight,
  type ObjectiveDefinition,
  type ObjectiveKey,
  type ObjectiveMeasure,
} from './objective-catalog';
