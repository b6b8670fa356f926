import type { KpiUnit } from '../domain';
import { roundToSignificantDigits } from './exact-sum';

/**
 * The change from a previous value to the current one. `kind` says which figure a report shows:
 * POINTS for PERCENT-unit KPIs (a conversion rate from 2.0 % to 2.5 % is "+0.5 pt", not "+25 %")
 * and for SCORE-unit KPIs (NPS, ratings, indexes: an NPS from 37.0 to 41.9 is "+4.9 pts", not
 * "+13.1 %": a percent of a score on an arbitrary scale means nothing, and NPS crosses zero),
 * PERCENT for everything else.
 */
export interface Change {
  /** current - previous, in the KPI's unit. */
  readonly absolute: number;
  /** (current - previous) / |previous| as a fraction (0.25 = +25 %), like every rate of the domain; null when previous is 0. Given for every unit. */
  readonly percent: number | null;
  /**
   * In points: (current - previous) × 100 for PERCENT-unit KPIs (values are fractions), the plain
   * difference for SCORE-unit KPIs (NPS, ratings); otherwise null.
   */
  readonly points: number | null;
  readonly kind: 'POINTS' | 'PERCENT';
}

// Changes are shown with at most a few decimals; 12 significant digits drops the binary noise of
// a subtraction (0.125 - 0.1 = 0.025000000000000008) so equal changes compare equal.
const CHANGE_SIGNIFICANT_DIGITS = 12;

export function compareValues(current: number | null, previous: number | null, unit: KpiUnit): Change | null {
  if (current === null || previous === null || !Number.isFinite(current) || !Number.isFinite(previous)) {
    return null;
  }
  const difference = current - previous;
  const percent = previous === 0 ? null : clean(difference / Math.abs(previous));
  if (unit === 'PERCENT') {
    return { absolute: clean(difference), percent, points: clean(difference * 100), kind: 'POINTS' };
  }
  if (unit === 'SCORE') {
    return { absolute: clean(difference), percent, points: clean(difference), kind: 'POINTS' };
  }
  return { absolute: clean(difference), percent, points: null, kind: 'PERCENT' };
}

function clean(value: number): number {
  return roundToSignificantDigits(value, CHANGE_SIGNIFICANT_DIGITS);
}
