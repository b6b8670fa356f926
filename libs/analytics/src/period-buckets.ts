import { daysInPeriod, type Period } from '@pilotage/kpi';
import type { MetricAggregation } from '@pilotage/kpi';
import type { MetricBucket } from '@pilotage/database';

/** A metric over a period, with how much of the period its data covers. */
export interface PeriodMetric {
  readonly value: number | null;
  readonly daysWithData: number;
  readonly daysInPeriod: number;
  readonly coverage: number;
}

/**
 * Combines the buckets (months, weeks, …) that fall inside `period` into the period's value:
 * flows (SUM) add up, stocks (LAST) take the latest bucket's last value. No bucket means no
 * data: the value is null, never 0. Buckets must lie wholly inside or outside the period.
 */
export function combineBuckets(buckets: readonly MetricBucket[], aggregation: MetricAggregation, period: Period): PeriodMetric {
  const days = daysInPeriod(period);
  const inside = buckets.filter((bucket) => bucket.bucket >= period.start && bucket.bucket <= period.end);
  if (inside.length === 0) return { value: null, daysWithData: 0, daysInPeriod: days, coverage: 0 };
  let value: number;
  if (aggregation === 'SUM') {
    value = inside.reduce((sum, bucket) => sum + bucket.sum, 0);
  } else {
    const latest = inside.reduce((best, bucket) => (bucket.bucket > best.bucket ? bucket : best));
    value = latest.last;
  }
  const daysWithData = Math.min(
    days,
    inside.reduce((sum, bucket) => sum + bucket.coveredDays, 0),
  );
  return { value, daysWithData, daysInPeriod: days, coverage: daysWithData / days };
}
