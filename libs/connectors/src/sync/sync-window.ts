import type { SyncRunKind } from '@pilotage/database';
import { addDays, addMonths, daysBetween } from '@pilotage/kpi';
import type { DataProviderConnector, DayRange } from '../provider.types';

/**
 * The days a run covers, `today` being the client's local date: a BACKFILL from the first day
 * of the month `backfillMonths` before this one up to yesterday (today is never complete); a
 * DAILY or MANUAL run re-pulls yesterday and the provider's lookback days before it, which
 * the platform may have restated.
 */
export function syncWindow(kind: SyncRunKind, today: string, provider: Pick<DataProviderConnector, 'lookbackDays'>, backfillMonths: number): DayRange {
  const yesterday = addDays(today, -1);
  if (kind === 'BACKFILL') return { from: addMonths(`${today.slice(0, 7)}-01`, -backfillMonths), to: yesterday };
  return { from: addDays(yesterday, -provider.lookbackDays), to: yesterday };
}

/** The window cut into pulls of at most `chunkDays` days, oldest first. */
export function syncChunks(window: DayRange, chunkDays: number): DayRange[] {
  const chunks: DayRange[] = [];
  for (let from = window.from; daysBetween(from, window.to) >= 0; from = addDays(from, chunkDays)) {
    const to = addDays(from, chunkDays - 1);
    chunks.push({ from, to: daysBetween(to, window.to) >= 0 ? to : window.to });
  }
  return chunks;
}
