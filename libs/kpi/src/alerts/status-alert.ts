import type { TargetStatus } from '../computation';
import type { AlertSeverityLevel } from './alert-sensitivity';

/** What statusAlertOf needs of a TargetAssessment (assessAgainstTarget) and of its input. */
export interface StatusAlertInput {
  readonly status: TargetStatus;
  readonly value: number | null;
  readonly target: number | null;
  /** The target paced to date for a FLOW (TargetAssessment.expected), the target for a LEVEL. */
  readonly expected: number | null;
  readonly attainment: number | null;
  /** Share of the month elapsed, 0..1: below 1 the message speaks of the target "to date". */
  readonly elapsedFraction: number;
  /** The month judged, YYYY-MM. */
  readonly month: string;
}

export interface StatusFinding {
  readonly rule: 'STATUS';
  readonly status: 'AT_RISK' | 'OFF_TRACK';
  readonly severity: AlertSeverityLevel;
  readonly month: string;
  readonly value: number;
  readonly target: number;
  readonly expected: number;
  /** Null when the expected value is 0 (assessAgainstTarget judges only the side of 0). */
  readonly attainment: number | null;
  readonly elapsedFraction: number;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * The STATUS alert of a KPI's month, or null when it is on track, has no data or no target:
 * missing data never makes a KPI off track (NO_DATA is its own rule). OFF_TRACK is CRITICAL,
 * AT_RISK (within 10 % of the paced target) a WARNING.
 */
export function statusAlertOf(input: StatusAlertInput): StatusFinding | null {
  if (!MONTH.test(input.month)) {
    throw new RangeError(`Status alert: month '${String(input.month)}' is not in the form YYYY-MM`);
  }
  if (input.status !== 'AT_RISK' && input.status !== 'OFF_TRACK') {
    return null;
  }
  const { value, target, expected } = input;
  if (value === null || target === null || expected === null) {
    throw new RangeError(`Status alert: a ${input.status} assessment of ${input.month} must have a value, a target and an expected value`);
  }
  return {
    rule: 'STATUS',
    status: input.status,
    severity: input.status === 'OFF_TRACK' ? 'CRITICAL' : 'WARNING',
    month: input.month,
    value,
    target,
    expected,
    attainment: input.attainment,
    elapsedFraction: input.elapsedFraction,
  };
}
