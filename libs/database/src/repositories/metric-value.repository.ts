import type { EntityManager } from 'typeorm';
import type { MetricGranularity } from '../entities';
import { METRIC_MONTHLY_REFRESH_SQL } from '../metric-monthly-rollup';
import { lockForTransaction } from './transaction-lock';

/**
 * Values of one client to write, column by column: they are sent as one array per column and
 * unnested by PostgreSQL, so a batch of thousands of rows is one statement with twelve bound
 * parameters, whatever its size.
 */
export interface MetricValueColumns {
  readonly metricKeys: string[];
  readonly dates: string[];
  readonly sources: string[];
  /** CHANNELS of libs/kpi, validated by the caller (the column's CHECK is the last guard). */
  readonly channels: string[];
  /** '' for a value of no campaign. */
  readonly campaigns: string[];
  readonly granularities: MetricGranularity[];
  /** Normalized decimal texts (exact; never floats). */
  readonly values: string[];
}

export function emptyMetricValueColumns(): MetricValueColumns {
  return { metricKeys: [], dates: [], sources: [], channels: [], campaigns: [], granularities: [], values: [] };
}

/** A value an import replaced, kept for the audit log. */
export interface MetricValueCorrection {
  readonly metricKey: string;
  readonly date: string;
  readonly source: string;
  readonly channel: string;
  readonly campaign: string;
  readonly oldValue: string;
  readonly newValue: string;
}

export interface MetricValueWriteCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

export interface MetricValueUpsertResult extends MetricValueWriteCounts {
  /** The first `correctionLimit` corrections of the batch, with their previous value. */
  readonly corrections: readonly MetricValueCorrection[];
  /**
   * `metricKey|YYYY-MM-01` of the months of the batch when it changed anything (none when every
   * value was unchanged): the roll-up rows to rebuild.
   */
  readonly touchedMonths: readonly string[];
}

export interface MetricValueBatchTarget {
  readonly agencyId: string;
  readonly clientId: string;
  readonly importId: string;
  readonly enteredBy: string | null;
}

const INPUT = `unnest($3::text[], $4::date[], $5::text[], $6::text[], $7::text[], $8::text[], $9::numeric[])
  AS input(metric_key, date, source, channel, campaign, granularity, value)`;

/*
 * The natural key makes a re-import replace rather than double count. The WHERE of DO UPDATE
 * skips identical rows, so they are neither rewritten (no dead tuple, no WAL) nor returned:
 * unchanged = batch size - inserted - updated. `xmax = 0` tells a fresh insert from an update.
 *
 * The corrections subquery joins the updated rows back to metric_values: every part of one
 * statement reads the snapshot taken before it, so the join sees the values being replaced.
 * It only looks at updated rows (usually none), so a first import pays nothing for it.
 */
const UPSERT_SQL = `
WITH upserted AS (
  INSERT INTO metric_values AS current
    (agency_id, client_id, metric_key, date, source, channel, campaign, granularity, value, import_batch_id, entered_by, updated_at)
  SELECT $1, $2, input.metric_key, input.date, input.source, input.channel, input.campaign, input.granularity, input.value, $10, $11, now()
    FROM ${INPUT}
  ON CONFLICT (agency_id, client_id, metric_key, date, source, channel, campaign) DO UPDATE
     SET value = EXCLUDED.value,
         granularity = EXCLUDED.granularity,
         import_batch_id = EXCLUDED.import_batch_id,
         entered_by = EXCLUDED.entered_by,
         updated_at = EXCLUDED.updated_at
   WHERE current.value IS DISTINCT FROM EXCLUDED.value
      OR current.granularity IS DISTINCT FROM EXCLUDED.granularity
  RETURNING (xmax = 0) AS inserted, metric_key, date, source, channel, campaign, value
)
SELECT
  (SELECT count(*) FROM upserted WHERE inserted)::int AS inserted,
  (SELECT count(*) FROM upserted WHERE NOT inserted)::int AS updated,
  (SELECT coalesce(json_agg(json_build_object(
            'metricKey', changed.metric_key, 'date', changed.date::text, 'source', changed.source,
            'channel', changed.channel, 'campaign', changed.campaign,
            'oldValue', previous.value::text, 'newValue', changed.value::text)), '[]'::json)
     FROM (SELECT * FROM upserted WHERE NOT inserted LIMIT $12) AS changed
     JOIN metric_values AS previous
       ON previous.agency_id = $1 AND previous.client_id = $2 AND previous.metric_key = changed.metric_key
      AND previous.date = changed.date AND previous.source = changed.source
      AND previous.channel = changed.channel AND previous.campaign = changed.campaign) AS corrections`;

/*
 * What the upsert would do, without doing it: a read of the existing rows on the same key.
 * Values are cast to the column's type so that 12.5 and 12.5000 compare as the upsert would.
 */
const PREVIEW_SQL = `
SELECT
  count(*) FILTER (WHERE previous.value IS NULL)::int AS inserted,
  count(*) FILTER (WHERE previous.value IS NOT NULL
                     AND (previous.value <> input.value::numeric(20,4) OR previous.granularity <> input.granularity))::int AS updated
  FROM ${INPUT}
  LEFT JOIN metric_values AS previous
    ON previous.agency_id = $1 AND previous.client_id = $2 AND previous.metric_key = input.metric_key
   AND previous.date = input.date AND previous.source = input.source
   AND previous.channel = input.channel AND previous.campaign = input.campaign`;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function integerField(row: Record<string, unknown>, name: string): number {
  const value = row[name];
  if (typeof value !== 'number') throw new Error(`metric value query returned no ${name}`);
  return value;
}

/**
 * `metricKey|YYYY-MM-01` of every row of a batch. Computed here rather than returned by the
 * upsert: aggregating the upserted rows in SQL cost a fifth of a million-row import.
 */
function monthsOf(columns: MetricValueColumns): string[] {
  const months = new Set<string>();
  for (let index = 0; index < columns.metricKeys.length; index += 1) {
    months.add(`${columns.metricKeys[index]}|${columns.dates[index].slice(0, 7)}-01`);
  }
  return [...months];
}

function corrections(value: unknown): MetricValueCorrection[] {
  if (!Array.isArray(value)) return [];
  const result: MetricValueCorrection[] = [];
  for (const item of value) {
    if (!isRecord(item)) continue;
    const { metricKey, date, source, channel, campaign, oldValue, newValue } = item;
    if (
      typeof metricKey === 'string' &&
      typeof date === 'string' &&
      typeof source === 'string' &&
      typeof channel === 'string' &&
      typeof campaign === 'string' &&
      typeof oldValue === 'string' &&
      typeof newValue === 'string'
    ) {
      result.push({ metricKey, date, source, channel, campaign, oldValue, newValue });
    }
  }
  return result;
}

async function firstRow(manager: EntityManager, sql: string, parameters: unknown[]): Promise<Record<string, unknown>> {
  const rows: unknown = await manager.query(sql, parameters);
  const row: unknown = Array.isArray(rows) ? rows[0] : undefined;
  if (!isRecord(row)) throw new Error('metric value query returned no row');
  return row;
}

/** $1–$9 of the upsert and its preview: whose values, then the batch as parallel arrays. */
function batchParameters(target: Pick<MetricValueBatchTarget, 'agencyId' | 'clientId'>, columns: MetricValueColumns): unknown[] {
  return [
    target.agencyId,
    target.clientId,
    columns.metricKeys,
    columns.dates,
    columns.sources,
    columns.channels,
    columns.campaigns,
    columns.granularities,
    columns.values,
  ];
}

/*
 * The one place that writes metric values. Every function runs on the caller's tenant
 * transaction (`TenantDatabase.run`), so row-level security applies and a whole import commits
 * or rolls back as one.
 */

/**
 * Upserts a batch on its natural key. The caller guarantees no key appears twice in a batch
 * (ON CONFLICT cannot update a row twice in one statement).
 */
export async function upsertMetricValues(
  manager: EntityManager,
  target: MetricValueBatchTarget,
  columns: MetricValueColumns,
  correctionLimit: number,
): Promise<MetricValueUpsertResult> {
  const size = columns.metricKeys.length;
  if (size === 0) return { inserted: 0, updated: 0, unchanged: 0, corrections: [], touchedMonths: [] };
  const row = await firstRow(manager, UPSERT_SQL, [...batchParameters(target, columns), target.importId, target.enteredBy, Math.max(0, correctionLimit)]);
  const inserted = integerField(row, 'inserted');
  const updated = integerField(row, 'updated');
  return {
    inserted,
    updated,
    unchanged: size - inserted - updated,
    corrections: corrections(row.corrections),
    touchedMonths: inserted + updated > 0 ? monthsOf(columns) : [],
  };
}

/**
 * Rebuilds the `metric_monthly` rows of the months an import changed (`metricKey|YYYY-MM-01`),
 * once per import, before it commits. The client's advisory lock serializes this step between
 * concurrent imports of one client: the rebuild then starts after the other import committed
 * and its statement sees those values (READ COMMITTED takes a snapshot per statement), so
 * neither import's months are computed without the other's values.
 */
export async function refreshMetricMonthly(
  manager: EntityManager,
  target: Pick<MetricValueBatchTarget, 'agencyId' | 'clientId'>,
  touchedMonths: Iterable<string>,
): Promise<void> {
  const metricKeys: string[] = [];
  const months: string[] = [];
  for (const touched of touchedMonths) {
    const separator = touched.lastIndexOf('|');
    metricKeys.push(touched.slice(0, separator));
    months.push(touched.slice(separator + 1));
  }
  if (metricKeys.length === 0) return;
  await lockForTransaction(manager, `metric_monthly:${target.clientId}`);
  // Sorting or hashing a million-row import's days spills to disk at the default 4 MB.
  await manager.query(`SET LOCAL work_mem = '64MB'`);
  await manager.query(METRIC_MONTHLY_REFRESH_SQL, [target.agencyId, target.clientId, metricKeys, months]);
}

/** What {@link upsertMetricValues} would do with a batch, without doing it (a dry run). */
export async function previewMetricValues(
  manager: EntityManager,
  target: Pick<MetricValueBatchTarget, 'agencyId' | 'clientId'>,
  columns: MetricValueColumns,
): Promise<MetricValueWriteCounts> {
  const size = columns.metricKeys.length;
  if (size === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const row = await firstRow(manager, PREVIEW_SQL, batchParameters(target, columns));
  const inserted = integerField(row, 'inserted');
  const updated = integerField(row, 'updated');
  return { inserted, updated, unchanged: size - inserted - updated };
}

/*
 * A sync re-pulls a window of days and the platform's answer is the truth for that window: a
 * campaign-day it no longer reports (invalid clicks removed, a conversion restated away) must
 * not keep its old figure. The source's rows of the window are reached through the primary key
 * (client, then each metric the provider writes, then the days); the new pull's keys are a
 * hashed NOT IN subplan (one hash of the pull, one probe per row: the columns are NOT NULL, so
 * NOT IN has no NULL trap). An anti-join on the unnested arrays was planned as a nested loop (the
 * planner guesses 10 rows for unnest) and cost 0.2 s a chunk of 1,000 values (bench:sync).
 */
const DELETE_MISSING_SQL = `
WITH deleted AS (
  DELETE FROM metric_values AS v
   WHERE v.agency_id = $1 AND v.client_id = $2 AND v.metric_key = ANY($6::text[])
     AND v.date BETWEEN $4::date AND $5::date AND v.source = $3
     AND (v.metric_key, v.date, v.channel, v.campaign) NOT IN (
           SELECT * FROM unnest($7::text[], $8::date[], $9::text[], $10::text[]))
  RETURNING v.metric_key, v.date
)
SELECT metric_key || '|' || to_char(date_trunc('month', date), 'YYYY-MM-DD') AS touched, count(*)::int AS deleted
  FROM deleted GROUP BY 1`;

/** What {@link deleteValuesMissingFromPull} removed, and the roll-up rows to rebuild for it. */
export interface MissingValuesDeletion {
  readonly deleted: number;
  readonly touchedMonths: readonly string[];
}

/**
 * Deletes the values of `metricKeys` that `source` holds in [`from`, `to`] whose key (metric,
 * date, channel, campaign) is not among `columns` (the complete pull of that window): after it
 * and {@link upsertMetricValues} of the same columns, the source's values of those metrics in
 * the window are exactly the pull's. `metricKeys` are the metrics the pull can write (a
 * provider's); values of other metrics under the source are left alone. Runs on the caller's
 * tenant transaction.
 */
export async function deleteValuesMissingFromPull(
  manager: EntityManager,
  target: Pick<MetricValueBatchTarget, 'agencyId' | 'clientId'>,
  window: { readonly source: string; readonly from: string; readonly to: string; readonly metricKeys: readonly string[] },
  columns: MetricValueColumns,
): Promise<MissingValuesDeletion> {
  const rows = await manager.query<{ touched: string; deleted: number }[]>(DELETE_MISSING_SQL, [
    target.agencyId,
    target.clientId,
    window.source,
    window.from,
    window.to,
    window.metricKeys,
    columns.metricKeys,
    columns.dates,
    columns.channels,
    columns.campaigns,
  ]);
  return { deleted: rows.reduce((total, row) => total + row.deleted, 0), touchedMonths: rows.map((row) => row.touched) };
}

/**
 * Whether `source` holds any value of `metricKeys` in [`from`, `to`]: a sync's first backfill
 * finds none, and then its chunks have nothing to remove (see deleteValuesMissingFromPull). Reached
 * through the primary key, one range per metric.
 */
export async function sourceHasValues(
  manager: EntityManager,
  target: Pick<MetricValueBatchTarget, 'agencyId' | 'clientId'>,
  window: { readonly source: string; readonly from: string; readonly to: string; readonly metricKeys: readonly string[] },
): Promise<boolean> {
  const rows = await manager.query<unknown[]>(
    `SELECT 1 FROM metric_values
      WHERE agency_id = $1 AND client_id = $2 AND metric_key = ANY($3::text[]) AND date BETWEEN $4::date AND $5::date AND source = $6
      LIMIT 1`,
    [target.agencyId, target.clientId, window.metricKeys, window.from, window.to, window.source],
  );
  return rows.length > 0;
}
