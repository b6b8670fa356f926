import type { KpiDirection, KpiUnit } from '../domain';
import type { TargetKind } from '../targets/target-kind';
import { compareValues } from './compare-values';
import { roundToSignificantDigits } from './exact-sum';

/** Attainment from which a KPI is on track: the (paced) target is reached. */
export const ON_TRACK_ATTAINMENT = 1;
/** Attainment from which a KPI below target is only at risk: within 10 % of it, still catchable. */
export const AT_RISK_ATTAINMENT = 0.9;
/**
 * Attainment is rounded to 12 significant digits before it meets the thresholds: 0.018 / 0.02 is
 * 0.8999999999999999 in binary, and a KPI exactly 10 % short must be AT_RISK, not OFF_TRACK.
 */
const ATTAINMENT_SIGNIFICANT_DIGITS = 12;

export type TargetStatus = 'ON_TRACK' | 'AT_RISK' | 'OFF_TRACK' | 'NO_DATA' | 'NO_TARGET';

/**
 * Stable keys a report localizes. *_TARGET for a level or a finished period, *_PACE for a flow
 * inside its period (compared with the pro-rata target). They do not say "above" or "below":
 * for a LOWER_IS_BETTER KPI (cost per lead), reaching the target means being under it.
 */
export const TARGET_EXPLANATION_CODES = [
  'ON_TARGET',
  'NEAR_TARGET',
  'OFF_TARGET',
  'ON_PACE',
  'NEAR_PACE',
  'BEHIND_PACE',
  'NOT_STARTED',
  'NO_DATA',
  'NO_TARGET',
] as const;
export type TargetExplanationCode = (typeof TARGET_EXPLANATION_CODES)[number];

export interface TargetAssessmentInput {
  readonly value: number | null;
  readonly target: number | null;
  readonly direction: KpiDirection;
  /** Decides how the gap is told: in points for PERCENT KPIs, in percent otherwise. */
  readonly unit: KpiUnit;
  readonly aggregation: TargetKind;
  /** Share of the period elapsed, 0..1 (see periods/elapsedFraction); 1 for a finished period. */
  readonly elapsedFraction: number;
  /**
   * Share of the period's days with data, 0..1 (1 when omitted). A FLOW with missing days is
   * held to its target prorated to the days it covers, and flagged incomplete: 98 % of a month's
   * sessions target with 2 of 30 days missing is ahead (98 / 93.3), not at risk.
   */
  readonly coveredFraction?: number;
}

export interface TargetAssessment {
  /** How much of the expected value is reached, direction-aware: 1 = exactly on target. */
  readonly attainment: number | null;
  readonly status: TargetStatus;
  /** The target, pro-rated for a FLOW by the elapsed fraction, or by the covered fraction when days are missing. */
  readonly expected: number | null;
  /**
   * A FLOW covers fewer days than have elapsed: its value lacks days, it was judged against the
   * target prorated to its covered days, and a report says so.
   */
  readonly incomplete: boolean;
  readonly explanation: {
    readonly code: TargetExplanationCode;
    /**
     * Numbers for the sentence: value, target, expected, attainment, elapsedFraction when known;
     * gapPoints (PERCENT KPIs) or gapPercent (others): value minus expected, in points or percent.
     */
    readonly params: Record<string, number>;
  };
}

/**
 * Assesses a KPI's value against its target.
 *
 * FLOW KPIs (counts, money sums) are paced linearly inside the current period: on the 10th of a
 * 31-day month, 10/31 of the monthly target is expected. LEVEL KPIs (rates, ratios, stocks) are
 * compared with the target directly: a conversion rate does not grow with the days.
 *
 * Attainment is value / expected when higher is better and expected / value when lower is better
 * (value 0 with lower-better is fully attained: attainment 1). Those ratios only mean something on
 * a positive scale; when the expected value or the value is negative (an NPS target of -10), the
 * attainment is 1 + signed gap / |expected|, which agrees with the ratio for higher-is-better and
 * keeps the same order. Thresholds: ON_TRACK_ATTAINMENT and AT_RISK_ATTAINMENT.
 */
export function assessAgainstTarget(input: TargetAssessmentInput): TargetAssessment {
  const { value, target, direction, unit, aggregation, elapsedFraction } = input;
  if (!Number.isFinite(elapsedFraction) || elapsedFraction < 0 || elapsedFraction > 1) {
    throw new RangeError(`elapsedFraction must be between 0 and 1, got ${elapsedFraction}`);
  }
  const coveredFraction = input.coveredFraction ?? 1;
  if (!Number.isFinite(coveredFraction) || coveredFraction < 0 || coveredFraction > 1) {
    throw new RangeError(`coveredFraction must be between 0 and 1, got ${coveredFraction}`);
  }
  // Days with data beyond today do not exist; fewer than the elapsed days means some are missing.
  const incomplete = aggregation === 'FLOW' && value !== null && coveredFraction > 0 && coveredFraction < elapsedFraction;
  const params: Record<string, number> = { elapsedFraction };
  if (incomplete) params['coveredFraction'] = coveredFraction;
  if (value !== null && Number.isFinite(value)) {
    params['value'] = value;
  }
  if (target === null || !Number.isFinite(target)) {
    return { attainment: null, status: 'NO_TARGET', expected: null, incomplete, explanation: { code: 'NO_TARGET', params } };
  }
  params['target'] = target;

  const fraction = incomplete ? coveredFraction : elapsedFraction;
  const paced = aggregation === 'FLOW' && fraction < 1;
  const expected = aggregation === 'FLOW' ? target * fraction : target;
  params['expected'] = expected;

  if (aggregation === 'FLOW' && elapsedFraction === 0) {
    // Nothing is expected yet from a period that has not started.
    return { attainment: null, status: 'NO_DATA', expected, incomplete, explanation: { code: 'NOT_STARTED', params } };
  }
  if (value === null || !Number.isFinite(value)) {
    return { attainment: null, status: 'NO_DATA', expected, incomplete, explanation: { code: 'NO_DATA', params } };
  }

  const gap = compareValues(value, expected, unit);
  if (gap !== null && gap.points !== null) {
    params['gapPoints'] = gap.points;
  } else if (gap !== null && gap.percent !== null) {
    // Explanations word the gap in percent (5 = 5 % above the expected value).
    params['gapPercent'] = gap.percent * 100;
  }

  const attainment = computeAttainment(value, expected, direction);
  let status: TargetStatus;
  if (attainment === null) {
    // Expected is 0: only the side of 0 the value is on can be judged.
    const met = direction === 'HIGHER_IS_BETTER' ? value >= 0 : value <= 0;
    status = met ? 'ON_TRACK' : 'OFF_TRACK';
  } else {
    params['attainment'] = attainment;
    status = statusOf(attainment);
  }
  return { attainment, status, expected, incomplete, explanation: { code: codeOf(status, paced), params } };
}

function computeAttainment(value: number, expected: number, direction: KpiDirection): number | null {
  if (expected > 0 && value >= 0) {
    if (direction === 'HIGHER_IS_BETTER') {
      return clean(value / expected);
    }
    return value === 0 ? 1 : clean(expected / value);
  }
  if (expected === 0) {
    return null;
  }
  const gap = direction === 'HIGHER_IS_BETTER' ? value - expected : expected - value;
  return clean(1 + gap / Math.abs(expected));
}

function clean(attainment: number): number {
  return roundToSignificantDigits(attainment, ATTAINMENT_SIGNIFICANT_DIGITS);
}

/**
 * Reports print attainment as a whole percent; the status is judged on that printed figure, so
 * that "100 %" never stands beside "at risk" (99.6 % rounds to 100 % and is on track) and "89 %"
 * never beside "at risk". Rounded half away from zero, as Intl prints it.
 */
export const ATTAINMENT_PRINTED_DECIMALS = 2;

function statusOf(attainment: number): TargetStatus {
  const scale = 10 ** ATTAINMENT_PRINTED_DECIMALS;
  const printed = (Math.sign(attainment) * Math.round(Math.abs(attainment) * scale + Number.EPSILON)) / scale;
  if (printed >= ON_TRACK_ATTAINMENT) {
    return 'ON_TRACK';
  }
  return printed >= AT_RISK_ATTAINMENT ? 'AT_RISK' : 'OFF_TRACK';
}

function codeOf(status: TargetStatus, paced: boolean): TargetExplanationCode {
  switch (status) {
    case 'ON_TRACK':
      return paced ? 'ON_PACE' : 'ON_TARGET';
    case 'AT_RISK':
      return paced ? 'NEAR_PACE' : 'NEAR_TARGET';
    case 'OFF_TRACK':
      return paced ? 'BEHIND_PACE' : 'OFF_TARGET';
    case 'NO_DATA':
    case 'NO_TARGET':
      return status;
  }
}
