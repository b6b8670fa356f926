import { findControlCharacter } from '@pilotage/common';
import type { MetricGranularity } from '@pilotage/database';
import type { Channel, MetricUnit } from '@pilotage/kpi';
import { parseCalendarDate, type ParsedCalendarDate } from './calendar-date.parser';
import { parseLocaleDecimal, type ParsedDecimal } from './locale-decimal.parser';
import type { MetricCsvLayout } from './metric-csv-layout.detector';
import { ACCEPTED_CHANNEL_NAMES, CAMPAIGN_MAX_LENGTH, campaignProblem, parseChannel } from './metric-channel.rules';
import { SOURCE_MAX_LENGTH, describeMetricValueViolation, granularityProblem, metricDateRange, metricValueViolation } from './metric-value.rules';
import type { DateFormat, DecimalMark, MetricCsvDelimiter, MetricCsvError, MetricCsvErrorCode, MetricCsvRow } from './metric-csv.types';

/**
 * Line of the first row seen for each day of one (metric, source), 0 for none. A typed array
 * over the span of days seen, grown by doubling, rather than one Map entry per row: a
 * million-row import then keeps a few megabytes of counters instead of a million boxed keys,
 * and the lookup is an index (measured: the Map version cost more than the CSV parsing).
 */
class LinesByDay {
  private firstDay = 0;
  private lines = new Uint32Array(0);

  constructor(
    private readonly minDay: number,
    private readonly maxDay: number,
  ) {}

  get(day: number): number {
    const offset = day - this.firstDay;
    return offset >= 0 && offset < this.lines.length ? (this.lines[offset] ?? 0) : 0;
  }

  set(day: number, line: number): void {
    let offset = day - this.firstDay;
    if (offset < 0 || offset >= this.lines.length) {
      this.cover(day);
      offset = day - this.firstDay;
    }
    this.lines[offset] = line;
  }

  private cover(day: number): void {
    const span = this.maxDay - this.minDay + 1;
    if (this.lines.length === 0) {
      const length = Math.min(64, span);
      this.firstDay = Math.max(this.minDay, Math.min(day - (length >> 1), this.maxDay - length + 1));
      this.lines = new Uint32Array(length);
      return;
    }
    const end = this.firstDay + this.lines.length;
    const needed = Math.max(end, day + 1) - Math.min(this.firstDay, day);
    const length = Math.min(span, Math.max(needed, this.lines.length * 2));
    // Grow towards the day that did not fit, so that files sorted either way stay cheap.
    const firstDay = day < this.firstDay ? Math.max(this.minDay, end - length) : Math.min(this.firstDay, this.maxDay - length + 1);
    const lines = new Uint32Array(length);
    lines.set(this.lines, this.firstDay - firstDay);
    this.firstDay = firstDay;
    this.lines = lines;
  }
}

export interface MetricCsvRowValidatorSettings {
  readonly layout: MetricCsvLayout;
  readonly header: readonly string[];
  readonly delimiter: MetricCsvDelimiter;
  readonly declaredDecimal: DecimalMark | null;
  readonly declaredDateFormat: DateFormat | null;
  /** `YYYY-MM-DD`, checked by the caller. */
  readonly today: string;
  readonly defaultSource: string;
  /** Channel of rows without a channel cell; null: their source's. */
  readonly defaultChannel: Channel | null;
  /** Campaign of rows without a campaign cell ('' for none). */
  readonly defaultCampaign: string;
  /** Channel of a source whose row says none. */
  readonly channelOfSource: (source: string) => Channel;
  /** Period every value of the file covers: its dates must start one. */
  readonly granularity: MetricGranularity;
  readonly lookupMetric: (key: string) => { readonly metricKey: string; readonly unit: MetricUnit } | null;
  readonly onRow: (row: MetricCsvRow) => void;
  readonly onError: (error: MetricCsvError) => void;
}

/**
 * Distinct (metric, source, channel, campaign) series one file may hold. Each keeps its lines by
 * day for the duplicate check (a few hundred bytes): without a bound, a 200 MB file of a
 * different campaign on every row would hold a million of them. A campaign report of 500
 * campaigns × 20 metrics is 10,000.
 */
export const MAX_SERIES_PER_FILE = 50_000;

/** Where a value belongs besides its metric and date: the rest of its natural key. */
interface ValueGroup {
  readonly source: string;
  readonly channel: Channel;
  readonly campaign: string;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x20 && code !== 0xa0 && code !== 0x202f) return false;
  }
  return true;
}

function markName(mark: DecimalMark): string {
  return mark === 'COMMA' ? 'decimal comma' : 'decimal point';
}

/**
 * Turns the cells of one record into valid metric rows or located errors, and keeps what
 * a file-wide check needs: the decimal convention once settled, the keys already seen.
 *
 * Decimal mark, when not declared: the first value that proves one (`12,5`, `1.234,56`,
 * `0.5`, `1,234,567`) settles it for the whole file; later values contradicting it are
 * errors. A value that proves nothing (`1,234`, `1.234`) before that is read with the
 * French convention when the separator is `;` (the only reason a spreadsheet writes `;` is
 * that `,` is its decimal mark), and settles it; with `,` or tab it is AMBIGUOUS_DECIMAL
 * rather than a guess. Integers without separators prove nothing and need nothing.
 */
export class MetricCsvRowValidator {
  private decimalMark: DecimalMark | null;
  private decimalOrigin: string;
  private readonly fallbackMark: DecimalMark | null;
  private firstDateFormat: DateFormat | null = null;
  private readonly minDay: number;
  private readonly maxDay: number;
  private readonly earliestDate: string;
  private readonly maxDate: string;
  /** metric -> group -> line of each day already imported, to report duplicates. */
  private readonly seen = new Map<string, Map<ValueGroup, LinesByDay>>();
  /** One group object per distinct (source, channel, campaign), so that `seen` is keyed by identity. */
  private readonly groups = new Map<string, ValueGroup>();
  /**
   * The group of the cells as written (source, channel, campaign texts), checked once: an export
   * repeats a handful of them a million times, and a lookup of the texts costs less than
   * trimming, validating and joining them again (measured: a tenth of the parsing).
   */
  private readonly groupsByCells = new Map<string, Map<string, Map<string, ValueGroup>>>();
  /** Channel cells already read: an export repeats a handful of spellings. */
  private readonly channelCells = new Map<string, Channel | null>();
  private seriesCount = 0;
  private lastDateText = '';
  private lastDate: ParsedCalendarDate | null = null;

  constructor(private readonly settings: MetricCsvRowValidatorSettings) {
    this.decimalMark = settings.declaredDecimal;
    this.decimalOrigin = 'as declared';
    this.fallbackMark = settings.declaredDecimal === null && settings.delimiter === ';' ? 'COMMA' : null;
    const range = metricDateRange(settings.today);
    this.minDay = range.earliestDay;
    this.maxDay = range.latestDay;
    this.earliestDate = range.earliest;
    this.maxDate = range.latest;
  }

  get decimal(): DecimalMark | null {
    return this.decimalMark;
  }

  get dateFormat(): DateFormat | null {
    return this.settings.declaredDateFormat ?? this.firstDateFormat;
  }

  /** Handles one non-header record starting at physical `line`. */
  accept(cells: readonly string[], line: number): void {
    let blank = true;
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      if (cell !== undefined && cell.length > 0 && !isBlank(cell)) {
        blank = false;
        break;
      }
    }
    // Spreadsheets export trailing rows of separators (`;;;`): they carry nothing.
    if (blank) return;

    const { header, layout } = this.settings;
    for (let i = header.length; i < cells.length; i++) {
      const cell = cells[i];
      if (cell !== undefined && !isBlank(cell)) {
        this.error(line, i, 'UNEXPECTED_CELL', `Cell ${i + 1} is beyond the ${header.length} columns of the header: "${cell}"`);
      }
    }
    if (layout.format === 'LONG') this.acceptLong(cells, line, layout);
    else this.acceptWide(cells, line, layout);
  }

  private acceptLong(cells: readonly string[], line: number, layout: Extract<MetricCsvLayout, { format: 'LONG' }>): void {
    const { dateIndex, metricIndex, valueIndex } = layout;
    const date = this.readDate(cells[dateIndex] ?? '', line, dateIndex);
    const group = this.readGroup(cells, line, layout);

    const metricText = (cells[metricIndex] ?? '').trim();
    let metric: { readonly metricKey: string; readonly unit: MetricUnit } | null = null;
    if (metricText === '') this.error(line, metricIndex, 'MISSING_METRIC', 'The metric is empty');
    else {
      metric = this.settings.lookupMetric(metricText);
      if (metric === null) this.error(line, metricIndex, 'UNKNOWN_METRIC', `"${metricText}" is not a known metric key`);
    }

    const valueText = cells[valueIndex] ?? '';
    let value: ParsedDecimal | null = null;
    if (isBlank(valueText)) this.error(line, valueIndex, 'MISSING_VALUE', 'The value is empty');
    else if (metric !== null) value = this.readValue(valueText, metric.metricKey, metric.unit, line, valueIndex);

    if (date !== null && group !== null && metric !== null && value !== null) {
      this.emit(line, dateIndex, date, metric.metricKey, value, group);
    }
  }

  private acceptWide(cells: readonly string[], line: number, layout: Extract<MetricCsvLayout, { format: 'WIDE' }>): void {
    const date = this.readDate(cells[layout.dateIndex] ?? '', line, layout.dateIndex);
    const group = this.readGroup(cells, line, layout);
    // Without a date the values of the row cannot be placed; one error says why.
    if (date === null || group === null) return;
    for (const column of layout.metricColumns) {
      const cell = cells[column.index];
      // An empty cell is a missing measurement, not a zero.
      if (cell === undefined || isBlank(cell)) continue;
      const value = this.readValue(cell, column.metricKey, column.unit, line, column.index);
      if (value !== null) this.emit(line, layout.dateIndex, date, column.metricKey, value, group);
    }
  }

  private emit(line: number, dateIndex: number, date: ParsedCalendarDate, metricKey: string, value: ParsedDecimal, group: ValueGroup): void {
    let byGroup = this.seen.get(metricKey);
    if (byGroup === undefined) {
      byGroup = new Map();
      this.seen.set(metricKey, byGroup);
    }
    let lines = byGroup.get(group);
    if (lines === undefined) {
      if (this.seriesCount >= MAX_SERIES_PER_FILE) {
        const column = this.settings.layout.campaignIndex !== -1 ? this.settings.layout.campaignIndex : Math.max(0, this.settings.layout.sourceIndex);
        this.error(
          line,
          column,
          'TOO_MANY_SERIES',
          `The file holds more than ${MAX_SERIES_PER_FILE} distinct series (metric, source, channel, campaign); split it into several files`,
        );
        return;
      }
      this.seriesCount++;
      lines = new LinesByDay(this.minDay, this.maxDay);
      byGroup.set(group, lines);
    }
    const firstLine = lines.get(date.dayNumber);
    if (firstLine !== 0) {
      const campaign = group.campaign === '' ? 'no campaign' : `campaign "${group.campaign}"`;
      this.error(
        line,
        dateIndex,
        'DUPLICATE_ROW',
        `Line ${line} repeats line ${firstLine}: same date ${date.iso}, metric "${metricKey}", source "${group.source}", channel ${group.channel} and ${campaign}`,
      );
      return;
    }
    lines.set(date.dayNumber, line);
    this.settings.onRow({
      line,
      date: date.iso,
      metricKey,
      valueText: value.valueText,
      value: value.value,
      source: group.source,
      channel: group.channel,
      campaign: group.campaign,
    });
  }

  /** Source, channel and campaign of a record, or null after reporting what is wrong with them. */
  private readGroup(cells: readonly string[], line: number, layout: MetricCsvLayout): ValueGroup | null {
    const sourceText = layout.sourceIndex === -1 ? '' : (cells[layout.sourceIndex] ?? '');
    const channelText = layout.channelIndex === -1 ? '' : (cells[layout.channelIndex] ?? '');
    const campaignText = layout.campaignIndex === -1 ? '' : (cells[layout.campaignIndex] ?? '');
    const cached = this.groupsByCells.get(sourceText)?.get(channelText)?.get(campaignText);
    if (cached !== undefined) return cached;

    const source = this.readSource(sourceText, line, layout.sourceIndex);
    const ownChannel = layout.channelIndex === -1 ? null : this.readChannel(channelText, line, layout.channelIndex);
    const campaign = layout.campaignIndex === -1 ? this.settings.defaultCampaign : this.readCampaign(campaignText, line, layout.campaignIndex);
    if (source === null || ownChannel === false || campaign === null) return null;
    const channel = ownChannel ?? this.settings.defaultChannel ?? this.settings.channelOfSource(source);
    // NUL cannot occur in a source or campaign (refused as a control character): the key is unambiguous.
    const key = `${source}\u0000${channel}\u0000${campaign}`;
    let group = this.groups.get(key);
    if (group === undefined) {
      group = { source, channel, campaign };
      this.groups.set(key, group);
    }
    if (this.groupsByCells.size < MAX_SERIES_PER_FILE) {
      let byChannel = this.groupsByCells.get(sourceText);
      if (byChannel === undefined) {
        byChannel = new Map();
        this.groupsByCells.set(sourceText, byChannel);
      }
      let byCampaign = byChannel.get(channelText);
      if (byCampaign === undefined) {
        byCampaign = new Map();
        byChannel.set(channelText, byCampaign);
      }
      if (byCampaign.size < MAX_SERIES_PER_FILE) byCampaign.set(campaignText, group);
    }
    return group;
  }

  /** The channel of a cell; null for an empty cell (the file's or source's applies); false after reporting an unknown one. */
  private readChannel(text: string, line: number, index: number): Channel | null | false {
    if (isBlank(text)) return null;
    let channel = this.channelCells.get(text);
    if (channel === undefined) {
      channel = parseChannel(text);
      if (this.channelCells.size < 1_000) this.channelCells.set(text, channel);
    }
    if (channel === null) {
      this.error(line, index, 'UNKNOWN_CHANNEL', `"${text.trim()}" is not a channel; accepted: ${ACCEPTED_CHANNEL_NAMES}, or empty`);
      return false;
    }
    return channel;
  }

  private readCampaign(text: string, line: number, index: number): string | null {
    const campaign = text.trim();
    if (campaign === '') return this.settings.defaultCampaign;
    if (campaign.length > CAMPAIGN_MAX_LENGTH) {
      this.error(line, index, 'CAMPAIGN_TOO_LONG', `The campaign must have at most ${CAMPAIGN_MAX_LENGTH} characters (it has ${campaign.length})`);
      return null;
    }
    const problem = campaignProblem(campaign);
    if (problem !== null) {
      this.error(line, index, 'INVALID_CAMPAIGN', `The campaign ${problem}`);
      return null;
    }
    return campaign;
  }

  private readDate(text: string, line: number, index: number): ParsedCalendarDate | null {
    // Rows come grouped by date in practice, so the previous parse is usually the answer.
    if (text === this.lastDateText && this.lastDate !== null) return this.lastDate;
    if (isBlank(text)) {
      this.error(line, index, 'MISSING_DATE', 'The date is empty');
      return null;
    }
    const parsed = parseCalendarDate(text, this.settings.declaredDateFormat);
    if (!parsed.ok) {
      const hint =
        this.settings.declaredDateFormat === null && /^\s*\d{1,2}\/(1[3-9]|[23]\d)\/\d{4}\s*$/.test(text)
          ? '; if the file writes month first, declare the date format MDY'
          : '';
      this.error(line, index, 'INVALID_DATE', `"${text.trim()}" is not a valid date: ${parsed.reason}${hint}`);
      return null;
    }
    if (parsed.dayNumber < this.minDay || parsed.dayNumber > this.maxDay) {
      this.error(line, index, 'DATE_OUT_OF_RANGE', `${parsed.iso} is outside the accepted range ${this.earliestDate} to ${this.maxDate}`);
      return null;
    }
    if (this.firstDateFormat === null || (this.firstDateFormat === 'ISO' && parsed.format !== 'ISO')) {
      this.firstDateFormat = parsed.format;
    }
    const misdated = granularityProblem(parsed.iso, this.settings.granularity);
    if (misdated !== null) {
      this.error(line, index, 'INVALID_DATE', misdated);
      return null;
    }
    this.lastDateText = text;
    this.lastDate = parsed;
    return parsed;
  }

  private readSource(text: string, line: number, index: number): string | null {
    const source = text.trim();
    if (source === '') return this.settings.defaultSource;
    if (source.length > SOURCE_MAX_LENGTH) {
      this.error(line, index, 'SOURCE_TOO_LONG', `The source has ${source.length} characters; at most ${SOURCE_MAX_LENGTH}`);
      return null;
    }
    const control = findControlCharacter(source, 'MULTILINE');
    if (control !== null) {
      this.error(line, index, 'INVALID_SOURCE', `The source contains a control character (${control})`);
      return null;
    }
    return source;
  }

  private readValue(text: string, metricKey: string, unit: MetricUnit, line: number, index: number): ParsedDecimal | null {
    let parsed = parseLocaleDecimal(text, this.decimalMark);
    if (!parsed.ok && parsed.code === 'AMBIGUOUS_DECIMAL' && this.fallbackMark !== null) {
      parsed = parseLocaleDecimal(text, this.fallbackMark);
      if (parsed.ok) {
        this.decimalMark = this.fallbackMark;
        this.decimalOrigin = `assumed from the ";" separator at line ${line}`;
      }
    }
    const shown = text.trim();
    if (!parsed.ok) {
      if (parsed.code === 'AMBIGUOUS_DECIMAL') {
        const asPoint = parseLocaleDecimal(text, 'POINT');
        const asComma = parseLocaleDecimal(text, 'COMMA');
        const readings = asPoint.ok && asComma.ok ? ` (${asPoint.valueText} with a decimal point, ${asComma.valueText} with a decimal comma)` : '';
        this.error(
          line,
          index,
          'AMBIGUOUS_DECIMAL',
          `"${shown}" is ambiguous${readings} and no earlier value settles the file's decimal mark; ` + 'declare it (COMMA or POINT)',
        );
      } else if (parsed.code === 'NOT_FINITE') {
        this.error(line, index, 'NOT_FINITE', `"${shown}" is ${parsed.reason}`);
      } else {
        const convention = this.decimalMark === null ? '' : ` (the file uses a ${markName(this.decimalMark)}, ${this.decimalOrigin})`;
        this.error(line, index, 'INVALID_NUMBER', `"${shown}" is not a number: ${parsed.reason}${convention}`);
      }
      return null;
    }
    if (this.decimalMark === null && parsed.provenMark !== null) {
      this.decimalMark = parsed.provenMark;
      this.decimalOrigin = `settled by "${shown}" at line ${line}`;
    }

    const violation = metricValueViolation(parsed.valueText, unit);
    if (violation === null) return parsed;
    if (violation === 'NEGATIVE_VALUE') {
      this.error(line, index, 'NEGATIVE_VALUE', `Metric "${metricKey}" (${unit}) cannot be negative: "${shown}"`);
    } else if (violation === 'COUNT_NOT_INTEGER') {
      this.error(line, index, 'COUNT_NOT_INTEGER', `Metric "${metricKey}" counts whole units; "${shown}" has decimals`);
    } else {
      this.error(line, index, 'INVALID_NUMBER', `Metric "${metricKey}": value ${describeMetricValueViolation(violation, unit)}`);
    }
    return null;
  }

  private error(line: number, index: number, code: MetricCsvErrorCode, message: string): void {
    this.settings.onError({ line, column: this.settings.header[index] ?? '', columnIndex: index + 1, code, message });
  }
}
