import { createHash } from 'node:crypto';
import { addDays, daysBetween } from '@pilotage/kpi';

/**
 * A deterministic whole number in [min, max] from a seed (account, date, dimension values):
 * a fake serves the same figures for any range, on every run, without stored fixtures.
 */
export function seededInt(seed: string, min: number, max: number): number {
  const word = createHash('sha256').update(seed).digest().readUInt32BE(0);
  return min + (word % (max - min + 1));
}

/** Every day from `from` to `to` inclusive (`YYYY-MM-DD`); none when `to` is before `from`. */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; daysBetween(day, to) >= 0; day = addDays(day, 1)) days.push(day);
  return days;
}

/** Restatements a test asked for, applied to the rows of later pulls: a day's figures changed or removed. */
export class Restatements<Row> {
  private readonly changes = new Map<string, ((row: Row) => Row | null)[]>();

  add(account: string, date: string, change: (row: Row) => Row | null): void {
    const key = `${account}|${date}`;
    this.changes.set(key, [...(this.changes.get(key) ?? []), change]);
  }

  apply(account: string, date: string, rows: readonly Row[]): Row[] {
    const changes = this.changes.get(`${account}|${date}`) ?? [];
    return rows.flatMap((row) => {
      let current: Row | null = row;
      for (const change of changes) current = current === null ? null : change(current);
      return current === null ? [] : [current];
    });
  }
}

export const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
