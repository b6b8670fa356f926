import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { DataConnectionAuthorizationEntity, DataConnectionEntity, SyncRunEntity } from '../entities';

/**
 * The SQL of data connections (libs/connectors ConnectionsService is its one caller), always in
 * the caller's tenant transaction: row-level security hides other agencies' rows, the explicit
 * `agency_id` keeps the primary keys in use.
 */

/** Connections of the client that are not revoked (what the per-client cap counts). */
export async function countLiveConnections(manager: EntityManager, agencyId: string, clientId: string): Promise<number> {
  const rows = await manager.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM data_connections WHERE agency_id = $1 AND client_id = $2 AND revoked_at IS NULL`,
    [agencyId, clientId],
  );
  return rows[0]?.n ?? 0;
}

/** The client's live connection writing under `source`, if any (unique: data_connections_live_source_key). */
export async function findLiveConnectionBySource(
  manager: EntityManager,
  agencyId: string,
  clientId: string,
  source: string,
): Promise<DataConnectionEntity | null> {
  return manager
    .createQueryBuilder(DataConnectionEntity, 'connection')
    .where('connection.agencyId = :agencyId AND connection.clientId = :clientId AND connection.source = :source AND connection.revokedAt IS NULL', {
      agencyId,
      clientId,
      source,
    })
    .getOne();
}

/** One connection; `lock`: FOR UPDATE, so that two changes of its status take turns. */
export async function findDataConnection(manager: EntityManager, agencyId: string, id: string, lock = false): Promise<DataConnectionEntity | null> {
  const query = manager
    .createQueryBuilder(DataConnectionEntity, 'connection')
    .where('connection.agencyId = :agencyId AND connection.id = :id', { agencyId, id });
  if (lock) query.setLock('pessimistic_write');
  return query.getOne();
}

/** The client's connections, revoked ones included, filters only (for keysetPage, newest first). */
export function dataConnectionsOfClientQuery(manager: EntityManager, agencyId: string, clientId: string): SelectQueryBuilder<DataConnectionEntity> {
  return manager
    .createQueryBuilder(DataConnectionEntity, 'connection')
    .where('connection.agencyId = :agencyId AND connection.clientId = :clientId', { agencyId, clientId });
}

/** The connection's sync runs, filters only (for keysetPage on `queuedAt`, newest first). */
export function syncRunsOfConnectionQuery(manager: EntityManager, agencyId: string, connectionId: string): SelectQueryBuilder<SyncRunEntity> {
  return manager.createQueryBuilder(SyncRunEntity, 'run').where('run.agencyId = :agencyId AND run.connectionId = :connectionId', { agencyId, connectionId });
}

/** The authorization whose `state` hashes to `stateHash`, locked until the transaction ends (the callback uses it once). */
export async function findAuthorizationByStateHash(
  manager: EntityManager,
  agencyId: string,
  stateHash: string,
): Promise<DataConnectionAuthorizationEntity | null> {
  return manager
    .createQueryBuilder(DataConnectionAuthorizationEntity, 'authorization')
    .where('authorization.agencyId = :agencyId AND authorization.stateHash = :stateHash', { agencyId, stateHash })
    .setLock('pessimistic_write')
    .getOne();
}

/** Marks an authorization used; false when it already was (a replayed or concurrent callback). */
export async function markAuthorizationUsed(manager: EntityManager, agencyId: string, id: string, at: Date): Promise<boolean> {
  // The query builder reports the affected rows (a plain `query` of an UPDATE answers `[rows, count]`).
  const result = await manager
    .createQueryBuilder()
    .update(DataConnectionAuthorizationEntity)
    .set({ usedAt: at })
    .where('agency_id = :agencyId AND id = :id AND used_at IS NULL', { agencyId, id })
    .execute();
  return result.affected === 1;
}

/** Closes the connection's authorizations still open (a connect link sent before a revocation must not revive it). */
export async function closeOpenAuthorizations(manager: EntityManager, agencyId: string, connectionId: string, at: Date): Promise<void> {
  await manager.query(`UPDATE data_connection_authorizations SET used_at = $3 WHERE agency_id = $1 AND connection_id = $2 AND used_at IS NULL`, [
    agencyId,
    connectionId,
    at,
  ]);
}

/** Whether a backfill of the connection ever finished: a reauthorized connection then only catches up. */
export async function hasSucceededBackfill(manager: EntityManager, agencyId: string, connectionId: string): Promise<boolean> {
  const rows = await manager.query<{ found: boolean }[]>(
    `SELECT EXISTS (SELECT 1 FROM sync_runs WHERE agency_id = $1 AND connection_id = $2 AND kind = 'BACKFILL' AND status = 'SUCCEEDED') AS found`,
    [agencyId, connectionId],
  );
  return rows[0]?.found ?? false;
}
