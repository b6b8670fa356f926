import { PeriodError } from './period-error';

/**
 * Calendar dates are ISO 8601 strings `YYYY-MM-DD` in the client's time zone. Arithmetic runs on
 * day numbers (days since 1970-01-01, as UTC midnight would count them) with Howard Hinnant's
 * civil-calendar algorithms (https://howardhinnant.github.io/date_algorithms.html): exact for
 * the proleptic Gregorian calendar, free of `Date`'s local time zone and of its rule that maps
 * years 0-99 to 1900-1999. Since a date never carries a time, DST cannot move it.
 */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    return isLeapYear(year) ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function isValidIsoDate(value: string): boolean {
  return parseOrNull(value) !== null;
}

function parseOrNull(value: string): CalendarDate | null {
  if (typeof value !== 'string') {
    return null;
  }
  const match = ISO_DATE.exec(value);
  if (!match) {
    return null;
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < MIN_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return null;
  }
  return { year, month, day };
}

export function parseIsoDate(value: string): CalendarDate {
  const date = parseOrNull(value);
  if (date === null) {
    throw new PeriodError(`'${String(value)}' is not a calendar date in the form YYYY-MM-DD`);
  }
  return date;
}

export function formatIsoDate({ year, month, day }: CalendarDate): string {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new PeriodError(`Year ${year} is outside ${MIN_YEAR}-${MAX_YEAR}`);
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Days since 1970-01-01 (Hinnant's days_from_civil). */
export function toDayNumber(date: string): number {
  const { year, month, day } = parseIsoDate(date);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Inverse of toDayNumber (Hinnant's civil_from_days). */
export function fromDayNumber(dayNumber: number): string {
  if (!Number.isInteger(dayNumber)) {
    throw new PeriodError(`Day number ${dayNumber} is not an integer`);
  }
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return formatIsoDate({ year, month, day });
}

export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) {
    throw new PeriodError(`Cannot add ${days} days: not an integer`);
  }
  return fromDayNumber(toDayNumber(date) + days);
}

/** Adds calendar months; a day that does not exist in the target month is clamped to its last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: string, months: number): string {
  if (!Number.isInteger(months)) {
    throw new PeriodError(`Cannot add ${months} months: not an integer`);
  }
  const { year, month, day } = parseIsoDate(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  return formatIsoDate({
    year: targetYear,
    month: targetMonth,
    day: Math.min(day, daysInMonth(targetYear, targetMonth)),
  });
}

/** Number of days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** ISO 8601 weekday: Monday = 1 ... Sunday = 7. */
export function isoWeekday(date: string): number {
  // 1970-01-01 was a Thursday (4).
  return ((((toDayNumber(date) + 3) % 7) + 7) % 7) + 1;
}
