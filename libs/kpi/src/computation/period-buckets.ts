import type { MetricAggregation } from '../domain';
import { daysInPeriod, type Period } from '../periods';
import { sumExactly } from './exact-sum';

/**
 * One metric aggregated over one bucket of dates (a day, an ISO week, a month…), as the
 * metric-aggregates repository reads it from SQL; the sources of a date are already added up.
 */
export interface MetricBucket {
  readonly metricKey: string;
  /** First date of the bucket (YYYY-MM-DD); the range start when the range is one bucket. */
  readonly bucket: string;
  /** Sum of the values in the bucket (flows). */
  readonly sum: number;
  /** Value at the latest date with data in the bucket (stocks), summed across sources. */
  readonly last: number;
  /** Days the values cover: a daily value covers 1, a weekly 7, a monthly the month's days. */
  readonly coveredDays: number;
}

/** A metric over a period, with how much of the period its data covers. */
export interface PeriodMetric {
  /** null when no bucket of the period holds data: missing is not zero. */
  readonly value: number | null;
  readonly daysWithData: number;
  readonly daysInPeriod: number;
  /** daysWithData / daysInPeriod, from 0 to 1. */
  readonly coverage: number;
}

/**
 * Combines the buckets (days, weeks, months…) that fall inside `period` into the period's value:
 * flows (SUM) add up, stocks (LAST) take the latest bucket's last value. No bucket means no
 * data: the value is null, never 0; a measured 0 stays a value. Buckets must lie wholly inside
 * or outside the period.
 *
 * Sums are exact decimal sums (see sumExactly): a month of 0.10 € days is 3.10 €, not
 * 3.1000000000000005 €, and the same figure whichever order or grain the buckets come in.
 * Two buckets on the same date are two sources of the metric: their values add up, for stocks
 * too (subscribers of two lists), and the date's days count once.
 */
export function combineBuckets(buckets: readonly MetricBucket[], aggregation: MetricAggregation, period: Period): PeriodMetric {
  const days = daysInPeriod(period);
  // One pass, no intermediate arrays: a weekly scorecard combines a year of day buckets per
  // metric and period. Two buckets of one date (not produced by the SQL, which groups by date)
  // add up their values and count their date's days once.
  const values: number[] = [];
  const coveredDaysByDate = new Map<string, number>();
  let latest: string | null = null;
  for (const bucket of buckets) {
    if (bucket.bucket < period.start || bucket.bucket > period.end) continue;
    coveredDaysByDate.set(bucket.bucket, Math.max(coveredDaysByDate.get(bucket.bucket) ?? 0, bucket.coveredDays));
    if (aggregation === 'SUM') {
      values.push(bucket.sum);
    } else if (latest === null || bucket.bucket > latest) {
      latest = bucket.bucket;
      values.length = 0;
      values.push(bucket.last);
    } else if (bucket.bucket === latest) {
      values.push(bucket.last);
    }
  }
  if (coveredDaysByDate.size === 0) return { value: null, daysWithData: 0, daysInPeriod: days, coverage: 0 };
  const value = sumExactly(values);
  let covered = 0;
  for (const dayCount of coveredDaysByDate.values()) covered += dayCount;
  const daysWithData = Math.min(days, covered);
  return { value, daysWithData, daysInPeriod: days, coverage: daysWithData / days };
}
