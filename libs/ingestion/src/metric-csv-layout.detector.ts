import { stripAccents } from '@pilotage/common';
import type { MetricUnit } from '@pilotage/kpi';
import type { MetricCsvDelimiter, MetricCsvError, MetricCsvFormat } from './metric-csv.types';

/** Header names accepted for each LONG column, compared without case, accents or spaces. */
const DATE_NAMES = new Set(['date', 'jour', 'day']);
const METRIC_NAMES = new Set(['metric', 'metrique', 'indicateur', 'metrickey', 'metric_key']);
const VALUE_NAMES = new Set(['value', 'valeur']);
const SOURCE_NAMES = new Set(['source', 'plateforme', 'platform']);
const CHANNEL_NAMES = new Set(['channel', 'canal']);
const CAMPAIGN_NAMES = new Set(['campaign', 'campagne']);

/** Where each piece of a metric value sits in a record. */
export type MetricCsvLayout =
  | {
      readonly format: 'LONG';
      readonly dateIndex: number;
      readonly metricIndex: number;
      readonly valueIndex: number;
      /** -1 when the file has no source column. */
      readonly sourceIndex: number;
      /** -1 when the file has no channel column. */
      readonly channelIndex: number;
      /** -1 when the file has no campaign column. */
      readonly campaignIndex: number;
    }
  | {
      readonly format: 'WIDE';
      readonly dateIndex: number;
      readonly sourceIndex: number;
      readonly channelIndex: number;
      readonly campaignIndex: number;
      /** Metric columns whose header is a known metric key. */
      readonly metricColumns: readonly { readonly index: number; readonly metricKey: string; readonly unit: MetricUnit }[];
    };

export interface MetricCsvLayoutResult {
  /** null when the header is unusable; `errors` then says why. */
  readonly layout: MetricCsvLayout | null;
  readonly errors: readonly MetricCsvError[];
}

export function normalizeHeaderName(name: string): string {
  return stripAccents(name)
    .replace(/[\s\u00a0\u202f]+/g, '')
    .toLowerCase();
}

/**
 * Detects the field separator from the header line: the candidate that occurs most often
 * outside quotes. Ties go to `;` then tab then `,`, because a header rarely contains a
 * semicolon by accident while a comma may sit in a label. Returns null for a one-column line.
 */
export function detectDelimiter(headerLine: string): MetricCsvDelimiter | null {
  let semicolons = 0;
  let tabs = 0;
  let commas = 0;
  let quoted = false;
  for (let i = 0; i < headerLine.length; i++) {
    const code = headerLine.charCodeAt(i);
    if (code === 0x22) quoted = !quoted;
    else if (quoted) continue;
    else if (code === 0x3b) semicolons++;
    else if (code === 0x09) tabs++;
    else if (code === 0x2c) commas++;
  }
  const best = Math.max(semicolons, tabs, commas);
  if (best === 0) return null;
  if (semicolons === best) return ';';
  if (tabs === best) return '\t';
  return ',';
}

/** Looks a metric key up as written, then without regard to case. */
export function createMetricLookup(
  knownMetrics: ReadonlyMap<string, { readonly unit: MetricUnit }>,
): (key: string) => { readonly metricKey: string; readonly unit: MetricUnit } | null {
  const byLowerCase = new Map<string, { metricKey: string; unit: MetricUnit }>();
  const clashes = new Set<string>();
  for (const [metricKey, { unit }] of knownMetrics) {
    const lower = metricKey.toLowerCase();
    if (byLowerCase.has(lower)) clashes.add(lower);
    byLowerCase.set(lower, { metricKey, unit });
  }
  // Keys that differ only by case cannot be matched case-insensitively without guessing.
  for (const lower of clashes) byLowerCase.delete(lower);
  const exact = new Map<string, { metricKey: string; unit: MetricUnit }>();
  for (const [metricKey, { unit }] of knownMetrics) exact.set(metricKey, { metricKey, unit });
  return (key) => exact.get(key) ?? byLowerCase.get(key.toLowerCase()) ?? null;
}

function headerError(header: readonly string[], index: number, code: MetricCsvError['code'], message: string): MetricCsvError {
  return { line: 1, column: header[index] ?? '', columnIndex: index + 1, code, message };
}

/**
 * Maps the header to a layout. LONG needs date, metric and value columns (source, channel and
 * campaign optional); WIDE is a date column (the first column, or one named like a date),
 * optional source, channel and campaign columns, and one column per metric key. Undeclared, a header with metric and value columns
 * is LONG and one starting with a date column is WIDE.
 */
export function detectMetricCsvLayout(
  header: readonly string[],
  declared: MetricCsvFormat | null,
  lookupMetric: (key: string) => { readonly metricKey: string; readonly unit: MetricUnit } | null,
): MetricCsvLayoutResult {
  const normalized = header.map(normalizeHeaderName);
  const errors: MetricCsvError[] = [];
  const find = (names: ReadonlySet<string>): number => normalized.findIndex((name) => names.has(name));

  const seen = new Map<string, number>();
  normalized.forEach((name, index) => {
    if (name === '') return;
    const previous = seen.get(name);
    if (previous === undefined) seen.set(name, index);
    else {
      errors.push(headerError(header, index, 'DUPLICATE_COLUMN', `Column "${header[index]}" appears twice (columns ${previous + 1} and ${index + 1})`));
    }
  });
  if (errors.length > 0) return { layout: null, errors };

  const dateIndex = find(DATE_NAMES);
  const metricIndex = find(METRIC_NAMES);
  const valueIndex = find(VALUE_NAMES);
  const sourceIndex = find(SOURCE_NAMES);
  const channelIndex = find(CHANNEL_NAMES);
  const campaignIndex = find(CAMPAIGN_NAMES);

  let format: MetricCsvFormat;
  if (declared !== null) format = declared;
  else if (metricIndex !== -1 && valueIndex !== -1) format = 'LONG';
  else if (dateIndex === 0) format = 'WIDE';
  else {
    return {
      layout: null,
      errors: [
        headerError(
          header,
          0,
          'FORMAT_UNDETECTED',
          'The header matches no known layout: expected columns date, metric, value (and optionally source, channel, campaign), ' +
            'or a first column "date" followed by one column per metric; in French: jour, indicateur, valeur, source, canal, campagne',
        ),
      ],
    };
  }

  if (format === 'LONG') {
    const missing: string[] = [];
    if (dateIndex === -1) missing.push('date (or jour)');
    if (metricIndex === -1) missing.push('metric (or métrique, indicateur)');
    if (valueIndex === -1) missing.push('value (or valeur)');
    if (missing.length > 0) {
      return {
        layout: null,
        errors: [headerError(header, 0, 'MISSING_COLUMN', `Missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`)],
      };
    }
    const used = new Set([dateIndex, metricIndex, valueIndex, sourceIndex, channelIndex, campaignIndex]);
    header.forEach((name, index) => {
      // An unknown column is refused rather than ignored: a misspelt "source" would otherwise
      // silently send every row to the default source.
      if (!used.has(index) && normalized[index] !== '') {
        errors.push(headerError(header, index, 'UNKNOWN_COLUMN', `Unknown column "${name}": expected date, metric, value, source, channel and campaign only`));
      }
    });
    return { layout: { format, dateIndex, metricIndex, valueIndex, sourceIndex, channelIndex, campaignIndex }, errors };
  }

  const wideDateIndex = dateIndex === -1 ? 0 : dateIndex;
  const metricColumns: { index: number; metricKey: string; unit: MetricUnit }[] = [];
  header.forEach((name, index) => {
    if (index === wideDateIndex || index === sourceIndex || index === channelIndex || index === campaignIndex || normalized[index] === '') return;
    const metric = lookupMetric(name.trim());
    if (metric === null) {
      errors.push(headerError(header, index, 'UNKNOWN_METRIC', `Column "${name}" is not a known metric key`));
    } else {
      metricColumns.push({ index, metricKey: metric.metricKey, unit: metric.unit });
    }
  });
  const metricKeys = new Map<string, number>();
  for (const column of metricColumns) {
    const previous = metricKeys.get(column.metricKey);
    if (previous !== undefined) {
      errors.push(
        headerError(header, column.index, 'DUPLICATE_COLUMN', `Metric "${column.metricKey}" has two columns (${previous + 1} and ${column.index + 1})`),
      );
    }
    metricKeys.set(column.metricKey, column.index);
  }
  if (metricColumns.length === 0 && errors.length === 0) {
    errors.push(headerError(header, 0, 'MISSING_COLUMN', 'No metric column after the date column'));
  }
  return { layout: { format, dateIndex: wideDateIndex, sourceIndex, channelIndex, campaignIndex, metricColumns }, errors };
}
