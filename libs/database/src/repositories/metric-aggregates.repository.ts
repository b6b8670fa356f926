import { Injectable } from '@nestjs/common';
import { coveredDaysSql, latestValueSql } from '../metric-aggregation-rules.sql';
import type { EntityManager } from 'typeorm';
import { addDays, type MetricBucket } from '@pilotage/kpi';

/** SQL grains of `date_trunc`; ISO weeks start on Monday as PostgreSQL's `week` does. */
export type SqlGrain = 'day' | 'week' | 'month' | 'quarter' | 'year';

interface BucketRow {
  metric_key: string;
  bucket: Date | string;
  sum_value: number;
  last_value: number;
  covered_days: number;
}

/** node-postgres returns `date` columns as local-midnight Dates; read the calendar day back. */
function toIsoDate(value: Date | string): string {
  if (typeof value === 'string') return value.slice(0, 10);
  const month = String(value.getMonth() + 1).padStart(2, '0');
  const day = String(value.getDate()).padStart(2, '0');
  return `${value.getFullYear()}-${month}-${day}`;
}

/** Whole months only: the roll-up can answer a range from the 1st of a month to the last day of a month. */
function coversWholeMonths(from: string, to: string): boolean {
  return from.endsWith('-01') && addDays(to, 1).endsWith('-01');
}

export interface MetricAggregateQuery {
  readonly agencyId: string;
  readonly clientId: string;
  readonly metricKeys: readonly string[];
  readonly from: string;
  readonly to: string;
  /** Bucket size; null aggregates the whole range into one bucket starting at `from`. */
  readonly grain: SqlGrain | null;
}

/*
 * The daily path: the rows of one client through the primary key (agency, client, metric,
 * date, …); the sources of a day are added first (sources are partitions of a figure — GA4
 * sessions and a CRM's leads never overlap on one metric, while per-channel sources add up to
 * the total), then each bucket is aggregated.
 */
const DAILY_SQL = `
WITH daily AS (
  SELECT metric_key, date, sum(value) AS value, max(granularity) AS granularity
    FROM metric_values
   WHERE agency_id = $1 AND client_id = $2 AND metric_key = ANY($3::text[])
     AND date BETWEEN $4::date AND $5::date
   GROUP BY metric_key, date
)
SELECT metric_key,
       CASE WHEN $6::text IS NULL THEN $4::date ELSE date_trunc($6::text, date)::date END AS bucket,
       sum(value)::float8 AS sum_value,
       ${latestValueSql('date', 'value')}::float8 AS last_value,
       ${coveredDaysSql('granularity', 'date')} AS covered_days
  FROM daily
 GROUP BY 1, 2`;

/*
 * The roll-up path: the same three aggregates, combined from the months of metric_monthly
 * (one row per metric and month instead of one per day): sums add up, the stock is the last
 * value of the latest month, covered days add up.
 */
const MONTHLY_SQL = `
SELECT metric_key,
       CASE WHEN $6::text IS NULL THEN $4::date ELSE date_trunc($6::text, month)::date END AS bucket,
       sum(sum_value)::float8 AS sum_value,
       ${latestValueSql('last_date', 'last_value')}::float8 AS last_value,
       sum(covered_days)::int AS covered_days
  FROM metric_monthly
 WHERE agency_id = $1 AND client_id = $2 AND metric_key = ANY($3::text[])
   AND month BETWEEN $4::date AND $5::date
 GROUP BY 1, 2`;

/**
 * The one place that aggregates metric values, in SQL. Ratios are never computed here: KPIs
 * divide the sums afterwards (ratio of sums, never a mean of ratios). Ranges of whole months
 * at month, quarter or year grain (scorecards, funnels, report series) read the monthly
 * roll-up that imports maintain; days, ISO weeks and partial months read the daily values.
 */
@Injectable()
export class MetricAggregatesRepository {
  async aggregate(manager: EntityManager, query: MetricAggregateQuery): Promise<MetricBucket[]> {
    if (query.metricKeys.length === 0) return [];
    const monthly = query.grain !== 'day' && query.grain !== 'week' && coversWholeMonths(query.from, query.to);
    if (!monthly) {
      // The day-level hash aggregate of a 25-metric × 2-year range (~17k rows) spills to disk
      // at the default 4 MB; 32 MB keeps it in memory, for this transaction only.
      await manager.query(`SET LOCAL work_mem = '32MB'`);
    }
    const rows = await manager.query<BucketRow[]>(monthly ? MONTHLY_SQL : DAILY_SQL, [
      query.agencyId,
      query.clientId,
      query.metricKeys,
      query.from,
      query.to,
      query.grain,
    ]);
    return rows.map((row) => ({
      metricKey: row.metric_key,
      bucket: toIsoDate(row.bucket),
      sum: row.sum_value,
      last: row.last_value,
      coveredDays: row.covered_days,
    }));
  }
}
