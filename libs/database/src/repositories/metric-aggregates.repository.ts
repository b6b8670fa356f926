import { Injectable } from '@nestjs/common';
import { coveredDaysSql, latestValueSql, maskDaysSql } from '../metric-aggregation-rules.sql';
import type { EntityManager } from 'typeorm';
import { addDays, type BreakdownDimension, type Channel, type MetricBucket } from '@pilotage/kpi';

/** SQL grains of `date_trunc`; ISO weeks start on Monday as PostgreSQL's `week` does. */
export type SqlGrain = 'day' | 'week' | 'month' | 'quarter' | 'year';

interface BucketRow {
  metric_key: string;
  grp: string | null;
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

/** A bucket of one group of a breakdown: `group` is the channel, the source or the campaign ('' = none). */
export interface GroupedMetricBucket extends MetricBucket {
  readonly group: string;
}

/**
 * A breakdown capped to some groups: the values of the other groups are read as one group
 * (`group: null`, "others"), aggregated together with the same rules (a day's values added
 * across them first, their day masks ORed), so the total stays the sum of what is shown.
 */
export interface FoldedMetricBucket extends MetricBucket {
  readonly group: string | null;
}

/** A group of a breakdown ranked by a volume over a period (see MetricAggregatesRepository.rankGroups). */
export interface RankedGroup {
  readonly group: string;
  /** The volume metric's sum over the period; null when the group has none of it there. */
  readonly volume: number | null;
}

/** The column a breakdown groups by; a total groups every value into one group (''). */
function groupColumn(dimension: BreakdownDimension | null): string {
  switch (dimension) {
    case 'CHANNEL':
      return 'channel';
    case 'SOURCE':
      return 'source';
    case 'CAMPAIGN':
      return 'campaign';
    case null:
      return `''::text`;
  }
}

/*
 * The daily path: the rows of one client through the primary key (agency, client, metric,
 * date, …); the values of a day are added first across sources, channels and campaigns (they
 * partition a figure: GA4's sessions of one channel and another's never overlap; per-channel
 * sources add up to the total), or within each group of a breakdown, then each bucket is
 * aggregated.
 */
function dailySql(group: string): string {
  return `
WITH daily AS (
  SELECT metric_key, ${group} AS grp, date, sum(value) AS value, max(granularity) AS granularity
    FROM metric_values
   WHERE agency_id = $1 AND client_id = $2 AND metric_key = ANY($3::text[])
     AND date BETWEEN $4::date AND $5::date
   GROUP BY 1, 2, 3
)
SELECT metric_key, grp,
       CASE WHEN $6::text IS NULL THEN $4::date ELSE date_trunc($6::text, date)::date END AS bucket,
       sum(value)::float8 AS sum_value,
       ${latestValueSql('date', 'value')}::float8 AS last_value,
       ${coveredDaysSql('granularity', 'date')} AS covered_days
  FROM daily
 GROUP BY 1, 2, 3`;
}

/*
 * The roll-up path: the same three aggregates from the rows of metric_monthly (one per metric,
 * month, channel, source and campaign instead of one per day). Within a month and group the
 * sums add up, the stock is the sum of the values of the rows whose latest day is the group's
 * latest day (the day-first rule of the daily path), and the covered days are the union of the
 * rows' day masks; across months, sums and covered days add up and the stock is the latest
 * month's.
 */
function monthlySql(group: string): string {
  return `
WITH rows AS (
  SELECT metric_key, ${group} AS grp, month, sum_value, last_date, last_value, day_mask,
         max(last_date) OVER (PARTITION BY metric_key, ${group}, month) AS month_last
    FROM metric_monthly
   WHERE agency_id = $1 AND client_id = $2 AND metric_key = ANY($3::text[])
     AND month BETWEEN $4::date AND $5::date
), months AS (
  SELECT metric_key, grp, month,
         sum(sum_value) AS sum_value,
         max(last_date) AS last_date,
         sum(last_value) FILTER (WHERE last_date = month_last) AS last_value,
         ${maskDaysSql('bit_or(day_mask)')} AS covered_days
    FROM rows
   GROUP BY 1, 2, 3
)
SELECT metric_key, grp,
       CASE WHEN $6::text IS NULL THEN $4::date ELSE date_trunc($6::text, month)::date END AS bucket,
       sum(sum_value)::float8 AS sum_value,
       ${latestValueSql('last_date', 'last_value')}::float8 AS last_value,
       sum(covered_days)::int AS covered_days
  FROM months
 GROUP BY 1, 2, 3`;
}

/** The group column, or NULL ("others") when a list of kept groups ($7) does not hold it. */
function foldedColumn(dimension: BreakdownDimension): string {
  const column = groupColumn(dimension);
  return `CASE WHEN $7::text[] IS NULL OR ${column} = ANY($7::text[]) THEN ${column} END`;
}

/*
 * The groups of a breakdown with their volume ($6: a metric) over the reported period ($7–$8)
 * inside the read range ($4–$5), largest first, the first $9 of them, and how many there are
 * in all: a breakdown by campaign reads the top ones only, the others folded (see
 * MetricAggregatesRepository.breakdownFolded). Months of the roll-up for whole months.
 */
function rankSql(column: string, monthly: boolean): string {
  const table = monthly ? 'metric_monthly' : 'metric_values';
  const date = monthly ? 'month' : 'date';
  const value = monthly ? 'sum_value' : 'value';
  return `
SELECT grp, volume::float8 AS volume, count(*) OVER ()::int AS groups FROM (
  SELECT ${column} AS grp, sum(${value}) FILTER (WHERE metric_key = $6 AND ${date} BETWEEN $7::date AND $8::date) AS volume
    FROM ${table}
   WHERE agency_id = $1 AND client_id = $2 AND metric_key = ANY($3::text[])
     AND ${date} BETWEEN $4::date AND $5::date
   GROUP BY 1
) AS ranked
ORDER BY volume DESC NULLS LAST, grp
LIMIT $9`;
}

/*
 * The total's roll-up path, without the window of monthlySql: with values per channel, source
 * and campaign a month has several rows per metric (81 instead of 25 a client-month in
 * bench:analytics), and sorting them for the window cost the 25-month scorecard ~7 ms at p50.
 * The rows of a metric's month almost always end on the same day (a daily export covers every
 * channel to the same date): then the stock is the sum of their last values; otherwise the
 * rows ending on the latest day are summed by a subquery (the same rule, for those months only).
 */
const MONTHLY_TOTAL_SQL = `
WITH months AS (
  SELECT m.metric_key, ''::text AS grp, m.month,
         sum(m.sum_value) AS sum_value,
         max(m.last_date) AS last_date,
         CASE WHEN min(m.last_date) = max(m.last_date) THEN sum(m.last_value)
              ELSE (SELECT sum(l.last_value) FROM metric_monthly AS l
                     WHERE l.agency_id = $1 AND l.client_id = $2 AND l.metric_key = m.metric_key
                       AND l.month = m.month AND l.last_date = max(m.last_date))
         END AS last_value,
         ${maskDaysSql('bit_or(m.day_mask)')} AS covered_days
    FROM metric_monthly AS m
   WHERE m.agency_id = $1 AND m.client_id = $2 AND m.metric_key = ANY($3::text[])
     AND m.month BETWEEN $4::date AND $5::date
   GROUP BY m.metric_key, m.month
)
SELECT metric_key, grp,
       CASE WHEN $6::text IS NULL THEN $4::date ELSE date_trunc($6::text, month)::date END AS bucket,
       sum(sum_value)::float8 AS sum_value,
       ${latestValueSql('last_date', 'last_value')}::float8 AS last_value,
       sum(covered_days)::int AS covered_days
  FROM months
 GROUP BY 1, 2, 3`;

const DAILY_SQL = dailySql(groupColumn(null));
const MONTHLY_SQL = MONTHLY_TOTAL_SQL;
const BREAKDOWN_SQL: Readonly<Record<BreakdownDimension, { readonly daily: string; readonly monthly: string }>> = {
  CHANNEL: { daily: dailySql(groupColumn('CHANNEL')), monthly: monthlySql(groupColumn('CHANNEL')) },
  SOURCE: { daily: dailySql(groupColumn('SOURCE')), monthly: monthlySql(groupColumn('SOURCE')) },
  CAMPAIGN: { daily: dailySql(groupColumn('CAMPAIGN')), monthly: monthlySql(groupColumn('CAMPAIGN')) },
};
const FOLDED_SQL: Readonly<Record<BreakdownDimension, { readonly daily: string; readonly monthly: string }>> = {
  CHANNEL: { daily: dailySql(foldedColumn('CHANNEL')), monthly: monthlySql(foldedColumn('CHANNEL')) },
  SOURCE: { daily: dailySql(foldedColumn('SOURCE')), monthly: monthlySql(foldedColumn('SOURCE')) },
  CAMPAIGN: { daily: dailySql(foldedColumn('CAMPAIGN')), monthly: monthlySql(foldedColumn('CAMPAIGN')) },
};
const RANK_SQL: Readonly<Record<BreakdownDimension, { readonly daily: string; readonly monthly: string }>> = {
  CHANNEL: { daily: rankSql(groupColumn('CHANNEL'), false), monthly: rankSql(groupColumn('CHANNEL'), true) },
  SOURCE: { daily: rankSql(groupColumn('SOURCE'), false), monthly: rankSql(groupColumn('SOURCE'), true) },
  CAMPAIGN: { daily: rankSql(groupColumn('CAMPAIGN'), false), monthly: rankSql(groupColumn('CAMPAIGN'), true) },
};

// Through the primary key (agency, client, metric, date, …) like the daily path.
const CAMPAIGN_CHANNELS_SQL = `
SELECT campaign, array_agg(DISTINCT channel ORDER BY channel) AS channels
  FROM metric_values
 WHERE agency_id = $1 AND client_id = $2 AND metric_key = ANY($3::text[])
   AND date BETWEEN $4::date AND $5::date AND campaign = ANY($6::text[])
 GROUP BY campaign`;

/**
 * The one place that aggregates metric values, in SQL. Ratios are never computed here: KPIs
 * divide the sums afterwards (ratio of sums, never a mean of ratios). Ranges of whole months
 * at month, quarter or year grain (scorecards, funnels, report series) read the monthly
 * roll-up that imports maintain; days, ISO weeks and partial months read the daily values.
 */
@Injectable()
export class MetricAggregatesRepository {
  /** Every value of the client, all channels, sources and campaigns together. */
  async aggregate(manager: EntityManager, query: MetricAggregateQuery): Promise<MetricBucket[]> {
    const rows = await this.read(manager, query, null, []);
    return rows.map((row) => ({ metricKey: row.metricKey, bucket: row.bucket, sum: row.sum, last: row.last, coveredDays: row.coveredDays }));
  }

  /**
   * The same buckets for each group of `dimension` (each channel, source or campaign) with the
   * same rules as the total, so a KPI computed on one group's buckets is that group's KPI.
   */
  async breakdown(manager: EntityManager, query: MetricAggregateQuery, dimension: BreakdownDimension): Promise<GroupedMetricBucket[]> {
    const rows = await this.read(manager, query, BREAKDOWN_SQL[dimension], []);
    return rows.map((row) => ({ ...row, group: row.group ?? '' }));
  }

  /**
   * The breakdown with only the groups in `keep` (null: every group), the others' values read
   * together as one group whose `group` is null. A group's buckets are those `breakdown`
   * answers; the folded group's are the buckets of the union of the others' values.
   */
  breakdownFolded(
    manager: EntityManager,
    query: MetricAggregateQuery,
    dimension: BreakdownDimension,
    keep: readonly string[] | null,
  ): Promise<FoldedMetricBucket[]> {
    return this.read(manager, query, FOLDED_SQL[dimension], [keep]);
  }

  /**
   * The groups of `dimension` having values of `query.metricKeys` in `query.from`–`query.to`,
   * ranked by their sum of `volumeMetric` over `volumePeriod` (largest first, groups without it
   * last, then by name), at most `limit` of them, and how many groups there are in all. Reads the
   * roll-up for whole months. Used to cap a breakdown before reading it.
   */
  async rankGroups(
    manager: EntityManager,
    query: Omit<MetricAggregateQuery, 'grain'>,
    dimension: BreakdownDimension,
    ranking: { readonly volumeMetric: string; readonly volumeFrom: string; readonly volumeTo: string; readonly limit: number },
  ): Promise<{ groups: RankedGroup[]; total: number }> {
    if (query.metricKeys.length === 0) return { groups: [], total: 0 };
    const sql = RANK_SQL[dimension][coversWholeMonths(query.from, query.to) ? 'monthly' : 'daily'];
    const rows = await manager.query<Array<{ grp: string; volume: number | null; groups: number }>>(sql, [
      query.agencyId,
      query.clientId,
      query.metricKeys,
      query.from,
      query.to,
      ranking.volumeMetric,
      ranking.volumeFrom,
      ranking.volumeTo,
      ranking.limit,
    ]);
    return { groups: rows.map((row) => ({ group: row.grp, volume: row.volume })), total: rows[0]?.groups ?? 0 };
  }

  /**
   * The channels each of `campaigns` has values on over the query's range and metrics: a
   * campaign breakdown groups by the campaign alone, and a report names a campaign with its
   * channel (a campaign name reused on two platforms gets both).
   */
  async campaignChannels(manager: EntityManager, query: Omit<MetricAggregateQuery, 'grain'>, campaigns: readonly string[]): Promise<Map<string, Channel[]>> {
    if (campaigns.length === 0 || query.metricKeys.length === 0) return new Map();
    const rows = await manager.query<Array<{ campaign: string; channels: Channel[] }>>(CAMPAIGN_CHANNELS_SQL, [
      query.agencyId,
      query.clientId,
      query.metricKeys,
      query.from,
      query.to,
      campaigns,
    ]);
    return new Map(rows.map((row) => [row.campaign, row.channels]));
  }

  private async read(
    manager: EntityManager,
    query: MetricAggregateQuery,
    grouped: { readonly daily: string; readonly monthly: string } | null,
    extra: readonly unknown[],
  ): Promise<FoldedMetricBucket[]> {
    if (query.metricKeys.length === 0) return [];
    const monthly = query.grain !== 'day' && query.grain !== 'week' && coversWholeMonths(query.from, query.to);
    if (!monthly) {
      // The day-level hash aggregate of a 25-metric × 2-year range (~17k rows) spills to disk
      // at the default 4 MB; 32 MB keeps it in memory, for this transaction only.
      await manager.query(`SET LOCAL work_mem = '32MB'`);
    }
    const sql = grouped === null ? (monthly ? MONTHLY_SQL : DAILY_SQL) : grouped[monthly ? 'monthly' : 'daily'];
    const rows = await manager.query<BucketRow[]>(sql, [query.agencyId, query.clientId, query.metricKeys, query.from, query.to, query.grain, ...extra]);
    return rows.map((row) => ({
      metricKey: row.metric_key,
      group: row.grp,
      bucket: toIsoDate(row.bucket),
      sum: row.sum_value,
      last: row.last_value,
      coveredDays: row.covered_days,
    }));
  }
}
