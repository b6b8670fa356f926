import type { AlertRuleName } from './alert-sensitivity';
import type { AnomalyFinding } from './detect-anomaly';
import type { NoDataFinding } from './detect-no-data';
import type { StatusFinding } from './status-alert';

export type AlertFinding = StatusFinding | NoDataFinding | AnomalyFinding;

/**
 * The period an alert is about, which makes it one alert however often it is evaluated: STATUS
 * the month (YYYY-MM: one status alert per KPI and month), NO_DATA the first missing day (one
 * outage, however long it lasts), ANOMALY the day judged.
 */
export function alertPeriodKey(finding: AlertFinding): string {
  switch (finding.rule) {
    case 'STATUS':
      return finding.month;
    case 'NO_DATA':
      return finding.expectedFrom;
    case 'ANOMALY':
      return finding.date;
  }
}

/** `rule:kpiKey:periodKey`, unique per client (alerts.dedup_key). */
export function alertDedupKey(rule: AlertRuleName, kpiKey: string, periodKey: string): string {
  if (kpiKey.length === 0 || periodKey.length === 0) {
    throw new RangeError(`Alert dedup key: the KPI key and the period key must not be empty (rule ${rule}, KPI '${kpiKey}', period '${periodKey}')`);
  }
  return `${rule}:${kpiKey}:${periodKey}`;
}

/** The dedup key of a finding of a KPI. */
export function dedupKeyOf(finding: AlertFinding, kpiKey: string): string {
  return alertDedupKey(finding.rule, kpiKey, alertPeriodKey(finding));
}
