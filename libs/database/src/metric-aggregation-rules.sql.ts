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
