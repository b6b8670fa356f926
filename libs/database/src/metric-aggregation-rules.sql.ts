/*
 * The aggregation rules of metric values, in SQL, shared by the daily aggregate (analytics over
 * days and ISO weeks) and the monthly roll-up (`metric_monthly`), so that both read a month the
 * same way. Ratios are never aggregated here: KPIs divide the sums afterwards.
 */

/**
 * The stock at the end of a group: the value at its latest date. max() of [day number, value]
 * pairs compares the day first — a hash aggregate, where array_agg(... ORDER BY) would sort
 * every group.
 */
export function latestValueSql(date: string, value: string): string {
  return `(max(ARRAY[(${date} - DATE '2000-01-01')::numeric, ${value}]))[2]`;
}

/**
 * Days of the period a value covers: 1 for a daily value, 7 for a weekly one, the month's
 * length for a monthly one (monthly figures sit on the 1st of their month).
 */
export function coveredDaysSql(granularity: string, date: string): string {
  return `sum(CASE ${granularity}
             WHEN 'DAY' THEN 1
             WHEN 'WEEK' THEN 7
             ELSE extract(day FROM date_trunc('month', ${date}) + interval '1 month - 1 day')
           END)::int`;
}

/**
 * The days of its month a value covers, as bits of a bigint (bit 0 = the 1st): its own day, the
 * seven days of a weekly value from its Monday (cut at the month's end), every day of a monthly
 * one. The roll-up ORs them per group; a total's covered days are the bits of the OR of its
 * groups (two channels reporting the same day cover it once).
 */
export function dayMaskSql(granularity: string, date: string): string {
  const day = `extract(day FROM ${date})::int`;
  const monthLength = `extract(day FROM date_trunc('month', ${date}) + interval '1 month - 1 day')::int`;
  return `CASE ${granularity}
            WHEN 'DAY' THEN 1::bigint << (${day} - 1)
            WHEN 'WEEK' THEN ((1::bigint << least(7, ${monthLength} - ${day} + 1)) - 1) << (${day} - 1)
            ELSE (1::bigint << ${monthLength}) - 1
          END`;
}

/** The number of days a `day_mask` (or an OR of masks) covers. */
export function maskDaysSql(mask: string): string {
  return `bit_count((${mask})::bit(64))::int`;
}
