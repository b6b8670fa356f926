import type { MetricGranularity } from '@pilotage/database';
import type { Channel, MetricUnit } from '@pilotage/kpi';

/** Field separators we accept; anything else is not a spreadsheet export we know. */
export const METRIC_CSV_DELIMITERS = [';', ',', '\t'] as const;
export type MetricCsvDelimiter = (typeof METRIC_CSV_DELIMITERS)[number];

export const DECIMAL_MARKS = ['COMMA', 'POINT'] as const;
export type DecimalMark = (typeof DECIMAL_MARKS)[number];

/** ISO is `yyyy-mm-dd`; DMY is `dd/mm/yyyy` or `dd.mm.yyyy`; MDY is `mm/dd/yyyy` (only when declared). */
export const DATE_FORMATS = ['ISO', 'DMY', 'MDY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** LONG: one row per (date, metric, value[, source]). WIDE: a date column, then one column per metric. */
export const METRIC_CSV_FORMATS = ['LONG', 'WIDE'] as const;
export type MetricCsvFormat = (typeof METRIC_CSV_FORMATS)[number];

/** Conventions the caller may declare; whatever is not declared is detected from the file. */
export interface MetricCsvOptions {
  readonly delimiter?: MetricCsvDelimiter;
  readonly decimal?: DecimalMark;
  readonly dateFormat?: DateFormat;
  readonly format?: MetricCsvFormat;
  /** Valid rows per yielded batch (default 5,000). */
  readonly batchSize?: number;
  /** Errors kept with their details (default 1,000); further errors are only counted. */
  readonly maxErrors?: number;
}

/** What the caller knows about the client the file is imported for. */
export interface MetricCsvValidationContext {
  /** Metric keys accepted in the file, with their unit (which decides what values are valid). */
  readonly knownMetrics: ReadonlyMap<string, { readonly unit: MetricUnit }>;
  /** Today in the agency's time zone, `YYYY-MM-DD`; dates after today + 1 year are rejected. */
  readonly today: string;
  /** Source given to rows when the file has no source column or the cell is empty. */
  readonly defaultSource: string;
  /** Period each value covers (default DAY): a WEEK value must be dated on a Monday, a MONTH one on the 1st. */
  readonly granularity?: MetricGranularity;
  /** Channel of rows without a channel cell (the import's `channel` parameter); absent: their source's. */
  readonly channel?: Channel | null;
  /** Campaign of rows without a campaign cell (trimmed, validated); absent: none. */
  readonly campaign?: string;
  /** Channel of a source's values that carry none (the client's choice or the default); absent: the default. */
  readonly channelOfSource?: (source: string) => Channel;
}

export interface MetricCsvParseOptions extends MetricCsvOptions {
  readonly context: MetricCsvValidationContext;
}

/** One valid metric value, ready to be upserted on (date, metricKey, source, channel, campaign). */
export interface MetricCsvRow {
  /** Physical line in the file where the record starts (header = 1). */
  readonly line: number;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly metricKey: string;
  /** Exact normalized decimal (`"1234.56"`, `"-3"`), suitable for a PostgreSQL `numeric`. */
  readonly valueText: string;
  /** The same value as a number, for computations that tolerate binary floating point. */
  readonly value: number;
  readonly source: string;
  /** Resolved: the row's own, the file's, or its source's. */
  readonly channel: Channel;
  /** '' for none. */
  readonly campaign: string;
}

export const METRIC_CSV_ERROR_CODES = [
  /** The file is not well-formed CSV (unclosed quote, ...); parsing stops there. */
  'CSV_SYNTAX',
  /** The file is not UTF-8 or Windows-1252 text (UTF-16, UTF-32, binary): nothing is read. */
  'UNSUPPORTED_ENCODING',
  /** No header line. */
  'EMPTY_FILE',
  /** The separator could not be detected from the header line. */
  'DELIMITER_UNDETECTED',
  /** The header matches neither the LONG nor the WIDE layout. */
  'FORMAT_UNDETECTED',
  'MISSING_COLUMN',
  'DUPLICATE_COLUMN',
  'UNKNOWN_COLUMN',
  /** A cell beyond the header's columns holds something. */
  'UNEXPECTED_CELL',
  'MISSING_DATE',
  'INVALID_DATE',
  'DATE_OUT_OF_RANGE',
  'MISSING_METRIC',
  'UNKNOWN_METRIC',
  'MISSING_VALUE',
  'INVALID_NUMBER',
  /** `1,234` or `1.234` while nothing tells whether the file uses a decimal comma or point. */
  'AMBIGUOUS_DECIMAL',
  'NOT_FINITE',
  'COUNT_NOT_INTEGER',
  'NEGATIVE_VALUE',
  'SOURCE_TOO_LONG',
  /** A source holding a control character (NUL, ESC, ...), which no tool writes in a label. */
  'INVALID_SOURCE',
  /** A channel cell naming none of CHANNELS (by key or French/English name). */
  'UNKNOWN_CHANNEL',
  /** A campaign longer than CAMPAIGN_MAX_LENGTH. */
  'CAMPAIGN_TOO_LONG',
  /** A campaign holding a control character. */
  'INVALID_CAMPAIGN',
  /** More distinct (metric, source, channel, campaign) series than one file may hold (MAX_SERIES_PER_FILE). */
  'TOO_MANY_SERIES',
  /** The same (date, metric, source, channel, campaign) appears twice; the message names both lines. */
  'DUPLICATE_ROW',
] as const;
export type MetricCsvErrorCode = (typeof METRIC_CSV_ERROR_CODES)[number];

/** A problem in the file, located for the person who will fix the spreadsheet. */
export interface MetricCsvError {
  readonly line: number;
  /** Column name as written in the header ('' for a cell beyond the header). */
  readonly column: string;
  /** 1-based. */
  readonly columnIndex: number;
  readonly code: MetricCsvErrorCode;
  readonly message: string;
}

/** Text encodings read: UTF-8 (with or without BOM), or Windows-1252 as older Excel writes it. */
export type MetricCsvEncoding = 'UTF-8' | 'WINDOWS-1252';

export interface MetricCsvConventions {
  readonly encoding: MetricCsvEncoding;
  readonly delimiter: MetricCsvDelimiter;
  /** null when undeclared and every value was a plain integer (nothing to decide). */
  readonly decimal: DecimalMark | null;
  /** null when undeclared and no valid date was read. */
  readonly dateFormat: DateFormat | null;
  /** null when the header could not be read. */
  readonly format: MetricCsvFormat | null;
}

export interface MetricCsvSummary {
  /** Valid rows yielded. */
  readonly rowCount: number;
  /** Every error found, including those beyond `maxErrors` that were only counted. */
  readonly errorCount: number;
  /** True when errorCount exceeds the errors actually reported. */
  readonly errorsTruncated: boolean;
  /** Physical lines read, header included. */
  readonly lineCount: number;
  readonly columns: readonly string[];
  readonly conventions: MetricCsvConventions;
}

export interface MetricCsvBatch {
  readonly rows: readonly MetricCsvRow[];
  /** Errors found since the previous batch (within the `maxErrors` cap). */
  readonly errors: readonly MetricCsvError[];
  /** Set on the last batch only. */
  readonly summary?: MetricCsvSummary;
}

/** Everything a small file holds, for tests and previews. */
export interface MetricCsvResult {
  readonly rows: readonly MetricCsvRow[];
  readonly errors: readonly MetricCsvError[];
  readonly summary: MetricCsvSummary;
}
