import { addMonths, daysInMonth, localDate } from '@pilotage/kpi';

/**
 * The month whose MONTHLY report is due for a client at `now`, as its first day (YYYY-MM-DD),
 * or null when the previous month has not settled yet.
 *
 * The previous month is due once the client's local date (its own time zone, not the
 * server's) reaches day `1 + settleDays` of the current month: late conversions, refunds and
 * ad-platform corrections keep landing for a few days after a month ends. When the settle
 * period is longer than the current month (30 days in February), the report is due on the
 * month's last day rather than never.
 *
 * It stays due for the rest of the month; the caller skips clients that already have a report
 * for that month, which is what makes the hourly tick idempotent.
 */
export function dueMonthlyReport(now: Date, timeZone: string, settleDays: number): string | null {
  if (!Number.isInteger(settleDays) || settleDays < 0) throw new RangeError(`settleDays must be a non-negative integer, got ${settleDays}`);
  const today = localDate(now, timeZone);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const day = Number(today.slice(8, 10));
  const dueDay = Math.min(1 + settleDays, daysInMonth(year, month));
  if (day < dueDay) return null;
  return addMonths(`${today.slice(0, 7)}-01`, -1);
}

/** The last complete month for a client at `now` (its first day), whatever the settle period. */
export function lastCompleteMonth(now: Date, timeZone: string): string {
  return addMonths(`${localDate(now, timeZone).slice(0, 7)}-01`, -1);
}
