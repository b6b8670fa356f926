import { addDays, addMonths, daysInMonth, localDate } from '@pilotage/kpi';

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

/** Where a due MONTHLY report stands against the readiness gate. */
export type MonthlyReadiness =
  | { readonly decision: 'GENERATE' }
  | { readonly decision: 'WAIT' }
  /** The cap date passed with data still missing: generate, with a warning naming the incomplete KPIs. */
  | { readonly decision: 'GENERATE_WITH_WARNING'; readonly incompleteKpis: readonly string[] };

export interface MonthlyReadinessInput {
  /** The month due (its first day), as dueMonthlyReport gives it once the settle days passed. */
  readonly month: string;
  /** The client's local date, `YYYY-MM-DD`. */
  readonly today: string;
  /** The plan's KPIs whose metrics do not cover every day of the month where data is expected (the analytics' `incomplete` flag). */
  readonly incompleteKpis: readonly string[];
  /** REPORT_READINESS_CAP_DAYS: days after the month's end past which the report is generated anyway. */
  readonly capDays: number;
}

/**
 * The readiness gate of a scheduled MONTHLY report, called once the settle days passed
 * (dueMonthlyReport): a month whose coverage is complete is generated at once; an incomplete
 * one waits for late data until `capDays` after the month's end (a connector down for a week
 * should not print holes as zeros), then is generated with a visible warning: a report days
 * late with a warning serves the client better than no report at all.
 */
export function monthlyReadiness(input: MonthlyReadinessInput): MonthlyReadiness {
  if (!Number.isInteger(input.capDays) || input.capDays < 0) throw new RangeError(`capDays must be a non-negative integer, got ${input.capDays}`);
  if (input.incompleteKpis.length === 0) return { decision: 'GENERATE' };
  // The cap day is the month's last day + capDays, i.e. day `capDays` of the next month counted from its 1st as day 1.
  const capDate = addDays(addMonths(input.month, 1), input.capDays - 1);
  if (input.today < capDate) return { decision: 'WAIT' };
  return { decision: 'GENERATE_WITH_WARNING', incompleteKpis: [...input.incompleteKpis].sort() };
}
