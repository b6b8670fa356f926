/** The rules an alert comes from (same names as the alerts table's `rule`). */
export const ALERT_RULE_NAMES = ['STATUS', 'NO_DATA', 'ANOMALY'] as const;
export type AlertRuleName = (typeof ALERT_RULE_NAMES)[number];

/** LOW: fewer alerts (wider anomaly bands, later no-data alerts); HIGH: more. */
export const SENSITIVITIES = ['LOW', 'NORMAL', 'HIGH'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

export type AlertSeverityLevel = 'WARNING' | 'CRITICAL';

/**
 * Modified z-score above which a day is an anomaly. NORMAL is Iglewicz & Hoaglin's 3.5 ("How to
 * Detect and Handle Outliers", ASQC Basic References in Quality Control vol. 16, 1993: label as
 * potential outliers the observations whose modified z-score exceeds 3.5 in absolute value).
 * LOW and HIGH widen and narrow that band.
 */
export const ANOMALY_SCORE_THRESHOLDS: Readonly<Record<Sensitivity, number>> = { LOW: 5, NORMAL: 3.5, HIGH: 2.5 };

/** Factor on the configured no-data delay: LOW waits twice as long, HIGH half as long. */
const NO_DATA_DAYS_FACTORS: Readonly<Record<Sensitivity, number>> = { LOW: 2, NORMAL: 1, HIGH: 0.5 };

export function anomalyScoreThreshold(sensitivity: Sensitivity): number {
  return ANOMALY_SCORE_THRESHOLDS[assertSensitivity(sensitivity)];
}

/**
 * Days without data before a NO_DATA alert, for the configured delay (ALERT_NO_DATA_DAYS) at a
 * sensitivity. HIGH halves it rounded down (it should alert sooner, not later), never below 1 day.
 */
export function noDataDaysFor(configuredDays: number, sensitivity: Sensitivity): number {
  if (!Number.isInteger(configuredDays) || configuredDays < 1) {
    throw new RangeError(`The no-data delay must be a whole number of days of at least 1, got ${configuredDays}`);
  }
  return Math.max(1, Math.floor(configuredDays * NO_DATA_DAYS_FACTORS[assertSensitivity(sensitivity)]));
}

function assertSensitivity(sensitivity: Sensitivity): Sensitivity {
  if (!SENSITIVITIES.includes(sensitivity)) {
    throw new RangeError(`Unknown alert sensitivity '${String(sensitivity)}': expected one of ${SENSITIVITIES.join(', ')}`);
  }
  return sensitivity;
}
