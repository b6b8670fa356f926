import type { KpiChange, KpiStatus, ReportKpi } from '../snapshot/report-snapshot';

export type Tone = 'good' | 'bad' | 'neutral';

/** CSS modifier of a status: on-track, at-risk, off-track, no-data, no-target. */
export const STATUS_TONES: Record<KpiStatus, string> = {
  ON_TRACK: 'on-track',
  AT_RISK: 'at-risk',
  OFF_TRACK: 'off-track',
  NO_DATA: 'no-data',
  NO_TARGET: 'no-target',
};

/**
 * Whether a change is good news, direction-aware (a falling cost per lead is good). Changes
 * smaller than what is printed (0.0 pt, 0.0 %) are neutral.
 */
export function changeTone(kpi: Pick<ReportKpi, 'direction'>, change: KpiChange | null): Tone {
  if (change === null) return 'neutral';
  const magnitude = change.kind === 'POINTS' ? (change.points ?? change.absolute * 100) : (change.percent ?? change.absolute);
  if (Math.abs(magnitude) < (change.kind === 'POINTS' ? 0.05 : 0.0005)) return 'neutral';
  return magnitude > 0 === (kpi.direction === 'HIGHER_IS_BETTER') ? 'good' : 'bad';
}
