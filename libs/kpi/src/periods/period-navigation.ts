import { addDays, addMonths, daysBetween, parseIsoDate } from './iso-date';
import {
  assertValidPeriod,
  daysInPeriod,
  isoWeekOf,
  isoWeekPeriod,
  isoWeeksInYear,
  periodContaining,
  yearToDate,
  type Period,
  type PeriodGrain,
} from './period';
import { PeriodError } from './period-error';

/** Most periods a series may hold: ten years of days, enough for every chart a report draws. */
export const MAX_SERIES_PERIODS = 3660;

/**
 * The period just before: the previous day, ISO week, month, quarter or year; for a CUSTOM period
 * the same number of days ending the day before it starts. A YTD has no preceding period of its
 * own kind, so its comparable is last year's YTD (see yearToDateLastYear).
 */
export function previousPeriod(period: Period): Period {
  assertValidPeriod(period);
  switch (period.grain) {
    case 'CUSTOM': {
      const end = addDays(period.start, -1);
      return { grain: 'CUSTOM', start: addDays(end, 1 - daysInPeriod(period)), end };
    }
    case 'YTD':
      return yearToDateLastYear(period);
    default:
      return periodContaining(addDays(period.start, -1), period.grain);
  }
}

/**
 * The same period one year earlier. A day or a custom period moves each end back twelve months
 * (Feb 29 becomes Feb 28); a month, quarter or year is the same one of the previous year; an ISO
 * week is the same week number of the previous ISO year, or its week 52 when that year has no 53rd.
 */
export function samePeriodLastYear(period: Period): Period {
  assertValidPeriod(period);
  switch (period.grain) {
    case 'DAY': {
      const day = addMonths(period.start, -12);
      return { grain: 'DAY', start: day, end: day };
    }
    case 'WEEK': {
      const { isoYear, week } = isoWeekOf(period.start);
      return isoWeekPeriod(isoYear - 1, Math.min(week, isoWeeksInYear(isoYear - 1)));
    }
    case 'MONTH':
    case 'QUARTER':
    case 'YEAR':
      return periodContaining(addMonths(period.start, -12), period.grain);
    case 'YTD':
      return yearToDateLastYear(period);
    case 'CUSTOM':
      return { grain: 'CUSTOM', start: addMonths(period.start, -12), end: addMonths(period.end, -12) };
  }
}

/**
 * Last year's year-to-date up to the same calendar day as `period.end` (Feb 29 becomes Feb 28),
 * to compare a YTD with the same stretch of the previous year. Accepts any valid period and uses
 * its end, so "YTD to the end of this month, last year" is `yearToDateLastYear(monthPeriod(...))`.
 */
export function yearToDateLastYear(period: Period): Period {
  assertValidPeriod(period);
  return yearToDate(addMonths(period.end, -12));
}

/**
 * The whole periods of a grain from the one containing `from` to the one containing `to`, in
 * order, for a chart's series. The first and last periods are not clipped to `from` and `to`.
 */
export function periodsBetween(from: string, to: string, grain: PeriodGrain): Period[] {
  if (daysBetween(from, to) < 0) {
    throw new PeriodError(`A series cannot end (${to}) before it starts (${from})`);
  }
  const periods: Period[] = [];
  let current = periodContaining(from, grain);
  for (;;) {
    periods.push(current);
    if (current.end >= to) {
      return periods;
    }
    if (periods.length >= MAX_SERIES_PERIODS) {
      throw new PeriodError(`A series holds at most ${MAX_SERIES_PERIODS} periods`);
    }
    current = periodContaining(addDays(current.end, 1), grain);
  }
}

/**
 * How many periods `periodsBetween(from, to, grain)` holds, counted without building them (or
 * walking them): the API weighs a series before running it, and a hostile span must cost
 * nothing to measure. 0 when `to` is before `from`.
 */
export function countPeriodsBetween(from: string, to: string, grain: PeriodGrain): number {
  if (daysBetween(from, to) < 0) return 0;
  const first = periodContaining(from, grain);
  const last = periodContaining(to, grain);
  const start = parseIsoDate(first.start);
  const end = parseIsoDate(last.start);
  switch (grain) {
    case 'DAY':
      return daysBetween(first.start, last.start) + 1;
    case 'WEEK':
      return daysBetween(first.start, last.start) / 7 + 1;
    case 'MONTH':
      return (end.year - start.year) * 12 + (end.month - start.month) + 1;
    case 'QUARTER':
      return ((end.year - start.year) * 12 + (end.month - start.month)) / 3 + 1;
    case 'YEAR':
      return end.year - start.year + 1;
  }
}
