import type { EntityManager } from 'typeorm';
import { SyncRunEntity, type DataConnectionEntity, type DataConnectionStatus } from '../entities';

/*
 * The sync engine's reads and writes of `sync_runs` and `data_connections` (libs/connectors
 * holds no SQL). Every function runs on the caller's tenant transaction (`TenantDatabase.run`).
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The row of an `UPDATE ... RETURNING` (TypeORM shapes it as `[rows, count]`). */
function returnedIds(result: unknown): string[] {
  const rows: unknown = Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result;
  if (!Array.isArray(rows)) return [];
  return rows.filter(isRecord).flatMap((row) => (typeof row.id === 'string' ? [row.id] : []));
}

/**
 * Claims a run for one attempt: a QUEUED run (or a RUNNING one, whose previous attempt died
 * with its worker and is resumed by the queue's retry) becomes RUNNING with one more attempt.
 * Null when the run is already SUCCEEDED or FAILED (a job delivered twice does nothing) or does
 * not exist for this tenant.
 */
export async function claimSyncRun(manager: EntityManager, agencyId: string, runId: string): Promise<SyncRunEntity | null> {
  const result: unknown = await manager.query(
    `UPDATE sync_runs
        SET status = 'RUNNING', attempts = attempts + 1, started_at = coalesce(started_at, now()), error = NULL
      WHERE agency_id = $1 AND id = $2 AND status IN ('QUEUED', 'RUNNING')
      RETURNING id`,
    [agencyId, runId],
  );
  if (returnedIds(result).length === 0) return null;
  return manager.findOneBy(SyncRunEntity, { agencyId, id: runId });
}

/** What one committed chunk of a run wrote. */
export interface SyncChunkCounts {
  readonly rows: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly deleted: number;
}

/**
 * Adds a committed chunk to its run's progress. Guarded on `chunks_done`: if another attempt of
 * the same run already committed this chunk (a worker presumed dead that was not), nothing is
 * counted and the caller rolls its chunk back (false).
 */
export async function recordSyncChunk(
  manager: EntityManager,
  run: Pick<SyncRunEntity, 'agencyId' | 'id'>,
  chunkIndex: number,
  counts: SyncChunkCounts,
): Promise<boolean> {
  const result: unknown = await manager.query(
    `UPDATE sync_runs
        SET chunks_done = chunks_done + 1, rows = rows + $4, inserted = inserted + $5, updated = updated + $6,
            unchanged = unchanged + $7, deleted = deleted + $8
      WHERE agency_id = $1 AND id = $2 AND chunks_done = $3 AND status = 'RUNNING'
      RETURNING id`,
    [run.agencyId, run.id, chunkIndex, counts.rows, counts.inserted, counts.updated, counts.unchanged, counts.deleted],
  );
  return returnedIds(result).length === 1;
}

/**
 * The connection's history after a committed chunk: its figures now reach `through` (never moved
 * back by an older chunk) and start at `from` at the latest.
 */
export async function recordConnectionPull(
  manager: EntityManager,
  connection: Pick<DataConnectionEntity, 'agencyId' | 'id'>,
  range: { readonly from: string; readonly to: string },
): Promise<void> {
  await manager.query(
    `UPDATE data_connections
        SET data_through = greatest(data_through, $3::date), backfill_from = least(backfill_from, $4::date),
            last_synced_at = now(), updated_at = now()
      WHERE agency_id = $1 AND id = $2`,
    [connection.agencyId, connection.id, range.to, range.from],
  );
}

/** How an attempt of a run ended. QUEUED: a transient failure, the queue retries it. */
export interface SyncRunOutcome {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'QUEUED';
  /** The error in words for the agency (never a token), null on success. */
  readonly error: string | null;
}

export async function finishSyncRun(manager: EntityManager, run: Pick<SyncRunEntity, 'agencyId' | 'id'>, outcome: SyncRunOutcome): Promise<void> {
  await manager.update(
    SyncRunEntity,
    { agencyId: run.agencyId, id: run.id },
    { status: outcome.status, error: outcome.error, finishedAt: outcome.status === 'QUEUED' ? null : () => 'now()' },
  );
}

/**
 * A connection's status after a run: ACTIVE clears the last error; the others keep the message.
 * A connection revoked meanwhile stays REVOKED (its values stay, no sync touches its status).
 */
export async function setConnectionStatus(
  manager: EntityManager,
  connection: Pick<DataConnectionEntity, 'agencyId' | 'id'>,
  status: Exclude<DataConnectionStatus, 'PENDING' | 'REVOKED'>,
  lastError: string | null,
): Promise<void> {
  await manager.query(
    `UPDATE data_connections SET status = $3, last_error = $4, updated_at = now()
      WHERE agency_id = $1 AND id = $2 AND status <> 'REVOKED'`,
    [connection.agencyId, connection.id, status, lastError],
  );
}

/** A connection the daily schedule may sync, with its client's time zone. */
export interface SyncableConnection {
  readonly agencyId: string;
  readonly id: string;
  readonly clientId: string;
  readonly provider: DataConnectionEntity['provider'];
  readonly dataThrough: string | null;
  readonly backfillFrom: string | null;
  readonly timeZone: string;
}

/**
 * The agency's ACTIVE and FAILING connections (FAILING ones are retried by the schedule) of
 * clients that are not archived, in a stable order.
 */
export async function listSyncableConnections(manager: EntityManager, agencyId: string): Promise<SyncableConnection[]> {
  const rows = await manager.query<
    {
      id: string;
      client_id: string;
      provider: DataConnectionEntity['provider'];
      data_through: string | null;
      backfill_from: string | null;
      time_zone: string;
    }[]
  >(
    `SELECT c.id, c.client_id, c.provider, c.data_through::text AS data_through, c.backfill_from::text AS backfill_from, cl.time_zone
       FROM data_connections AS c
       JOIN clients AS cl ON cl.agency_id = c.agency_id AND cl.id = c.client_id
      WHERE c.agency_id = $1 AND c.status IN ('ACTIVE', 'FAILING') AND c.revoked_at IS NULL AND cl.archived_at IS NULL
      ORDER BY c.created_at, c.id`,
    [agencyId],
  );
  return rows.map((row) => ({
    agencyId,
    id: row.id,
    clientId: row.client_id,
    provider: row.provider,
    dataThrough: row.data_through,
    backfillFrom: row.backfill_from,
    timeZone: row.time_zone,
  }));
}
