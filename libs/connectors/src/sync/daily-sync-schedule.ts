import { addDays, daysBetween, localDate } from '@pilotage/kpi';
import type { DataProviderConnector, DayRange } from '../provider.types';
import { syncWindow } from './sync-window';

// Creating an Intl.DateTimeFormat costs tens of µs; the hourly tick meets few zones many times.
const hourFormatters = new Map<string, Intl.DateTimeFormat>();

/** The hour (0–23) a wall clock in `timeZone` shows at `instant`. */
export function localHour(instant: Date, timeZone: string): number {
  let formatter = hourFormatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23', numberingSystem: 'latn' });
    if (hourFormatters.size < 1_000) hourFormatters.set(timeZone, formatter);
  }
  const hour = formatter.formatToParts(instant).find((part) => part.type === 'hour');
  return Number(hour?.value ?? '0');
}

/** What the schedule knows of a connection to decide its daily sync. */
export interface DailySyncCandidate {
  /** Last day pulled; null: nothing pulled yet. */
  readonly dataThrough: string | null;
  /** First day of the connection's history; null: no backfill recorded. */
  readonly backfillFrom: string | null;
  /** The client's time zone: "yesterday" and the hour are the client's. */
  readonly timeZone: string;
}

/**
 * The window of a connection's daily sync at `now`, or null when none is due: due once the
 * client's local hour reaches `dailySyncHour` (the platforms finish most of yesterday's figures
 * overnight) and until the connection's figures reach yesterday, so that the hourly tick queues it
 * once a day (and again, hour after hour, while it fails). The window is the provider's
 * lookback ({@link syncWindow} DAILY), reaching further back to the day after `dataThrough` when
 * the connection fell behind (an outage of several days is caught up in the same run), never
 * before the start of its history.
 */
export function dueDailySync(
  now: Date,
  connection: DailySyncCandidate,
  provider: Pick<DataProviderConnector, 'lookbackDays'>,
  dailySyncHour: number,
): DayRange | null {
  if (localHour(now, connection.timeZone) < dailySyncHour) return null;
  const today = localDate(now, connection.timeZone);
  const window = syncWindow('DAILY', today, provider, 0);
  if (connection.dataThrough !== null && daysBetween(window.to, connection.dataThrough) >= 0) return null;
  let from = window.from;
  if (connection.dataThrough !== null && daysBetween(addDays(connection.dataThrough, 1), from) > 0) from = addDays(connection.dataThrough, 1);
  if (connection.backfillFrom !== null && daysBetween(from, connection.backfillFrom) > 0) from = connection.backfillFrom;
  // A backfill that starts after yesterday (a connection made today) leaves nothing to pull.
  if (daysBetween(from, window.to) < 0) return null;
  return { from, to: window.to };
}
