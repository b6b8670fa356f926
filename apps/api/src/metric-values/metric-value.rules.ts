import type { MetricGranularity } from '@pilotage/database';
import type { MetricUnit } from '@pilotage/kpi';

/** Source given to values that name none: typed by a person rather than exported by a tool. */
export const DEFAULT_METRIC_SOURCE = 'manual';
export const SOURCE_MAX_LENGTH = 100;
/** Dates before this are typing mistakes, not marketing history (same bound as the CSV parser). */
export const EARLIEST_METRIC_DATE = '2000-01-01';
/** numeric(20,4): 16 integer digits and 4 decimals. */
const MAX_INTEGER_DIGITS = 16;
const MAX_DECIMALS = 4;

const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Units that measure an amount of something, which cannot be negative. */
const NON_NEGATIVE_UNITS: ReadonlySet<MetricUnit> = new Set<MetricUnit>(['COUNT', 'CURRENCY', 'DURATION']);
const UNIT_WORDS: Readonly<Record<MetricUnit, string>> = {
  COUNT: 'a count',
  CURRENCY: 'a currency',
  DURATION: 'a duration',
  PERCENT: 'a percent',
  SCORE: 'a score',
};

/** The same calendar day one year later (Feb 29 rolls to Mar 1, like the CSV parser's bound). */
export function oneYearAfter(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() + 1);
  return date.toISOString().slice(0, 10);
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

/**
 * What is wrong with a normalized decimal for a metric of `unit`, or null. The CSV parser
 * already refuses negative counts and fractional counts; storage limits are checked here for
 * both paths.
 */
export function valueProblem(valueText: string, unit: MetricUnit): string | null {
  const negative = valueText.startsWith('-');
  const [integer = '', fraction = ''] = (negative ? valueText.slice(1) : valueText).split('.');
  if (negative && NON_NEGATIVE_UNITS.has(unit)) return `must not be negative for ${UNIT_WORDS[unit]} metric`;
  if (unit === 'COUNT' && fraction !== '') return 'must be a whole number for a count metric';
  if (integer.length > MAX_INTEGER_DIGITS) return `must have at most ${MAX_INTEGER_DIGITS} digits before the decimal mark`;
  // Stored as numeric(20,4): refusing is better than rounding a figure silently.
  if (fraction.length > MAX_DECIMALS) return `must have at most ${MAX_DECIMALS} decimals`;
  return null;
}

/** Whether `isoDate` (YYYY-MM-DD) is a real calendar date. */
export function isCalendarDate(isoDate: string): boolean {
  const match = ISO_DATE.exec(isoDate);
  if (match === null) return false;
  const date = new Date(`${isoDate}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === isoDate;
}

/** A weekly value sits on the ISO week's Monday, a monthly one on the 1st; null when `date` does. */
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
