export { CAMPAIGN_MAX_LENGTH, parseExportFile, recognisesExport, type ExportParseOptions } from './export-file.parser';
export { EXPORT_PRESETS, findExportPreset } from './export-presets';
export { MAX_EXPORT_BYTES } from './export-table.reader';
export {
  EXPORT_LANGUAGES,
  EXPORT_PRESET_IDS,
  type ExportColumnUse,
  type ExportIgnoredColumn,
  type ExportLanguage,
  type ExportMetricRow,
  type ExportParseResult,
  type ExportPreset,
  type ExportPresetId,
  type ExportReport,
  type ExportSkippedRows,
} from './export-preset.types';
export {
  checkColumnMapping,
  columnMappingFromStored,
  MAPPING_COLUMN_MAX_LENGTH,
  MAPPING_DATE_FORMATS,
  MAPPING_MAX_CHANNEL_VALUES,
  MAPPING_MAX_METRICS,
  MAPPING_NAME_MAX_LENGTH,
  mappingPreset,
  type ColumnMapping,
  type ColumnMappingProblem,
  type MappingDateFormat,
} from './column-mapping';
export { routeUpload, type RoutedUpload } from './export-routing';
export { ga4CampaignOf, ga4ChannelOf } from './presets/ga4.preset';
export { googleAdsChannelOf } from './presets/google-ads.preset';
