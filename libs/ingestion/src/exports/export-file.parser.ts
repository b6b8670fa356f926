import { replaceControlCharacters } from '@pilotage/common';
import type { MetricUnit } from '@pilotage/kpi';
import { parseCalendarDate } from '../calendar-date.parser';
import { IngestionError } from '../ingestion.error';
import { parseLocaleDecimal } from '../locale-decimal.parser';
import { normalizeHeaderName } from '../metric-csv-layout.detector';
import type { DecimalMark, MetricCsvDelimiter, MetricCsvError, MetricCsvErrorCode } from '../metric-csv.types';
import { describeMetricValueViolation, metricDateRange, metricValueViolation, SOURCE_MAX_LENGTH } from '../metric-value.rules';
import type { Channel } from './export-channel';
import { fromScaled, toScaled } from './export-decimal';
import type {
  DayReading,
  ExportColumnUse,
  ExportIgnoredColumn,
  ExportLanguage,
  ExportMetricRow,
  ExportParseResult,
  ExportPreset,
  ExportReport,
  ExportValue,
  PresetRow,
} from './export-preset.types';
import { EXPORT_LANGUAGES } from './export-preset.types';
import {
  decodeExport,
  HEADER_SCAN_LINES,
  HEADER_SEARCH_RECORDS,
  isBlankOrComment,
  MAX_EXPORT_BYTES,
  splitRecords,
  type ExportEncoding,
  type ExportRecord,
} from './export-table.reader';

/** Campaign names are labels; longer text is not a campaign name but a pasted cell. TODO(merge): the channel dimension's bound. */
export const CAMPAIGN_MAX_LENGTH = 200;
const DEFAULT_MAX_ERRORS = 1_000;
/** Lines listed per skip reason in the report; the count is always complete. */
const SKIPPED_LINES_SHOWN = 20;
/** Rows read between two turns given back to the event loop. */
const ROWS_BETWEEN_YIELDS = 2_000;
const DELIMITERS: readonly MetricCsvDelimiter[] = [',', ';', '\t'];
const LANGUAGE_NAMES: Readonly<Record<ExportLanguage, string>> = { en: 'English', fr: 'French' };
/** Where a thousands separator and a decimal mark look alike ("1,234"), the UI language decides. */
const LANGUAGE_DECIMAL: Readonly<Record<ExportLanguage, DecimalMark>> = { en: 'POINT', fr: 'COMMA' };
/** Cells platforms write for "no value": Google Ads writes `--`, Meta leaves them empty. */
const NO_VALUE = new Set(['', '--', '-', '—', 'n/a', 'N/A']);
/** Header words of ratios and averages, which are recomputed from their parts and never stored. */
const RATIO_WORDS = /(%|rate|taux|ctr|cpc|cpm|cpa|roas|average|avg|moyen|moyenne|cost per|cout par|per session|par session|position)/i;

export interface ExportParseOptions {
  /** Metric keys the agency accepts, with their unit (decides rounding and sign checks). */
  readonly knownMetrics: ReadonlyMap<string, { readonly unit: MetricUnit }>;
  /** Today in the client's time zone, `YYYY-MM-DD`: dates beyond a year from it are refused. */
  readonly today: string;
  /** The client's IANA time zone, to date UTC timestamps. */
  readonly timeZone: string;
  /** The presets to try, in order, or the one to use (a forced preset or a saved mapping). */
  readonly presets: readonly ExportPreset[];
  /** When true the single preset is used even if its signature columns are missing (the error then names them). */
  readonly forced?: boolean;
  readonly maxErrors?: number;
}

interface HeaderMatch {
  readonly preset: ExportPreset;
  readonly language: ExportLanguage;
  /** Role → column index. */
  readonly indexes: ReadonlyMap<string, number>;
  readonly signatureComplete: boolean;
  readonly score: number;
}

function labelMatches(normalizedHeader: string, label: string): boolean {
  if (label.endsWith('*')) return normalizedHeader.startsWith(normalizeHeaderName(label.slice(0, -1)));
  return normalizedHeader === normalizeHeaderName(label);
}

/** The best language reading of `header` by `preset`, or null when no column matches. */
export function matchPresetHeader(preset: ExportPreset, header: readonly string[]): HeaderMatch | null {
  const normalized = header.map(normalizeHeaderName);
  let best: HeaderMatch | null = null;
  for (const language of EXPORT_LANGUAGES) {
    const indexes = new Map<string, number>();
    let hasLabels = false;
    for (const [role, column] of Object.entries(preset.columns)) {
      const labels = column.labels[language];
      if (labels === undefined) continue;
      hasLabels = true;
      const index = normalized.findIndex((name, at) => name !== '' && ![...indexes.values()].includes(at) && labels.some((label) => labelMatches(name, label)));
      if (index !== -1) indexes.set(role, index);
    }
    if (!hasLabels || indexes.size === 0) continue;
    const signatureComplete = preset.signature.every((role) => indexes.has(role));
    const score = indexes.size + (signatureComplete ? 1000 : 0);
    if (best === null || score > best.score) best = { preset, language, indexes, signatureComplete, score };
  }
  return best;
}

/**
 * A header that lacks one signature column but holds several other columns of the preset is
 * that export with a column removed: recognising it lets the error name the missing column
 * instead of saying "unknown file".
 */
function nearlyComplete(match: HeaderMatch): boolean {
  const signatureFound = match.preset.signature.filter((role) => match.indexes.has(role)).length;
  return signatureFound >= match.preset.signature.length - 1 && match.indexes.size >= 4;
}

interface Located {
  readonly match: HeaderMatch;
  readonly records: readonly ExportRecord[];
  readonly headerAt: number;
  readonly delimiter: MetricCsvDelimiter;
}

/** Delimiters in the order the first non-comment line suggests (the one it holds most of first). */
function delimiterOrder(text: string): MetricCsvDelimiter[] {
  const firstData = text.split(/\r\n|\n|\r/).find((line) => line.trim() !== '' && !line.trimStart().startsWith('#')) ?? '';
  const count = (delimiter: string): number => firstData.split(delimiter).length;
  return [...DELIMITERS].sort((a, b) => count(b) - count(a));
}

/** Finds the header row: the first record, within the first lines, that one of the presets recognises. */
function locateHeader(text: string, options: ExportParseOptions): Located | { readonly failure: MetricCsvError } {
  let partial: Located | null = null;
  let syntax: MetricCsvError | null = null;
  for (const delimiter of delimiterOrder(text)) {
    const split = splitRecords(text, delimiter, HEADER_SCAN_LINES);
    if (!split.ok) {
      syntax ??= { line: split.line, column: '', columnIndex: 1, code: 'CSV_SYNTAX', message: `The file is malformed from this line: ${split.reason}` };
      continue;
    }
    let seen = 0;
    for (let at = 0; at < split.records.length && seen < HEADER_SEARCH_RECORDS; at++) {
      const record = split.records[at];
      if (record === undefined || isBlankOrComment(record.cells)) continue;
      seen++;
      let best: HeaderMatch | null = null;
      for (const preset of options.presets) {
        const match = matchPresetHeader(preset, record.cells);
        if (match !== null && (best === null || match.score > best.score)) best = match;
      }
      if (best === null) continue;
      if (best.signatureComplete) return { match: best, records: split.records, headerAt: at, delimiter };
      if ((options.forced === true || nearlyComplete(best)) && (partial === null || best.score > partial.match.score)) {
        partial = { match: best, records: split.records, headerAt: at, delimiter };
      }
    }
  }
  if (partial !== null) return partial;
  if (syntax !== null) return { failure: syntax };
  const expected =
    options.presets.length === 1 && options.presets[0] !== undefined
      ? `not a ${options.presets[0].name} export: none of its columns was found in the first ${HEADER_SEARCH_RECORDS} lines`
      : `it matches no known export (${options.presets.map((preset) => preset.name).join(', ')}) and is not our own layout`;
  return { failure: { line: 1, column: '', columnIndex: 1, code: 'FORMAT_UNDETECTED', message: `The file was not recognised: ${expected}` } };
}

interface Accumulated {
  readonly line: number;
  readonly value: Omit<ExportValue, 'valueText'>;
  scaled: bigint;
}

function emptyReport(encoding: ExportEncoding | null): ExportReport {
  return {
    preset: null,
    language: null,
    encoding,
    delimiter: null,
    headerLine: null,
    columnsMapped: [],
    columnsIgnored: [],
    rowsSkipped: [],
    rowsRead: 0,
    notes: [],
  };
}

/**
 * Reads a platform export (or a file described by a saved mapping) into metric values summed to
 * the day per (date, metric, channel, campaign, source), with a report of what was recognised,
 * mapped, ignored and skipped. Problems are located by line and column and never thrown; a
 * file with errors should be written not at all (the caller decides). Pure: no I/O.
 */
export async function parseExportFile(bytes: Buffer, options: ExportParseOptions): Promise<ExportParseResult> {
  if (options.presets.length === 0) throw new IngestionError('INVALID_OPTIONS', 'parseExportFile needs at least one preset');
  const today = parseCalendarDate(options.today, 'ISO');
  if (!today.ok) throw new IngestionError('INVALID_OPTIONS', `today must be a YYYY-MM-DD date, got "${options.today}"`);
  const maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS;
  const errors: MetricCsvError[] = [];
  let errorCount = 0;
  const addError = (error: MetricCsvError): void => {
    if (errors.length < maxErrors) {
      errors.push({ ...error, column: replaceControlCharacters(error.column, '\uFFFD'), message: replaceControlCharacters(error.message, '\uFFFD') });
    }
    errorCount++;
  };
  const fail = (error: MetricCsvError, report: ExportReport): ExportParseResult => {
    addError(error);
    return { rows: [], errors, errorCount, report };
  };

  if (bytes.length > MAX_EXPORT_BYTES) {
    return fail(
      {
        line: 1,
        column: '',
        columnIndex: 1,
        code: 'CSV_SYNTAX',
        message: `The file is larger than ${MAX_EXPORT_BYTES / 1024 / 1024} MiB: export a shorter period`,
      },
      emptyReport(null),
    );
  }
  const { text, encoding } = decodeExport(bytes);
  if (text.trim() === '') return fail({ line: 1, column: '', columnIndex: 1, code: 'EMPTY_FILE', message: 'The file is empty' }, emptyReport(encoding));

  const located = locateHeader(text, options);
  if ('failure' in located) return fail(located.failure, emptyReport(encoding));
  const { match, headerAt, delimiter } = located;
  const split = splitRecords(text, delimiter);
  if (!split.ok) {
    return fail(
      { line: split.line, column: '', columnIndex: 1, code: 'CSV_SYNTAX', message: `The file is malformed from this line: ${split.reason}` },
      emptyReport(encoding),
    );
  }
  const records = split.records;
  const { preset, language, indexes } = match;
  const header = records[headerAt]?.cells.map((cell) => cell.trim()) ?? [];
  const headerLine = records[headerAt]?.line ?? 1;
  const notes: string[] = [];
  const note = (value: string): void => {
    if (!notes.includes(value)) notes.push(value);
  };
  const columnOf = (role: string): { column: string; columnIndex: number } => {
    const index = indexes.get(role);
    const label = preset.columns[role]?.labels[language]?.[0]?.replace(/\*$/, '') ?? role;
    return index === undefined ? { column: label, columnIndex: 0 } : { column: header[index] ?? label, columnIndex: index + 1 };
  };

  const columnsMapped: ExportColumnUse[] = [];
  const columnsIgnored: ExportIgnoredColumn[] = [];
  const usedIndexes = new Set<number>();
  for (const [role, column] of Object.entries(preset.columns)) {
    const index = indexes.get(role);
    if (index === undefined) continue;
    usedIndexes.add(index);
    if (column.ignored !== undefined) columnsIgnored.push({ column: header[index] ?? role, columnIndex: index + 1, reason: column.ignored });
    else columnsMapped.push({ column: header[index] ?? role, columnIndex: index + 1, use: column.use ?? role });
  }
  header.forEach((name, index) => {
    if (usedIndexes.has(index) || name === '') return;
    const reason =
      RATIO_WORDS.test(normalizeHeaderName(name).replace(/_/g, ' ')) || RATIO_WORDS.test(name)
        ? 'a ratio or an average: recomputed from its parts, never stored'
        : `not a figure the ${preset.name} preset imports`;
    columnsIgnored.push({ column: name, columnIndex: index + 1, reason });
  });
  columnsMapped.sort((a, b) => a.columnIndex - b.columnIndex);
  columnsIgnored.sort((a, b) => a.columnIndex - b.columnIndex);

  const reportOf = (rowsRead: number, skipped: ReadonlyMap<string, { count: number; lines: number[] }>): ExportReport => ({
    preset: { id: preset.id, name: preset.name },
    language,
    encoding,
    delimiter,
    headerLine,
    columnsMapped,
    columnsIgnored,
    rowsSkipped: [...skipped].map(([reason, { count, lines }]) => ({ reason, count, lines })),
    rowsRead,
    notes,
  });

  const missing = Object.entries(preset.columns).filter(([role, column]) => column.required === true && !indexes.has(role));
  if (missing.length > 0) {
    for (const [role] of missing) {
      const label = preset.columns[role]?.labels[language]?.[0]?.replace(/\*$/, '') ?? role;
      addError({
        line: headerLine,
        column: label,
        columnIndex: 0,
        code: 'MISSING_COLUMN',
        message: `The ${preset.name} export (${LANGUAGE_NAMES[language]}) has no column "${label}": add it to the report before downloading it again`,
      });
    }
    return { rows: [], errors, errorCount, report: reportOf(0, new Map()) };
  }

  const preamble = records.slice(0, headerAt).filter((record) => !record.cells.every((cell) => cell.trim() === ''));
  const account = preset.preamble?.(preamble, { language, note }).account ?? null;
  const defaultSource = account === null ? preset.platform : `${preset.platform} ${account}`;

  const accumulated = new Map<string, Accumulated>();
  const skipped = new Map<string, { count: number; lines: number[] }>();
  const read = preset.open({ language, timeZone: options.timeZone, source: defaultSource, note });
  let rowsRead = 0;

  // One row object for the whole file, pointed at each record in turn: a closure set per row
  // made a 100,000-row export spend more time collecting garbage than reading.
  let line = 0;
  let cells: readonly string[] = [];
  let rowFailed = false;
  const cellOf = (role: string): string => {
    const index = indexes.get(role);
    return index === undefined ? '' : (cells[index] ?? '').trim();
  };
  const rowError = (role: string, code: MetricCsvErrorCode, message: string): void => {
    rowFailed = true;
    addError({ line, ...columnOf(role), code, message });
  };
  const row: PresetRow<string> = {
    get line() {
      return line;
    },
    text: cellOf,
    has: (role) => indexes.has(role),
    amount: (role) => {
      const cell = cellOf(role);
      if (NO_VALUE.has(cell)) return null;
      let parsed = parseLocaleDecimal(cell, null);
      if (!parsed.ok && parsed.code === 'AMBIGUOUS_DECIMAL') parsed = parseLocaleDecimal(cell, LANGUAGE_DECIMAL[language]);
      if (!parsed.ok) {
        rowError(role, parsed.code === 'NOT_FINITE' ? 'NOT_FINITE' : 'INVALID_NUMBER', `"${cell}" is not a number (${parsed.reason})`);
        return null;
      }
      return parsed.valueText;
    },
    day: (role, reader: (text: string) => DayReading) => {
      const cell = cellOf(role);
      if (cell === '') {
        rowError(role, 'MISSING_DATE', 'The date is empty');
        return null;
      }
      const day = reader(cell);
      if (!day.ok) {
        rowError(role, 'INVALID_DATE', `"${cell}" is not a date (${day.reason})`);
        return null;
      }
      return day.iso;
    },
    emit: (value) => {
      if (rowFailed) return;
      const source = value.source ?? defaultSource;
      const mapKey = `${value.date}\u0000${value.metricKey}\u0000${value.channel}\u0000${value.campaign}\u0000${source}`;
      const scaled = toScaled(value.valueText);
      const existing = accumulated.get(mapKey);
      if (existing === undefined) {
        accumulated.set(mapKey, {
          line,
          value: { date: value.date, metricKey: value.metricKey, channel: value.channel, campaign: value.campaign, source },
          scaled,
        });
      } else {
        existing.scaled += scaled;
      }
    },
    skip: (reason) => {
      const entry = skipped.get(reason) ?? { count: 0, lines: [] };
      entry.count++;
      if (entry.lines.length < SKIPPED_LINES_SHOWN) entry.lines.push(line);
      skipped.set(reason, entry);
    },
    error: rowError,
  };

  for (let at = headerAt + 1; at < records.length; at++) {
    // A 100,000-row export takes seconds to read: other requests of the process get their turn.
    if ((at - headerAt) % ROWS_BETWEEN_YIELDS === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const record = records[at];
    if (record === undefined) continue;
    const first = record.cells[0]?.trim() ?? '';
    // GA4 starts another table (its totals, another dimension) after a `#` comment: the first table is the report.
    if (preset.commentLines === true && first.startsWith('#')) {
      if (rowsRead > 0) break;
      continue;
    }
    if (record.cells.every((cell) => cell.trim() === '')) continue;
    rowsRead++;
    line = record.line;
    cells = record.cells;
    rowFailed = false;
    read(row);
  }

  const range = metricDateRange(today.iso);
  const rows: ExportMetricRow[] = [];
  const rounded = new Map<string, number>();
  const unknownMetrics = new Set<string>();
  for (const { line, value, scaled } of accumulated.values()) {
    const unit = options.knownMetrics.get(value.metricKey)?.unit;
    if (unit === undefined) {
      if (!unknownMetrics.has(value.metricKey))
        addError({ line, column: '', columnIndex: 0, code: 'UNKNOWN_METRIC', message: `Metric "${value.metricKey}" does not exist in this agency's catalog` });
      unknownMetrics.add(value.metricKey);
      continue;
    }
    let valueText = fromScaled(scaled, 4);
    // Ad platforms split a conversion across touchpoints (Google Ads data-driven attribution
    // writes 3.67 conversions); a COUNT metric holds whole numbers, so the day's sum is rounded
    // once, after adding up, and the report says how many values were.
    if (unit === 'COUNT' && valueText.includes('.')) {
      valueText = fromScaled(scaled, 0);
      rounded.set(value.metricKey, (rounded.get(value.metricKey) ?? 0) + 1);
    }
    const dayNumber = parseCalendarDate(value.date, 'ISO');
    if (dayNumber.ok && (dayNumber.dayNumber < range.earliestDay || dayNumber.dayNumber > range.latestDay)) {
      addError({ line, column: '', columnIndex: 0, code: 'DATE_OUT_OF_RANGE', message: `${value.date} is outside ${range.earliest} – ${range.latest}` });
      continue;
    }
    const violation = metricValueViolation(valueText, unit);
    if (violation !== null) {
      addError({
        line,
        column: '',
        columnIndex: 0,
        code: violation === 'NEGATIVE_VALUE' || violation === 'COUNT_NOT_INTEGER' ? violation : 'INVALID_NUMBER',
        message: `${value.metricKey} on ${value.date} (${value.campaign || 'no campaign'}): ${valueText} ${describeMetricValueViolation(violation, unit)}`,
      });
      continue;
    }
    if (value.source.length > SOURCE_MAX_LENGTH) {
      addError({
        line,
        column: '',
        columnIndex: 0,
        code: 'SOURCE_TOO_LONG',
        message: `The source "${value.source.slice(0, 40)}…" is longer than ${SOURCE_MAX_LENGTH} characters`,
      });
      continue;
    }
    if (value.campaign.length > CAMPAIGN_MAX_LENGTH) {
      addError({
        line,
        column: '',
        columnIndex: 0,
        code: 'SOURCE_TOO_LONG',
        message: `The campaign "${value.campaign.slice(0, 40)}…" is longer than ${CAMPAIGN_MAX_LENGTH} characters`,
      });
      continue;
    }
    rows.push({ ...value, line, valueText, value: Number(valueText) });
  }
  for (const [metricKey, count] of rounded) {
    note(`${count} daily ${metricKey} value(s) had fractional conversions (attribution split across touchpoints): rounded to whole numbers`);
  }
  rows.sort((a, b) => a.line - b.line || a.metricKey.localeCompare(b.metricKey));
  errors.sort((a, b) => a.line - b.line || a.columnIndex - b.columnIndex);
  return { rows, errors, errorCount, report: reportOf(rowsRead, skipped) };
}

/** The channel a label maps to, compared without case, accents or spaces; `fallback` for others. */
export function channelFromLabel(label: string, table: ReadonlyMap<string, Channel>, fallback: Channel): Channel {
  return table.get(normalizeHeaderName(label)) ?? fallback;
}

/**
 * Whether the start of a file is a platform export one of `presets` recognises (a complete or
 * nearly complete header within its first lines). Our own layout (date, metric, value; or a
 * date column then metric keys) matches none, so the import endpoint can route each file.
 */
export function recognisesExport(prefix: Buffer, presets: readonly ExportPreset[]): boolean {
  const { text } = decodeExport(prefix);
  return !('failure' in locateHeader(text, { presets, knownMetrics: new Map(), today: '2000-01-01', timeZone: 'UTC' }));
}
