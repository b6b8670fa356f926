import { addDays, addMonths, daysBetween, daysInMonth, formatIsoDate, isoWeekday, parseIsoDate } from './iso-date';
import { PeriodError } from './period-error';

export const PERIOD_GRAINS = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'] as const;
export type PeriodGrain = (typeof PERIOD_GRAINS)[number];

/** A span of local calendar dates, both ends included. */
export interface Period {
  readonly grain: PeriodGrain | 'YTD' | 'CUSTOM';
  readonly start: string;
  readonly end: string;
}

export interface IsoWeek {
  readonly isoYear: number;
  readonly week: number;
}

/** Longest custom period: reports and series beyond five years are not a use case and would be costly. */
export const MAX_CUSTOM_PERIOD_YEARS = 5;

/**
 * ISO 8601 week of a date: weeks run Monday to Sunday and week 1 is the week that holds the
 * year's first Thursday, so 2021-01-01 (a Friday) belongs to 2020-W53.
 */
export function isoWeekOf(date: string): IsoWeek {
  // The Thursday of the date's week decides both the ISO year and the week number.
  const thursday = addDays(date, 4 - isoWeekday(date));
  const isoYear = parseIsoDate(thursday).year;
  const week = Math.floor(daysBetween(formatIsoDate({ year: isoYear, month: 1, day: 1 }), thursday) / 7) + 1;
  return { isoYear, week };
}

/** 52 or 53: a year has 53 ISO weeks when December 28 (always in the last week) falls in week 53. */
export function isoWeeksInYear(isoYear: number): number {
  return isoWeekOf(formatIsoDate({ year: isoYear, month: 12, day: 28 })).week;
}

export function isoWeekPeriod(isoYear: number, week: number): Period {
  assertInteger(isoYear, 'ISO year');
  const weeks = isoWeeksInYear(isoYear);
  if (!Number.isInteger(week) || week < 1 || week > weeks) {
    throw new PeriodError(`ISO year ${isoYear} has weeks 1 to ${weeks}, not ${week}`);
  }
  // January 4 is always in week 1 (ISO 8601).
  const january4 = formatIsoDate({ year: isoYear, month: 1, day: 4 });
  const start = addDays(january4, 1 - isoWeekday(january4) + (week - 1) * 7);
  return { grain: 'WEEK', start, end: addDays(start, 6) };
}

export function monthPeriod(year: number, month: number): Period {
  assertInteger(year, 'Year');
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new PeriodError(`Month must be 1 to 12, not ${month}`);
  }
  return {
    grain: 'MONTH',
    start: formatIsoDate({ year, month, day: 1 }),
    end: formatIsoDate({ year, month, day: daysInMonth(year, month) }),
  };
}

export function quarterPeriod(year: number, quarter: number): Period {
  assertInteger(year, 'Year');
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) {
    throw new PeriodError(`Quarter must be 1 to 4, not ${quarter}`);
  }
  const firstMonth = (quarter - 1) * 3 + 1;
  return {
    grain: 'QUARTER',
    start: formatIsoDate({ year, month: firstMonth, day: 1 }),
    end: formatIsoDate({ year, month: firstMonth + 2, day: daysInMonth(year, firstMonth + 2) }),
  };
}

export function yearPeriod(year: number): Period {
  assertInteger(year, 'Year');
  return { grain: 'YEAR', start: formatIsoDate({ year, month: 1, day: 1 }), end: formatIsoDate({ year, month: 12, day: 31 }) };
}

/** The period of the given grain that contains the date. */
export function periodContaining(date: string, grain: PeriodGrain): Period {
  const { year, month } = parseIsoDate(date);
  switch (grain) {
    case 'DAY':
      return { grain: 'DAY', start: date, end: date };
    case 'WEEK': {
      const start = addDays(date, 1 - isoWeekday(date));
      return { grain: 'WEEK', start, end: addDays(start, 6) };
    }
    case 'MONTH':
      return monthPeriod(year, month);
    case 'QUARTER':
      return quarterPeriod(year, Math.ceil(month / 3));
    case 'YEAR':
      return yearPeriod(year);
    default:
      throw new PeriodError(`Unknown period grain '${String(grain)}'`);
  }
}

/** From January 1 of the date's year to the date, included. */
export function yearToDate(date: string): Period {
  const { year } = parseIsoDate(date);
  return { grain: 'YTD', start: formatIsoDate({ year, month: 1, day: 1 }), end: date };
}

/** A free period; start <= end and at most MAX_CUSTOM_PERIOD_YEARS long (2020-01-01..2024-12-31 is the longest from 2020-01-01). */
export function customPeriod(start: string, end: string): Period {
  if (daysBetween(start, end) < 0) {
    throw new PeriodError(`A period cannot end (${end}) before it starts (${start})`);
  }
  if (end >= addMonths(start, MAX_CUSTOM_PERIOD_YEARS * 12)) {
    throw new PeriodError(`A custom period lasts at most ${MAX_CUSTOM_PERIOD_YEARS} years (${start} to ${end} is longer)`);
  }
  return { grain: 'CUSTOM', start, end };
}

/**
 * Checks that a period received from outside is well formed: valid dates, start <= end, and for a
 * calendar grain, exactly the period of that grain (a 'MONTH' from the 3rd to the 2nd is refused
 * rather than silently compared with the wrong previous period).
 */
export function assertValidPeriod(period: Period): void {
  const { grain, start, end } = period;
  switch (grain) {
    case 'CUSTOM':
      customPeriod(start, end);
      return;
    case 'YTD': {
      const expected = yearToDate(end);
      if (expected.start !== start) {
        throw new PeriodError(`A YTD period starts on ${expected.start}, not ${start}`);
      }
      return;
    }
    case 'DAY':
    case 'WEEK':
    case 'MONTH':
    case 'QUARTER':
    case 'YEAR': {
      const expected = periodContaining(start, grain);
      if (expected.start !== start || expected.end !== end) {
        throw new PeriodError(`${start}..${end} is not a ${grain} period (expected ${expected.start}..${expected.end})`);
      }
      return;
    }
    default:
      throw new PeriodError(`Unknown period grain '${String(grain)}'`);
  }
}

export function daysInPeriod(period: Period): number {
  return daysBetween(period.start, period.end) + 1;
}

export function eachDay(period: Period): string[] {
  const count = daysInPeriod(period);
  if (count < 1) {
    throw new PeriodError(`A period cannot end (${period.end}) before it starts (${period.start})`);
  }
  const days: string[] = [];
  for (let i = 0; i < count; i += 1) {
    days.push(addDays(period.start, i));
  }
  return days;
}

export function isDateInPeriod(date: string, period: Period): boolean {
  // ISO dates with four-digit years sort as strings in calendar order.
  return date >= period.start && date <= period.end;
}

/**
 * Share of the period elapsed on `today` (a local date), counting today as elapsed: the 10th of
 * a 31-day month gives 10/31. 1 once the period is over, 0 before it starts.
 */
export function elapsedFraction(period: Period, today: string): number {
  const total = daysInPeriod(period);
  const elapsed = daysBetween(period.start, today) + 1;
  if (elapsed <= 0) {
    return 0;
  }
  return elapsed >= total ? 1 : elapsed / total;
}

function assertInteger(value: number, label: string): void {
  if (!Number.isInteger(value)) {
    throw new PeriodError(`${label} must be an integer, not ${value}`);
  }
}
