import type { StoredColumnMapping } from '@pilotage/database';
import { normalizeHeaderName } from '../metric-csv-layout.detector';
import { SOURCE_MAX_LENGTH } from '../metric-value.rules';
import { isChannel, type Channel } from './export-channel';
import { compactOrCalendarDay } from './export-day.readers';
import type { ExportPreset, PresetColumn } from './export-preset.types';

/** How a saved mapping's date column is written; COMPACT is `yyyymmdd`. */
export const MAPPING_DATE_FORMATS = ['ISO', 'DMY', 'MDY', 'COMPACT'] as const;
export type MappingDateFormat = (typeof MAPPING_DATE_FORMATS)[number];

/** Bounds of a saved mapping: a mapping describes one export, not a data warehouse. */
export const MAPPING_NAME_MAX_LENGTH = 100;
export const MAPPING_COLUMN_MAX_LENGTH = 200;
export const MAPPING_MAX_METRICS = 50;
export const MAPPING_MAX_CHANNEL_VALUES = 50;

/**
 * An agency's description of a file no preset knows: which column holds the date (and how it
 * is written), the campaign, the channel (fixed, or read from a column through value pairs),
 * the source, and which column feeds which metric.
 */
export interface ColumnMapping {
  readonly name: string;
  readonly dateColumn: string;
  readonly dateFormat: MappingDateFormat;
  readonly campaignColumn: string | null;
  /** The channel of every row, or of rows whose channel cell has no pair when `channelColumn` is set. */
  readonly channel: Channel;
  readonly channelColumn: string | null;
  readonly channelValues: readonly { readonly value: string; readonly channel: Channel }[];
  readonly source: string;
  readonly metrics: readonly { readonly column: string; readonly metricKey: string }[];
}

export interface ColumnMappingProblem {
  /** Path of the field in the mapping (`metrics[2].metricKey`). */
  readonly field: string;
  readonly message: string;
}

function textProblem(field: string, value: string, max: number): ColumnMappingProblem | null {
  if (value.trim() === '') return { field, message: 'must not be empty' };
  if (value.length > max) return { field, message: `must have at most ${max} characters` };
  return null;
}

/** Every problem of a mapping, by field; empty when it can be saved. */
export function checkColumnMapping(mapping: ColumnMapping, isMetric: (key: string) => boolean): ColumnMappingProblem[] {
  const problems: ColumnMappingProblem[] = [];
  const push = (problem: ColumnMappingProblem | null): void => {
    if (problem !== null) problems.push(problem);
  };
  push(textProblem('name', mapping.name, MAPPING_NAME_MAX_LENGTH));
  push(textProblem('dateColumn', mapping.dateColumn, MAPPING_COLUMN_MAX_LENGTH));
  push(textProblem('source', mapping.source, SOURCE_MAX_LENGTH));
  if (!MAPPING_DATE_FORMATS.includes(mapping.dateFormat)) push({ field: 'dateFormat', message: `must be one of ${MAPPING_DATE_FORMATS.join(', ')}` });
  if (mapping.campaignColumn !== null) push(textProblem('campaignColumn', mapping.campaignColumn, MAPPING_COLUMN_MAX_LENGTH));
  if (!isChannel(mapping.channel)) push({ field: 'channel', message: 'is not a channel' });
  if (mapping.channelColumn !== null) push(textProblem('channelColumn', mapping.channelColumn, MAPPING_COLUMN_MAX_LENGTH));
  if (mapping.channelColumn === null && mapping.channelValues.length > 0)
    push({ field: 'channelValues', message: 'needs a channelColumn to read the values from' });
  if (mapping.channelValues.length > MAPPING_MAX_CHANNEL_VALUES)
    push({ field: 'channelValues', message: `must have at most ${MAPPING_MAX_CHANNEL_VALUES} pairs` });
  mapping.channelValues.forEach((pair, index) => {
    push(textProblem(`channelValues[${index}].value`, pair.value, MAPPING_COLUMN_MAX_LENGTH));
    if (!isChannel(pair.channel)) push({ field: `channelValues[${index}].channel`, message: 'is not a channel' });
  });
  if (mapping.metrics.length === 0) push({ field: 'metrics', message: 'must map at least one column to a metric' });
  if (mapping.metrics.length > MAPPING_MAX_METRICS) push({ field: 'metrics', message: `must have at most ${MAPPING_MAX_METRICS} columns` });
  const seen = new Map<string, number>();
  const dimensions = [mapping.dateColumn, mapping.campaignColumn, mapping.channelColumn]
    .filter((column): column is string => column !== null)
    .map(normalizeHeaderName);
  mapping.metrics.forEach((pair, index) => {
    push(textProblem(`metrics[${index}].column`, pair.column, MAPPING_COLUMN_MAX_LENGTH));
    if (!isMetric(pair.metricKey))
      push({ field: `metrics[${index}].metricKey`, message: `"${pair.metricKey.slice(0, 100)}" is not a metric of this agency's catalog` });
    const normalized = normalizeHeaderName(pair.column);
    const previous = seen.get(normalized);
    if (previous !== undefined) push({ field: `metrics[${index}].column`, message: `is already mapped in metrics[${previous}]` });
    if (dimensions.includes(normalized)) push({ field: `metrics[${index}].column`, message: 'is the date, campaign or channel column' });
    seen.set(normalized, index);
  });
  return problems;
}

/** A saved mapping read like a preset, so that a file goes through the same reading, checks and report. */
export function mappingPreset(mapping: ColumnMapping): ExportPreset {
  // Labels are matched without case, accents or spaces; a trailing `*` would mean a prefix, so it is dropped.
  const label = (column: string): readonly string[] => [column.replace(/\*+$/, '')];
  const columns: Record<string, PresetColumn> = {
    date: { labels: { en: label(mapping.dateColumn) }, required: true, use: 'date' },
  };
  if (mapping.campaignColumn !== null) columns['campaign'] = { labels: { en: label(mapping.campaignColumn) }, required: true, use: 'campaign' };
  if (mapping.channelColumn !== null) columns['channel'] = { labels: { en: label(mapping.channelColumn) }, required: true, use: 'channel' };
  mapping.metrics.forEach((pair, index) => {
    columns[`metric${index}`] = { labels: { en: label(pair.column) }, required: true, use: pair.metricKey };
  });
  const channelPairs = new Map(mapping.channelValues.map((pair) => [normalizeHeaderName(pair.value), pair.channel]));
  const readDay = compactOrCalendarDay(mapping.dateFormat);
  return {
    id: 'MAPPING',
    name: `mapping "${mapping.name}"`,
    platform: mapping.source.trim(),
    columns,
    signature: ['date', ...mapping.metrics.map((_, index) => `metric${index}`)],
    open(file) {
      return (row) => {
        const date = row.day('date', readDay);
        const channelLabel = row.text('channel');
        let channel = mapping.channel;
        if (mapping.channelColumn !== null) {
          const paired = channelPairs.get(normalizeHeaderName(channelLabel));
          if (paired === undefined) file.note(`Channel value "${channelLabel}" has no pair in the mapping: counted as ${mapping.channel}`);
          else channel = paired;
        }
        const values = mapping.metrics.map((pair, index) => [pair.metricKey, row.amount(`metric${index}`)] as const);
        if (date === null) return;
        for (const [metricKey, valueText] of values) {
          if (valueText !== null) row.emit({ date, metricKey, channel, campaign: row.text('campaign'), valueText });
        }
      };
    },
  };
}

/** A stored definition read back as a mapping; null when it no longer holds a valid channel or date format. */
export function columnMappingFromStored(name: string, stored: StoredColumnMapping): ColumnMapping | null {
  const dateFormat = MAPPING_DATE_FORMATS.find((format) => format === stored.dateFormat);
  const channel = isChannel(stored.channel) ? stored.channel : null;
  const channelValues: { value: string; channel: Channel }[] = [];
  for (const pair of stored.channelValues) {
    if (!isChannel(pair.channel)) return null;
    channelValues.push({ value: pair.value, channel: pair.channel });
  }
  if (dateFormat === undefined || channel === null) return null;
  return { ...stored, name, dateFormat, channel, channelValues };
}
