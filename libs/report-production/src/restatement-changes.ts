import type { KpiUnit } from '@pilotage/kpi';
import type { KpiStatus } from '@pilotage/reporting';

/** A KPI figure as a report froze it or as current values give it. */
export interface KpiFigure {
  readonly key: string;
  readonly unit: KpiUnit;
  readonly value: number | null;
  readonly status: KpiStatus;
}

export interface RestatementThresholds {
  /** Relative change of a volume KPI past which it is recorded (0.02: 2 %). */
  readonly volumeRatio: number;
  /** Change of a rate KPI past which it is recorded, in points (0.5: half a point). */
  readonly ratePoints: number;
}

/** A frozen KPI figure that current values changed beyond its threshold, or whose status flipped. */
export interface RestatementChange {
  readonly kpiKey: string;
  readonly oldValue: number | null;
  readonly newValue: number | null;
  readonly oldStatus: KpiStatus;
  readonly newStatus: KpiStatus;
}

/** The statuses that judge a KPI: a flip between two of them is always recorded. */
const JUDGED_STATUSES: ReadonlySet<string> = new Set(['ON_TRACK', 'AT_RISK', 'OFF_TRACK']);

/**
 * Rates (PERCENT, SCORE) move in points: 12.0 % → 12.4 % is 0.4 point whatever the base, while a
 * relative threshold would flag every wobble of a small rate. PERCENT values are fractions
 * (0.125 = 12.5 %, see KPI_UNITS), so their points are the difference × 100; a SCORE is already
 * in points. Volumes (COUNT, CURRENCY, DURATION) and RATIO (a ROAS of 4.0 vs 4.1) move relatively.
 */
function beyondThreshold(unit: KpiUnit, oldValue: number, newValue: number, thresholds: RestatementThresholds): boolean {
  if (unit === 'PERCENT') return Math.abs(newValue - oldValue) * 100 > thresholds.ratePoints + 1e-9;
  if (unit === 'SCORE') return Math.abs(newValue - oldValue) > thresholds.ratePoints + 1e-9;
  // A volume that appears or vanishes (0 → 120 orders) changed by 100 %.
  if (oldValue === 0) return newValue !== 0;
  return Math.abs(newValue - oldValue) / Math.abs(oldValue) > thresholds.volumeRatio + 1e-12;
}

/**
 * The KPIs of a frozen report that current figures restate: a value beyond the threshold, a value
 * that appeared or vanished, or a status flip between ON_TRACK, AT_RISK and OFF_TRACK. KPIs that
 * left the plan since the report was made are not restatements of its figures and are skipped.
 */
export function restatementChanges(frozen: readonly KpiFigure[], current: readonly KpiFigure[], thresholds: RestatementThresholds): RestatementChange[] {
  const currentByKey = new Map(current.map((figure) => [figure.key, figure]));
  const changes: RestatementChange[] = [];
  for (const before of frozen) {
    const after = currentByKey.get(before.key);
    if (after === undefined) continue;
    const statusFlipped = before.status !== after.status && JUDGED_STATUSES.has(before.status) && JUDGED_STATUSES.has(after.status);
    const valueChanged =
      before.value === null || after.value === null ? before.value !== after.value : beyondThreshold(before.unit, before.value, after.value, thresholds);
    if (statusFlipped || valueChanged) {
      changes.push({ kpiKey: before.key, oldValue: before.value, newValue: after.value, oldStatus: before.status, newStatus: after.status });
    }
  }
  return changes;
}
