import { isUtf8 } from 'node:buffer';
import { CsvError, parse } from 'csv-parse/sync';
import type { MetricCsvDelimiter, MetricCsvEncoding } from '../metric-csv.types';

/**
 * Platform exports are read whole: they are reports a person downloaded (a few thousand rows),
 * and recognising one needs its preamble and footer, which a stream would have passed already.
 * 16 MiB is about 170,000 rows of a Google Ads report: about 2.6 s to read on this machine, in
 * slices that let other requests run (measured with a generated campaign report).
 */
export const MAX_EXPORT_BYTES = 16 * 1024 * 1024;
/** How far down the file the header row may sit (titles, date ranges, GA4 `#` comments above it). */
export const HEADER_SEARCH_RECORDS = 40;
/**
 * Lines parsed per candidate delimiter while looking for the header (GA4's preamble and blank
 * lines included): the whole file is parsed once, with the delimiter found.
 */
export const HEADER_SCAN_LINES = 400;

const LF = 0x0a;
const CR = 0x0d;

/** Text encodings an export comes in: Google Ads' "Excel CSV" download is UTF-16LE with a BOM and tabs. */
export type ExportEncoding = MetricCsvEncoding | 'UTF-16LE' | 'UTF-16BE';

export interface ExportText {
  readonly text: string;
  readonly encoding: ExportEncoding;
}

/** Decodes the bytes: UTF-8 (BOM stripped), UTF-16 with a BOM, else Windows-1252 when not valid UTF-8. */
export function decodeExport(bytes: Buffer): ExportText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'UTF-16LE' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'UTF-16BE' };
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  if (isUtf8(body)) return { text: body.toString('utf8'), encoding: 'UTF-8' };
  return { text: new TextDecoder('windows-1252').decode(body), encoding: 'WINDOWS-1252' };
}

/** One record with the physical line it starts on (1-based). */
export interface ExportRecord {
  readonly line: number;
  readonly cells: readonly string[];
}

export type ExportRecords =
  { readonly ok: true; readonly records: readonly ExportRecord[] } | { readonly ok: false; readonly line: number; readonly reason: string };

function lineBreaksIn(cells: readonly string[]): number {
  let count = 0;
  for (const cell of cells) {
    for (let i = 0; i < cell.length; i++) {
      const code = cell.charCodeAt(i);
      if (code === LF) count++;
      else if (code === CR && cell.charCodeAt(i + 1) !== LF) count++;
    }
  }
  return count;
}

/**
 * Splits the text into records with `delimiter`. Same csv-parse choices as our own layout
 * (metric-csv.parser.ts): ragged rows allowed (preamble lines have one cell), every line kept
 * so that line numbers stay physical, stray quotes in labels tolerated.
 */
export function splitRecords(text: string, delimiter: MetricCsvDelimiter, toLine?: number): ExportRecords {
  let rows: string[][];
  try {
    rows = parse(text, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: false,
      relax_quotes: true,
      bom: true,
      ...(toLine === undefined ? {} : { to_line: toLine }),
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const lines = typeof error['lines'] === 'number' ? error['lines'] : 1;
    return { ok: false, line: lines, reason: error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed' : error.message };
  }
  const records: ExportRecord[] = [];
  let line = 1;
  for (const cells of rows) {
    records.push({ line, cells });
    line += 1 + lineBreaksIn(cells);
  }
  return { ok: true, records };
}

/** Whether a record is blank or a `#` comment (GA4 writes its preamble and section titles so). */
export function isBlankOrComment(cells: readonly string[]): boolean {
  const first = cells[0]?.trim() ?? '';
  if (first.startsWith('#')) return true;
  return cells.every((cell) => cell.trim() === '');
}
