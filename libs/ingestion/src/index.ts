export { IngestionError, INGESTION_ERROR_CODES, type IngestionErrorCode } from './ingestion.error';
export { parseLocaleDecimal, type DecimalParseFailure, type DecimalParseFailureCode, type ParsedDecimal } from './locale-decimal.parser';
export { parseCalendarDate, type CalendarDateFailure, type ParsedCalendarDate } from './calendar-date.parser';
export { parseMetricCsv, parseMetricCsvAll } from './metric-csv.parser';
export { MAX_SERIES_PER_FILE } from './metric-csv-row.validator';
export {
  DATE_FORMATS,
  DECIMAL_MARKS,
  METRIC_CSV_DELIMITERS,
  METRIC_CSV_ERROR_CODES,
  METRIC_CSV_FORMATS,
  type DateFormat,
  type DecimalMark,
  type MetricCsvBatch,
  type MetricCsvConventions,
  type MetricCsvDelimiter,
  type MetricCsvEncoding,
  type MetricCsvError,
  type MetricCsvErrorCode,
  type MetricCsvFormat,
  type MetricCsvOptions,
  type MetricCsvParseOptions,
  type MetricCsvResult,
  type MetricCsvRow,
  type MetricCsvSummary,
  type MetricCsvValidationContext,
} from './metric-csv.types';
export {
  DEFAULT_METRIC_SOURCE,
  EARLIEST_METRIC_DATE,
  MAX_DECIMALS,
  MAX_INTEGER_DIGITS,
  SOURCE_MAX_LENGTH,
  describeMetricValueViolation,
  granularityProblem,
  isIsoCalendarDate,
  metricDateRange,
  metricValueViolation,
  normalizeDecimal,
  type MetricDateRange,
  type MetricValueViolation,
} from './metric-value.rules';
export * from './exports';
export { checkMetricValues, type MetricValueCandidate, type MetricValueCheck } from './metric-value.validator';
export {
  IMPORT_BATCH_SIZE,
  MAX_REPORTED_ERRORS,
  MetricImportService,
  type MetricCsvImportOptions,
  type MetricCsvImportReport,
  type MetricValuesRecord,
  type MetricValuesRequest,
} from './metric-import.service';
export {
  ACCEPTED_CHANNEL_NAMES,
  CAMPAIGN_MAX_LENGTH,
  appendMetricValue,
  campaignProblem,
  defaultChannelOfSource,
  parseChannel,
  SourceChannelResolver,
  type MetricValueDraft,
} from './metric-channel.rules';
export { MAX_LISTED_SOURCES, SourceChannelService, type SourceChannel, type SourceChannelChange } from './source-channel.service';
