export { boundedStringify } from './bounded-response';
export { cacheControlDisabledPlugin } from './cache-control.plugin';
export {
  FIELD_WEIGHTS,
  HEAVY_OPERATION_COST,
  MAX_ALIASES_PER_OPERATION,
  MAX_FIELDS_PER_OPERATION,
  MAX_OPERATION_COST,
  MAX_ROOT_FIELDS_PER_OPERATION,
  MAX_SERIES_KPIS,
  MAX_SERIES_PERIODS_BY_GRAIN,
  MAX_TOKENS_PER_DOCUMENT,
} from './query-cost';
export { depthLimitRule, MAX_QUERY_DEPTH, queryLimitsPlugin } from './query-limits.plugin';
export { QueryShapeMiddleware } from './query-shape.middleware';
