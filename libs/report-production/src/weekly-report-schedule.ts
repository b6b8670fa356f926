import { addDays, isoWeekday, localDate } from '@pilotage/kpi';

/** Longest weekly settle period: past it, a week's report would be due after the next week had ended. */
export const MAX_WEEKLY_SETTLE_HOURS = 6 * 24;

/**
 * The ISO week whose WEEKLY report is due for a client at `now`, as its Monday (YYYY-MM-DD), or
 * null while the week just ended has not settled yet.
 *
 * A week runs Monday to Sunday in the client's own time zone, not the server's. It is due once
 * `settleHours` hours have passed since it ended, that is since the first instant of the
 * following Monday in that time zone: Sunday's ad spend and sessions keep landing for a few
 * hours (Google Ads says most of its statistics are updated within three hours; late
 * conversions later). The hours are elapsed time, so a default of 9 is 09:00 local on Monday
 * whatever the season: clocks change on a Sunday night or earlier in the zones we serve, before
 * the count starts; a change inside the hours counted would move the local hour by one.
 *
 * It stays due for the rest of that week; the caller skips clients that already have a report
 * for that week, which is what makes the hourly tick idempotent (as for the monthly report).
 */
export function dueWeeklyReport(now: Date, timeZone: string, settleHours: number): string | null {
  if (!Number.isInteger(settleHours) || settleHours < 0 || settleHours > MAX_WEEKLY_SETTLE_HOURS) {
    throw new RangeError(`settleHours must be an integer from 0 to ${MAX_WEEKLY_SETTLE_HOURS}, got ${settleHours}`);
  }
  const today = localDate(now, timeZone);
  const monday = addDays(today, 1 - isoWeekday(today));
  // The local date `settleHours` earlier: once it has reached this week's Monday, last week has
  // settled. Shifting the instant (not the wall clock) keeps clock changes out of the rule.
  const settled = localDate(new Date(now.getTime() - settleHours * 3_600_000), timeZone);
  if (settled < monday) return null;
  return addDays(monday, -7);
}

/** The last complete ISO week for a client at `now` (its Monday), whatever the settle period. */
export function lastCompleteWeek(now: Date, timeZone: string): string {
  const today = localDate(now, timeZone);
  return addDays(today, 1 - isoWeekday(today) - 7);
}
