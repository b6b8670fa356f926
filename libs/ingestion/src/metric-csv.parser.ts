import { isUtf8 } from 'node:buffer';
import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { replaceControlCharacters } from '@pilotage/common';
import type { MetricGranularity } from '@pilotage/database';
import type { Channel } from '@pilotage/kpi';
import { parseCalendarDate } from './calendar-date.parser';
import { IngestionError } from './ingestion.error';
import { createMetricLookup, detectDelimiter, detectMetricCsvLayout } from './metric-csv-layout.detector';
import { MetricCsvRowValidator } from './metric-csv-row.validator';
import { campaignProblem, defaultChannelOfSource } from './metric-channel.rules';
import { SOURCE_MAX_LENGTH } from './metric-value.rules';
import {
  DATE_FORMATS,
  DECIMAL_MARKS,
  METRIC_CSV_DELIMITERS,
  METRIC_CSV_FORMATS,
  type DateFormat,
  type DecimalMark,
  type MetricCsvBatch,
  type MetricCsvDelimiter,
  type MetricCsvEncoding,
  type MetricCsvError,
  type MetricCsvFormat,
  type MetricCsvParseOptions,
  type MetricCsvResult,
  type MetricCsvRow,
  type MetricCsvSummary,
} from './metric-csv.types';

const DEFAULT_BATCH_SIZE = 5_000;
const DEFAULT_MAX_ERRORS = 1_000;
/** How much we read, at most, to find the header line before giving up on detection. */
const HEADER_PEEK_LIMIT = 1 << 20;
/**
 * A stray opening quote would make csv-parse swallow the rest of the file into one field;
 * no legitimate record of ours comes near this size, so it bounds memory instead.
 */
const MAX_RECORD_SIZE = 64 * 1024;

const LF = 0x0a;
const CR = 0x0d;

interface ResolvedOptions {
  readonly declaredDelimiter: MetricCsvDelimiter | null;
  readonly declaredDecimal: DecimalMark | null;
  readonly declaredDateFormat: DateFormat | null;
  readonly declaredFormat: MetricCsvFormat | null;
  readonly batchSize: number;
  readonly maxErrors: number;
  readonly today: string;
  readonly defaultSource: string;
  readonly granularity: MetricGranularity;
  readonly defaultChannel: Channel | null;
  readonly defaultCampaign: string;
  readonly channelOfSource: (source: string) => Channel;
}

function oneOf<T extends string>(name: string, value: T | undefined, allowed: readonly T[]): T | null {
  if (value === undefined) return null;
  if (!allowed.includes(value)) {
    throw new IngestionError('INVALID_OPTIONS', `${name} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  return value;
}

function positiveInteger(name: string, value: number | undefined, fallback: number, minimum: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < minimum) throw new IngestionError('INVALID_OPTIONS', `${name} must be an integer >= ${minimum}`);
  return value;
}

function resolveOptions(options: MetricCsvParseOptions): ResolvedOptions {
  const { context } = options;
  const today = parseCalendarDate(context.today, 'ISO');
  if (!today.ok || context.today.length !== 10) {
    throw new IngestionError('INVALID_OPTIONS', `context.today must be a YYYY-MM-DD date, got "${context.today}"`);
  }
  const defaultSource = context.defaultSource.trim();
  if (defaultSource === '' || defaultSource.length > SOURCE_MAX_LENGTH) {
    throw new IngestionError('INVALID_OPTIONS', `context.defaultSource must have 1 to ${SOURCE_MAX_LENGTH} characters`);
  }
  const defaultCampaign = context.campaign?.trim() ?? '';
  const campaignIssue = campaignProblem(defaultCampaign);
  if (campaignIssue !== null) throw new IngestionError('INVALID_OPTIONS', `context.campaign ${campaignIssue}`);
  return {
    declaredDelimiter: oneOf('delimiter', options.delimiter, METRIC_CSV_DELIMITERS),
    declaredDecimal: oneOf('decimal', options.decimal, DECIMAL_MARKS),
    declaredDateFormat: oneOf('dateFormat', options.dateFormat, DATE_FORMATS),
    declaredFormat: oneOf('format', options.format, METRIC_CSV_FORMATS),
    batchSize: positiveInteger('batchSize', options.batchSize, DEFAULT_BATCH_SIZE, 1),
    maxErrors: positiveInteger('maxErrors', options.maxErrors, DEFAULT_MAX_ERRORS, 0),
    today: today.iso,
    defaultSource,
    granularity: context.granularity ?? 'DAY',
    defaultChannel: context.channel ?? null,
    defaultCampaign,
    channelOfSource: context.channelOfSource ?? defaultChannelOfSource,
  };
}

async function* asBuffers(input: AsyncIterable<unknown>): AsyncGenerator<Buffer> {
  for await (const chunk of input) {
    if (typeof chunk === 'string') yield Buffer.from(chunk, 'utf8');
    else if (chunk instanceof Uint8Array) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    else throw new IngestionError('INVALID_OPTIONS', 'The input stream must produce strings or bytes');
  }
}

/** Offset of the first byte after a UTF-8 BOM and any blank lines, where the header starts. */
function headerStart(prefix: Buffer): number {
  let at = prefix.length >= 3 && prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf ? 3 : 0;
  while (at < prefix.length && (prefix[at] === LF || prefix[at] === CR)) at++;
  return at;
}

/**
 * Why the file cannot be read as text, or null: a UTF-16/UTF-32 byte order mark, or NUL bytes in
 * the header line (UTF-16 without a mark: every ASCII letter followed or preceded by a NUL).
 * Read as UTF-8 such a file is a stream of NULs between letters, which nothing downstream can
 * store; the person must save it again as "CSV UTF-8".
 */
function unsupportedEncoding(prefix: Buffer, headerLine: Buffer): string | null {
  const saveAgain = 'the file must be UTF-8 text (or Windows-1252): save it again as "CSV UTF-8" and import it again';
  if (prefix.length >= 4 && prefix[0] === 0xff && prefix[1] === 0xfe && prefix[2] === 0 && prefix[3] === 0) return `The file is UTF-32: ${saveAgain}`;
  if (prefix.length >= 2 && prefix[0] === 0xff && prefix[1] === 0xfe) return `The file is UTF-16 (little-endian, with a byte order mark): ${saveAgain}`;
  if (prefix.length >= 2 && prefix[0] === 0xfe && prefix[1] === 0xff) return `The file is UTF-16 (big-endian, with a byte order mark): ${saveAgain}`;
  if (headerLine.includes(0)) return `The header line contains NUL bytes, as UTF-16 or binary files do: ${saveAgain}`;
  return null;
}

function lineEnd(prefix: Buffer, from: number): number {
  for (let i = from; i < prefix.length; i++) {
    if (prefix[i] === LF || prefix[i] === CR) return i;
  }
  return -1;
}

/**
 * Excel for Windows still saves "CSV (séparateur : point-virgule)" in Windows-1252. Text that
 * is not valid UTF-8 up to the last complete line of what we peeked is read as Windows-1252
 * (which also covers Latin-1), so "Métrique" and NBSP thousands separators survive.
 */
function detectEncoding(prefix: Buffer, complete: boolean): MetricCsvEncoding {
  let end = prefix.length;
  if (!complete) {
    const lastLf = prefix.lastIndexOf(LF);
    end = lastLf === -1 ? Math.max(0, prefix.length - 3) : lastLf;
  }
  return isUtf8(prefix.subarray(0, end)) ? 'UTF-8' : 'WINDOWS-1252';
}

async function* replay(prefix: Buffer, rest: AsyncIterator<Buffer>, encoding: MetricCsvEncoding): AsyncGenerator<Buffer | string> {
  const decoder = encoding === 'WINDOWS-1252' ? new TextDecoder('windows-1252') : null;
  const convert = (chunk: Buffer): Buffer | string => (decoder === null ? chunk : decoder.decode(chunk, { stream: true }));
  if (prefix.length > 0) yield convert(prefix);
  for (;;) {
    const next = await rest.next();
    if (next.done === true) break;
    yield convert(next.value);
  }
  if (decoder !== null) yield decoder.decode();
}

function isStringRecord(value: unknown): value is string[] {
  return Array.isArray(value);
}

/** Line breaks inside quoted fields, so that the next record's line number stays physical. */
function lineBreaksIn(cells: readonly string[]): number {
  let count = 0;
  for (const cell of cells) {
    if (cell.indexOf('\n') === -1 && cell.indexOf('\r') === -1) continue;
    for (let i = 0; i < cell.length; i++) {
      const code = cell.charCodeAt(i);
      if (code === LF) count++;
      else if (code === CR && cell.charCodeAt(i + 1) !== LF) count++;
    }
  }
  return count;
}

/** Resolves when the stream has records to read, has ended, or has failed. */
function readableOrDone(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('readable', done);
      stream.off('end', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('readable', done);
    stream.on('end', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

function numericProperty(error: CsvError, name: string): number | null {
  const value = error[name];
  return typeof value === 'number' ? value : null;
}

/**
 * Streams metric values out of a CSV export, in batches of valid rows with the errors found
 * along the way; the last batch carries the summary (also the generator's return value).
 *
 * The file is never held whole: chunks flow through csv-parse with backpressure, and a batch
 * waits for the caller before the next one is read. What is kept is the line of each
 * (date, metric, source, channel, campaign) already seen, in typed arrays per metric and
 * group, to name both lines of a duplicate. Problems in the file are reported
 * as errors located by physical line and header column, never thrown; what is thrown is a
 * misuse (`IngestionError`) or a failure of the input stream itself.
 */
export async function* parseMetricCsv(
  input: NodeJS.ReadableStream | Readable,
  options: MetricCsvParseOptions,
): AsyncGenerator<MetricCsvBatch, MetricCsvSummary, undefined> {
  const resolved = resolveOptions(options);
  const lookupMetric = createMetricLookup(options.context.knownMetrics);
  const source: AsyncIterable<unknown> = input;
  const chunks = asBuffers(source)[Symbol.asyncIterator]();

  let rowBatch: MetricCsvRow[] = [];
  let errorBatch: MetricCsvError[] = [];
  let rowCount = 0;
  let errorCount = 0;
  const onRow = (row: MetricCsvRow): void => {
    rowBatch.push(row);
    rowCount++;
  };
  const onError = (error: MetricCsvError): void => {
    // Messages quote the cells they are about: a NUL or an escape sequence copied from the file
    // would reach the stored import report (PostgreSQL refuses NUL in jsonb) and the terminal.
    const readable = { ...error, column: replaceControlCharacters(error.column, '\uFFFD'), message: replaceControlCharacters(error.message, '\uFFFD') };
    if (errorCount < resolved.maxErrors) errorBatch.push(readable);
    errorCount++;
  };

  let delimiter: MetricCsvDelimiter = resolved.declaredDelimiter ?? ';';
  let encoding: MetricCsvEncoding = 'UTF-8';
  let format: MetricCsvFormat | null = null;
  let columns: readonly string[] = [];
  let validator: MetricCsvRowValidator | null = null;
  let nextLine = 1;

  const summary = (): MetricCsvSummary => ({
    rowCount,
    errorCount,
    errorsTruncated: errorCount > resolved.maxErrors,
    lineCount: nextLine - 1,
    columns,
    conventions: {
      encoding,
      delimiter,
      decimal: validator?.decimal ?? resolved.declaredDecimal,
      dateFormat: validator?.dateFormat ?? resolved.declaredDateFormat,
      format,
    },
  });
  const finish = (): { batch: MetricCsvBatch; summary: MetricCsvSummary } => {
    const result = summary();
    return { batch: { rows: rowBatch, errors: errorBatch, summary: result }, summary: result };
  };

  // Peek at the header line: the separator must be known before csv-parse starts.
  const peeked: Buffer[] = [];
  let peekedLength = 0;
  let exhausted = false;
  let prefix: Buffer;
  for (;;) {
    const next = await chunks.next();
    if (next.done === true) {
      exhausted = true;
    } else {
      peeked.push(next.value);
      peekedLength += next.value.length;
    }
    prefix = peeked.length === 1 && peeked[0] !== undefined ? peeked[0] : Buffer.concat(peeked, peekedLength);
    if (exhausted || peekedLength >= HEADER_PEEK_LIMIT || lineEnd(prefix, headerStart(prefix)) !== -1) break;
  }

  const start = headerStart(prefix);
  if (start >= prefix.length) {
    onError({ line: 1, column: '', columnIndex: 1, code: 'EMPTY_FILE', message: 'The file is empty: expected a header line' });
    const done = finish();
    yield done.batch;
    return done.summary;
  }
  const headerEnd = lineEnd(prefix, start);
  const unreadable = unsupportedEncoding(prefix, prefix.subarray(start, headerEnd === -1 ? prefix.length : headerEnd));
  if (unreadable !== null) {
    onError({ line: 1, column: '', columnIndex: 1, code: 'UNSUPPORTED_ENCODING', message: unreadable });
    await chunks.return(undefined);
    const done = finish();
    yield done.batch;
    return done.summary;
  }
  encoding = detectEncoding(prefix, exhausted);
  if (resolved.declaredDelimiter === null) {
    const end = lineEnd(prefix, start);
    const headerBytes = prefix.subarray(start, end === -1 ? prefix.length : end);
    const headerLine = encoding === 'UTF-8' ? headerBytes.toString('utf8') : new TextDecoder('windows-1252').decode(headerBytes);
    const detected = detectDelimiter(headerLine);
    if (detected === null) {
      onError({
        line: 1,
        column: headerLine.trim(),
        columnIndex: 1,
        code: 'DELIMITER_UNDETECTED',
        message: 'The header line has no ";", "," or tab separator: a metric file needs at least two columns',
      });
      // Release the input rather than leave it paused and open.
      await chunks.return(undefined);
      const done = finish();
      yield done.batch;
      return done.summary;
    }
    delimiter = detected;
  }

  // Why these csv-parse options: `bom` strips the UTF-8 BOM Excel writes; records stay arrays
  // (no `columns`) because we map columns ourselves and report names as written;
  // `relax_column_count` lets us report short or long rows with their line instead of failing
  // the file; `skip_empty_lines: false` because every record, even empty, must be seen to keep
  // physical line numbers (blank rows are skipped by the validator); `relax_quotes` keeps a
  // stray quote inside an unquoted label (`Campagne "été"`) from aborting the import; record
  // delimiters are auto-detected, which handles CRLF.
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: false,
    relax_quotes: true,
    max_record_size: MAX_RECORD_SIZE,
  });
  const feed = Readable.from(replay(prefix, chunks, encoding));
  // Failures of either side surface through the iteration below.
  pipeline(feed, parser, () => undefined);

  let recordsReceived = 0;
  try {
    // Records are drained synchronously with read() and we only await when the parser's buffer
    // is empty: `for await` over the parser costs a promise per record (measured: a tenth of
    // the whole import time).
    for (;;) {
      const record: unknown = parser.read();
      if (record === null) {
        if (parser.errored !== null) throw parser.errored;
        if (parser.readableEnded) break;
        await readableOrDone(parser);
        continue;
      }
      if (!isStringRecord(record)) continue;
      recordsReceived++;
      const line = nextLine;
      nextLine = line + 1 + lineBreaksIn(record);

      if (validator === null) {
        if (record.every((cell) => cell.trim() === '')) continue;
        columns = record.map((cell) => cell.trim());
        const detection = detectMetricCsvLayout(columns, resolved.declaredFormat, lookupMetric);
        for (const error of detection.errors) onError({ ...error, line });
        if (detection.layout === null) break;
        format = detection.layout.format;
        validator = new MetricCsvRowValidator({
          layout: detection.layout,
          header: columns,
          delimiter,
          declaredDecimal: resolved.declaredDecimal,
          declaredDateFormat: resolved.declaredDateFormat,
          today: resolved.today,
          defaultSource: resolved.defaultSource,
          defaultChannel: resolved.defaultChannel,
          defaultCampaign: resolved.defaultCampaign,
          channelOfSource: resolved.channelOfSource,
          granularity: resolved.granularity,
          lookupMetric,
          onRow,
          onError,
        });
        continue;
      }

      validator.accept(record, line);
      if (rowBatch.length >= resolved.batchSize) {
        const batch: MetricCsvBatch = { rows: rowBatch, errors: errorBatch };
        rowBatch = [];
        errorBatch = [];
        yield batch;
      }
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // csv-parse drops the records it had parsed but not yet handed over when it fails; its
    // record count tells how many, each at least one line, to place the failing record.
    const parsedBefore = numericProperty(error, 'records') ?? recordsReceived;
    const line = nextLine + Math.max(0, parsedBefore - recordsReceived);
    nextLine = line + 1;
    const reason =
      error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted field is never closed'
        : error.code === 'CSV_MAX_RECORD_SIZE'
          ? `a record is longer than ${MAX_RECORD_SIZE} characters (probably an unclosed quote)`
          : error.message;
    onError({ line, column: '', columnIndex: 1, code: 'CSV_SYNTAX', message: `The CSV is malformed from this line: ${reason}` });
  } finally {
    feed.destroy();
    parser.destroy();
  }

  const done = finish();
  yield done.batch;
  return done.summary;
}

/** Collects a whole (small) file: for tests, previews and imports known to be small. */
export async function parseMetricCsvAll(input: NodeJS.ReadableStream | Readable, options: MetricCsvParseOptions): Promise<MetricCsvResult> {
  const rows: MetricCsvRow[] = [];
  const errors: MetricCsvError[] = [];
  const iterator = parseMetricCsv(input, options);
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) return { rows, errors, summary: next.value };
    for (const row of next.value.rows) rows.push(row);
    for (const error of next.value.errors) errors.push(error);
  }
}
