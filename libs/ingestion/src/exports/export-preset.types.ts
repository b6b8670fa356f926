import type { MetricCsvDelimiter, MetricCsvError, MetricCsvErrorCode } from '../metric-csv.types';
import type { Channel } from './export-channel';
import type { ExportEncoding, ExportRecord } from './export-table.reader';

/** UI language of the platform the file was downloaded from: it decides the column names. */
export const EXPORT_LANGUAGES = ['en', 'fr'] as const;
export type ExportLanguage = (typeof EXPORT_LANGUAGES)[number];

export const EXPORT_PRESET_IDS = [
  'GOOGLE_ADS',
  'META_ADS',
  'GA4',
  'SEARCH_CONSOLE',
  'SHOPIFY',
  'STRIPE_PAYMENTS',
  'STRIPE_BALANCE',
  'MAILCHIMP',
  'BREVO',
] as const;
export type ExportPresetId = (typeof EXPORT_PRESET_IDS)[number];

/** One column a preset knows. */
export interface PresetColumn {
  /**
   * Header labels per UI language, compared without case, accents or spaces. A label ending
   * with `*` matches by prefix: Meta writes the account currency into "Amount spent (EUR)".
   */
  readonly labels: Partial<Record<ExportLanguage, readonly string[]>>;
  /** A file without it cannot be imported; the error names the label in the file's language. */
  readonly required?: boolean;
  /** What the column becomes, for the report: a metric key, or a dimension. */
  readonly use?: string;
  /** Why a known column is not stored (a ratio, a distinct count...). */
  readonly ignored?: string;
}

/** A day as read from a cell, or why it could not be read. */
export type DayReading = { readonly ok: true; readonly iso: string } | { readonly ok: false; readonly reason: string };

/** One value before aggregation; rows with the same date, metric, channel, campaign and source add up. */
export interface ExportValue {
  readonly date: string;
  readonly metricKey: string;
  readonly channel: Channel;
  readonly campaign: string;
  readonly source: string;
  /** Normalized decimal text. */
  readonly valueText: string;
}

/** What a preset sees of one data record. */
export interface PresetRow<R extends string> {
  readonly line: number;
  /** The trimmed cell of `role`, '' when the column is absent or the cell empty. */
  text(role: R): string;
  has(role: R): boolean;
  /** The cell as an exact decimal, null when empty or `--` (no value), or unreadable (then an error is recorded). */
  amount(role: R): string | null;
  /** The cell read by `read` as a day, null (with an error recorded) when empty or unreadable. */
  day(role: R, read: (text: string) => DayReading): string | null;
  emit(value: Omit<ExportValue, 'source'> & { readonly source?: string }): void;
  /** Leaves the row out, counted under `reason` in the report (totals footers, failed payments). */
  skip(reason: string): void;
  error(role: R, code: MetricCsvErrorCode, message: string): void;
}

/** What a preset knows of the file as a whole. */
export interface PresetFile {
  readonly language: ExportLanguage;
  /** IANA time zone of the client: UTC timestamps are dated in it. */
  readonly timeZone: string;
  /** Default source: the platform, plus the account when the preamble names it. */
  readonly source: string;
  note(text: string): void;
}

export interface ExportPreset<R extends string = string> {
  readonly id: ExportPresetId | 'MAPPING';
  /** Platform and report, as a person would call it. */
  readonly name: string;
  /** Platform name as it starts every source ("Google Ads 123-456-7890"). */
  readonly platform: string;
  readonly columns: Readonly<Record<R, PresetColumn>>;
  /** Columns that, together, identify the export; the rest only make the match better. */
  readonly signature: readonly R[];
  /**
   * Whether `#` opens a comment line in the data too (GA4 starts another table after one).
   * Elsewhere `#` is data: Shopify order names are "#1001".
   */
  readonly commentLines?: boolean;
  /** Reads the lines above the header (titles, date range, `#` comments): account and notes. */
  preamble?(records: readonly ExportRecord[], file: Pick<PresetFile, 'language' | 'note'>): { readonly account: string | null };
  /** Returns the reader of the data rows, with whatever state the preset keeps across rows. */
  open(file: PresetFile): (row: PresetRow<R>) => void;
}

/** What a column became. */
export interface ExportColumnUse {
  readonly column: string;
  readonly columnIndex: number;
  /** A metric key, or `date`, `campaign`, `channel`, `source`. */
  readonly use: string;
}

export interface ExportIgnoredColumn {
  readonly column: string;
  readonly columnIndex: number;
  readonly reason: string;
}

export interface ExportSkippedRows {
  readonly reason: string;
  readonly count: number;
  /** The first lines skipped for this reason. */
  readonly lines: readonly number[];
}

/** What the file was recognised as and what was made of each column and row. */
export interface ExportReport {
  /** Null when nothing was recognised. */
  readonly preset: { readonly id: ExportPresetId | 'MAPPING'; readonly name: string } | null;
  readonly language: ExportLanguage | null;
  readonly encoding: ExportEncoding | null;
  readonly delimiter: MetricCsvDelimiter | null;
  /** Line of the header row (after titles and comments). */
  readonly headerLine: number | null;
  readonly columnsMapped: readonly ExportColumnUse[];
  readonly columnsIgnored: readonly ExportIgnoredColumn[];
  readonly rowsSkipped: readonly ExportSkippedRows[];
  /** Data rows read (skipped ones included). */
  readonly rowsRead: number;
  /** What the file says that matters to read it right: account, date range, attribution setting, roundings. */
  readonly notes: readonly string[];
}

/** One value to upsert, summed to the day. */
export interface ExportMetricRow extends ExportValue {
  /** First line of the file that contributed to it. */
  readonly line: number;
  readonly value: number;
}

export interface ExportParseResult {
  readonly rows: readonly ExportMetricRow[];
  /** Located problems, within `maxErrors`; `errorCount` counts them all. */
  readonly errors: readonly MetricCsvError[];
  readonly errorCount: number;
  readonly report: ExportReport;
}
