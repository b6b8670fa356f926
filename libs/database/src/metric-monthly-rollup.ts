import { coveredDaysSql, latestValueSql } from './metric-aggregation-rules.sql';

/**
 * The SQL that (re)builds `metric_monthly` rows from `metric_values`, shared by the migration's
 * backfill, the import path (only the months an import touched) and the benchmarks (which
 * load values with COPY). `source` is a FROM clause exposing `metric_values` as `v`.
 *
 * The sources of one day are added first (they partition a figure; per-channel sources add up
 * to the total), then the month: flows are summed, the stock is the value at the latest dated
 * day — max() of [day number, value] pairs compares the day first, a hash aggregate where
 * array_agg(... ORDER BY) would sort every group — and coverage counts 1 day per daily value,
 * 7 per weekly, the month's length per monthly one, exactly as the daily aggregate does.
 */
export function metricMonthlyRollupSql(source: string): string {
  return `
INSERT INTO metric_monthly AS rollup (agency_id, client_id, metric_key, month, sum_value, last_date, last_value, covered_days)
SELECT agency_id, client_id, metric_key, month,
       sum(value),
       max(date),
       ${latestValueSql('date', 'value')},
       ${coveredDaysSql('granularity', 'date')}
  FROM (
    SELECT v.agency_id, v.client_id, v.metric_key, v.date, date_trunc('month', v.date)::date AS month,
           sum(v.value) AS value, max(v.granularity) AS granularity
      FROM ${source}
     GROUP BY v.agency_id, v.client_id, v.metric_key, v.date
  ) AS daily
 GROUP BY agency_id, client_id, metric_key, month
ON CONFLICT (agency_id, client_id, metric_key, month) DO UPDATE
   SET sum_value = EXCLUDED.sum_value,
       last_date = EXCLUDED.last_date,
       last_value = EXCLUDED.last_value,
       covered_days = EXCLUDED.covered_days`;
}

/**
 * Rebuilds the months listed in `$3` (metric keys) and `$4` (first days of months) of client
 * `$2` of agency `$1`. Months are never emptied by an import (values are replaced, not
 * deleted), so an upsert is enough.
 *
 * The month equality repeats the date range on purpose: within the import's transaction the
 * table's statistics predate the rows just written, and the planner may hash-join the values
 * with the touched months; with the metric alone as hash key, every value met every month of
 * its metric (a million-row import: 25 s instead of 2). The range serves the index path.
 */
export const METRIC_MONTHLY_REFRESH_SQL = metricMonthlyRollupSql(`
  unnest($3::text[], $4::date[]) AS touched(metric_key, month)
  JOIN metric_values AS v
    ON v.agency_id = $1 AND v.client_id = $2 AND v.metric_key = touched.metric_key
   AND v.date >= touched.month AND v.date < (touched.month + interval '1 month')::date
   AND date_trunc('month', v.date)::date = touched.month`);

/** Rebuilds every row (after a bulk load that bypassed the import path). */
export const METRIC_MONTHLY_REBUILD_SQL = metricMonthlyRollupSql('metric_values AS v');
