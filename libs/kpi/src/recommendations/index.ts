export { PLAN_WARNING_CODES, planWarnings, type PlanSize, type PlanWarning, type PlanWarningCode } from './plan-warnings';
export {
  recommendKpis,
  RECOMMENDATION_POINTS,
  type KpiRecommendation,
  type KpiRecommendationInput,
  type RecommendableKpi,
  type RecommendedKpi,
  type StageRecommendation,
} from './recommend-kpis';
export { UnknownObjectiveError } from './recommendation-errors';
export { BUSINESS_MODEL_FIT_REASONS, CHANNEL_REASONS, CUSTOM_KPI_REASON, TRAIT_REASONS } from './recommendation-texts';
