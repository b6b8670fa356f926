import type { DateFormat } from './metric-csv.types';

export interface ParsedCalendarDate {
  readonly ok: true;
  /** `YYYY-MM-DD`. */
  readonly iso: string;
  /** Days since 1970-01-01 (proleptic Gregorian), for range checks and compact keys. */
  readonly dayNumber: number;
  /** How this text was read. */
  readonly format: DateFormat;
}

export interface CalendarDateFailure {
  readonly ok: false;
  readonly reason: string;
}

const ZERO = 0x30;
const NINE = 0x39;
const SLASH = 0x2f;
const POINT = 0x2e;
const DASH = 0x2d;

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
 * Integer arithmetic, so no Date object and no time zone can shift the day.
 */
export function dayNumberOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Reads `length` digits at `at`, or -1 when one of them is not a digit. */
function digitsAt(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const code = text.charCodeAt(i);
    if (code < ZERO || code > NINE) return -1;
    value = value * 10 + (code - ZERO);
  }
  return value;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

function failure(reason: string): CalendarDateFailure {
  return { ok: false, reason };
}

function build(year: number, month: number, day: number, format: DateFormat, iso: string | null): ParsedCalendarDate | CalendarDateFailure {
  if (month < 1 || month > 12) return failure(`month ${month} does not exist`);
  if (day < 1 || day > daysInMonth(year, month)) return failure(`day ${day} does not exist in ${year}-${pad2(month)}`);
  return {
    ok: true,
    iso: iso ?? `${year}-${pad2(month)}-${pad2(day)}`,
    dayNumber: dayNumberOf(year, month, day),
    format,
  };
}

/**
 * Parses a spreadsheet date. ISO `yyyy-mm-dd` is always accepted (it cannot be misread).
 * `dd/mm/yyyy` and `dd.mm.yyyy` (day and month may have one digit) are day-first unless the
 * caller declared MDY: `03/04/2026` is read as month-first only on explicit request, because
 * guessing it from the values would silently swap days and months for the first twelve days.
 * A declared ISO format refuses the other shapes.
 */
export function parseCalendarDate(text: string, declared: DateFormat | null): ParsedCalendarDate | CalendarDateFailure {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  const length = end - start;

  if (length === 10 && text.charCodeAt(start + 4) === DASH && text.charCodeAt(start + 7) === DASH) {
    const year = digitsAt(text, start, 4);
    const month = digitsAt(text, start + 5, 2);
    const day = digitsAt(text, start + 8, 2);
    if (year < 0 || month < 0 || day < 0) return failure('expected yyyy-mm-dd');
    return build(year, month, day, 'ISO', start === 0 && end === text.length ? text : text.slice(start, end));
  }
  if (declared === 'ISO') return failure('expected yyyy-mm-dd (declared ISO dates)');

  // d/m/yyyy up to dd/mm/yyyy, with `/` or `.` used consistently.
  if (length < 8 || length > 10) return failure(expectation(declared));
  const firstSeparator = text.charCodeAt(start + 1) === SLASH || text.charCodeAt(start + 1) === POINT ? start + 1 : start + 2;
  const separator = text.charCodeAt(firstSeparator);
  if (separator !== SLASH && separator !== POINT) return failure(expectation(declared));
  const secondSeparator = text.charCodeAt(firstSeparator + 2) === separator ? firstSeparator + 2 : firstSeparator + 3;
  if (text.charCodeAt(secondSeparator) !== separator || end - secondSeparator - 1 !== 4) {
    return failure(expectation(declared));
  }
  const first = digitsAt(text, start, firstSeparator - start);
  const second = digitsAt(text, firstSeparator + 1, secondSeparator - firstSeparator - 1);
  const year = digitsAt(text, secondSeparator + 1, 4);
  if (first < 0 || second < 0 || year < 0) return failure(expectation(declared));
  return declared === 'MDY' ? build(year, first, second, 'MDY', null) : build(year, second, first, 'DMY', null);
}

function expectation(declared: DateFormat | null): string {
  return declared === 'MDY' ? 'expected mm/dd/yyyy or yyyy-mm-dd' : 'expected dd/mm/yyyy, dd.mm.yyyy or yyyy-mm-dd';
}
