import { dayMaskSql, latestValueSql } from './metric-aggregation-rules.sql';

/**
 * The SQL that (re)builds `metric_monthly` rows from `metric_values`, shared by the migration's
 * backfill, the import path (only the months an import touched) and the benchmarks (which
 * load values with COPY). `source` is a FROM clause exposing `metric_values` as `v`.
 *
 * One row per metric, month and group (channel, source, campaign): within a group a day has one
 * value (the natural key), so flows are summed, the stock is the value at the latest dated day —
 * max() of [day number, value] pairs compares the day first, a hash aggregate where
 * array_agg(... ORDER BY) would sort every group — and the covered days are ORed as a bit mask.
 * Readers add the groups up (see MetricAggregatesRepository).
 */
export function metricMonthlyRollupSql(source: string): string {
  return `
INSERT INTO metric_monthly AS rollup (agency_id, client_id, metric_key, month, channel, source, campaign, sum_value, last_date, last_value, day_mask)
SELECT v.agency_id, v.client_id, v.metric_key, date_trunc('month', v.date)::date, v.channel, v.source, v.campaign,
       sum(v.value),
       max(v.date),
       ${latestValueSql('v.date', 'v.value')},
       bit_or(${dayMaskSql('v.granularity', 'v.date')})
  FROM ${source}
 GROUP BY v.agency_id, v.client_id, v.metric_key, date_trunc('month', v.date), v.channel, v.source, v.campaign
ON CONFLICT (agency_id, client_id, metric_key, month, channel, source, campaign) DO UPDATE
   SET sum_value = EXCLUDED.sum_value,
       last_date = EXCLUDED.last_date,
       last_value = EXCLUDED.last_value,
       day_mask = EXCLUDED.day_mask`;
}

/**
 * Rebuilds the months listed in `$3` (metric keys) and `$4` (first days of months) of client
 * `$2` of agency `$1`. Months are never emptied by an import (values are replaced, not
 * deleted), so an upsert is enough; moving values to another channel deletes the months' rows
 * first (see `METRIC_MONTHLY_CLEAR_SQL`).
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

/** Deletes the roll-up rows of the months `$3`/`$4` of client `$2` of agency `$1`, before a refresh that may drop groups. */
export const METRIC_MONTHLY_CLEAR_SQL = `
DELETE FROM metric_monthly AS m
 USING unnest($3::text[], $4::date[]) AS touched(metric_key, month)
 WHERE m.agency_id = $1 AND m.client_id = $2 AND m.metric_key = touched.metric_key AND m.month = touched.month`;

/** Rebuilds every row (after a bulk load that bypassed the import path). */
export const METRIC_MONTHLY_REBUILD_SQL = metricMonthlyRollupSql('metric_values AS v');
