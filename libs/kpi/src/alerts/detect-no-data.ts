import { addDays, daysBetween, isValidIsoDate } from '../periods';

/** Days before the last value over which the cadence is judged. */
export const NO_DATA_CADENCE_WINDOW_DAYS = 28;
/** Share of those days with values from which the KPI's data is daily, hence expected every day. */
export const NO_DATA_DAILY_COVERAGE = 0.8;

export interface NoDataFinding {
  readonly rule: 'NO_DATA';
  /** The last day with a value. */
  readonly lastDate: string;
  /** Complete days without a value since then (today excluded). */
  readonly missingDays: number;
  /** The first day that should have had a value: the day after lastDate. */
  readonly expectedFrom: string;
}

/**
 * Data stopped arriving for a KPI whose metrics come daily.
 *
 * Data is expected only when the KPI's metrics had values on at least 80 % of the 28 days before
 * the last value: a KPI fed weekly or monthly (a CSV each Monday, a CRM export each month) has
 * long gaps by nature and never alerts. Today is excluded: its values are never complete, a sync
 * at 9:00 has no value for the afternoon. The alert fires when at least `days` complete days
 * after the last value have none: "no data for N days".
 */
export function detectNoData(datesWithValues: Iterable<string>, today: string, days: number): NoDataFinding | null {
  if (!isValidIsoDate(today)) {
    throw new RangeError(`No-data detection: today '${String(today)}' is not a date in the form YYYY-MM-DD`);
  }
  if (!Number.isInteger(days) || days < 1) {
    throw new RangeError(`No-data detection: the delay must be a whole number of days of at least 1, got ${days}`);
  }
  const dates = new Set<string>();
  let lastDate: string | null = null;
  for (const date of datesWithValues) {
    if (!isValidIsoDate(date)) {
      throw new RangeError(`No-data detection: '${String(date)}' is not a date in the form YYYY-MM-DD`);
    }
    // Values dated after today (a platform's forecast, a clock ahead) say nothing about today's feed.
    if (date > today) continue;
    dates.add(date);
    if (lastDate === null || date > lastDate) lastDate = date;
  }
  if (lastDate === null) {
    return null;
  }
  let covered = 0;
  for (let back = 1; back <= NO_DATA_CADENCE_WINDOW_DAYS; back++) {
    if (dates.has(addDays(lastDate, -back))) covered++;
  }
  if (covered < NO_DATA_DAILY_COVERAGE * NO_DATA_CADENCE_WINDOW_DAYS) {
    return null;
  }
  // Complete days strictly between the last value and today.
  const missingDays = Math.max(0, daysBetween(lastDate, today) - 1);
  if (missingDays < days) {
    return null;
  }
  return { rule: 'NO_DATA', lastDate, missingDays, expectedFrom: addDays(lastDate, 1) };
}
