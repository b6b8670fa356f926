import type { EntityManager } from 'typeorm';

/**
 * Takes a transaction-scoped advisory lock on `key` (released at commit or rollback): the
 * serialisation point of work no unique index can guard (a report version, a month's batch,
 * one agency's custom definitions, one client's monthly roll-up).
 */
export async function lockForTransaction(manager: EntityManager, key: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [key]);
}
