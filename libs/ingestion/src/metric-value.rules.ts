import type { MetricGranularity } from '@pilotage/database';
import type { MetricUnit } from '@pilotage/kpi';
import { dayNumberOf, parseCalendarDate } from './calendar-date.parser';

/*
 * What a metric value may be, whichever way it comes in (a CSV file or a recordMetricValues
 * call). Both paths check values with these bounds and functions; each words its messages for
 * its own audience (a line and column of a spreadsheet, or a field of an API call).
 */

/** Source given to values that name none: typed by a person rather than exported by a tool. */
export const DEFAULT_METRIC_SOURCE = 'manual';
export const SOURCE_MAX_LENGTH = 100;
/** Dates before this are typing mistakes, not marketing history. */
export const EARLIEST_METRIC_DATE = '2000-01-01';
/** Values are stored as numeric(20,4): 16 integer digits and 4 decimals. */
export const MAX_INTEGER_DIGITS = 16;
export const MAX_DECIMALS = 4;

/** Units that measure an amount of something, which cannot be negative. */
const NON_NEGATIVE_UNITS: ReadonlySet<MetricUnit> = new Set<MetricUnit>(['COUNT', 'CURRENCY', 'DURATION']);
const UNIT_WORDS: Readonly<Record<MetricUnit, string>> = {
  COUNT: 'a count',
  CURRENCY: 'a currency',
  DURATION: 'a duration',
  PERCENT: 'a percent',
  SCORE: 'a score',
};

const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?$/;
const MINUS = 0x2d;

/** The first rule a value breaks, checked in this order. */
export type MetricValueViolation = 'NEGATIVE_VALUE' | 'COUNT_NOT_INTEGER' | 'TOO_MANY_INTEGER_DIGITS' | 'TOO_MANY_DECIMALS';

/**
 * The first rule a normalized decimal (`-1234.5`: no grouping, no trailing zeros) breaks for a
 * metric of `unit`, or null. Refusing a value storage cannot hold is better than rounding a
 * figure silently. No allocation: this runs once per imported value.
 */
export function metricValueViolation(valueText: string, unit: MetricUnit): MetricValueViolation | null {
  const negative = valueText.charCodeAt(0) === MINUS;
  const point = valueText.indexOf('.');
  if (negative && NON_NEGATIVE_UNITS.has(unit)) return 'NEGATIVE_VALUE';
  if (unit === 'COUNT' && point !== -1) return 'COUNT_NOT_INTEGER';
  const integerDigits = (point === -1 ? valueText.length : point) - (negative ? 1 : 0);
  if (integerDigits > MAX_INTEGER_DIGITS) return 'TOO_MANY_INTEGER_DIGITS';
  if (point !== -1 && valueText.length - point - 1 > MAX_DECIMALS) return 'TOO_MANY_DECIMALS';
  return null;
}

/** What a value must be to respect `violation`, said of the value ("must not be negative for a count metric"). */
export function describeMetricValueViolation(violation: MetricValueViolation, unit: MetricUnit): string {
  switch (violation) {
    case 'NEGATIVE_VALUE':
      return `must not be negative for ${UNIT_WORDS[unit]} metric`;
    case 'COUNT_NOT_INTEGER':
      return 'must be a whole number for a count metric';
    case 'TOO_MANY_INTEGER_DIGITS':
      return `must have at most ${MAX_INTEGER_DIGITS} digits before the decimal mark`;
    case 'TOO_MANY_DECIMALS':
      return `must have at most ${MAX_DECIMALS} decimals`;
  }
}

/** Normalizes a decimal given as text or number; null when it is not a plain finite decimal. */
export function normalizeDecimal(input: string | number): string | null {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return null;
    const shortest = String(input);
    // Exponent notation is spelled out so that the digit and scale checks apply: a double
    // written 1e21 is an integer, one written 1e-7 is below 1.
    if (!/e/i.test(shortest)) text = shortest;
    else text = Math.abs(input) < 1 ? input.toFixed(20) : BigInt(input).toString();
  } else {
    text = input.trim();
  }
  const match = DECIMAL_TEXT.exec(text);
  if (match === null) return null;
  const sign = match[1] ?? '';
  const integer = (match[2] ?? '0').replace(/^0+(?=\d)/, '');
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const isZero = /^0+$/.test(integer) && fraction === '';
  return `${isZero ? '' : sign}${integer}${fraction === '' ? '' : `.${fraction}`}`;
}

/** Whether `text` is exactly a real calendar date `YYYY-MM-DD` (no spaces, no other shape). */
export function isIsoCalendarDate(text: string): boolean {
  const parsed = parseCalendarDate(text, 'ISO');
  return parsed.ok && parsed.iso === text;
}

function dayNumberOfIso(isoDate: string): number {
  return dayNumberOf(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)), Number(isoDate.slice(8, 10)));
}

/** Accepted dates, as text and as days since 1970-01-01 (what the CSV validator compares). */
export interface MetricDateRange {
  readonly earliest: string;
  readonly latest: string;
  readonly earliestDay: number;
  readonly latestDay: number;
}

/**
 * The dates accepted for a client whose today (in its time zone) is `today` (`YYYY-MM-DD`):
 * from {@link EARLIEST_METRIC_DATE} to the same calendar day a year later.
 */
export function metricDateRange(today: string): MetricDateRange {
  // days_from_civil carries a day past the month's end into the next one: Feb 29 + 1 year is
  // Mar 1, which is what "a year later" means for the end of a range.
  const latestDay = dayNumberOf(Number(today.slice(0, 4)) + 1, Number(today.slice(5, 7)), Number(today.slice(8, 10)));
  return {
    earliest: EARLIEST_METRIC_DATE,
    latest: new Date(latestDay * 86_400_000).toISOString().slice(0, 10),
    earliestDay: dayNumberOfIso(EARLIEST_METRIC_DATE),
    latestDay,
  };
}

/** A weekly value sits on the ISO week's Monday, a monthly one on the 1st; null when `isoDate` does. */
export function granularityProblem(isoDate: string, granularity: MetricGranularity): string | null {
  if (granularity === 'DAY') return null;
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (granularity === 'MONTH') {
    return date.getUTCDate() === 1 ? null : `a MONTH value must be dated on the 1st (${isoDate.slice(0, 8)}01)`;
  }
  const weekday = (date.getUTCDay() + 6) % 7;
  if (weekday === 0) return null;
  date.setUTCDate(date.getUTCDate() - weekday);
  return `a WEEK value must be dated on the Monday of its week (${date.toISOString().slice(0, 10)})`;
}
