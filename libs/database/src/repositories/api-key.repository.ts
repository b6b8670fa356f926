import type { EntityManager } from 'typeorm';
import { API_KEY_SCOPES, type ApiKeyScope } from '../entities';

/** What authenticating a request needs of a key, found by its public id before any tenant is known. */
export interface ApiKeyCredential {
  readonly agencyId: string;
  readonly id: string;
  /** Hex SHA-256 of the key's secret, compared by the caller in constant time. */
  readonly secretHash: string;
  readonly scopes: readonly ApiKeyScope[];
  /** Null: every client of the agency. */
  readonly clientIds: readonly string[] | null;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

interface ApiKeyCredentialRow {
  agency_id: string;
  id: string;
  secret_hash: string;
  scopes: string[];
  client_ids: string[] | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const isScope = (value: string): value is ApiKeyScope => API_KEY_SCOPES.some((scope) => scope === value);

/**
 * The key with this public id, whatever its agency: `api_key_by_public_id`, a SECURITY DEFINER
 * function of migration 1795450000000, answers for that one id (the tenant role can neither read
 * other agencies' keys nor list them). Runs in `TenantDatabase.runWithoutTenant`. Read on every
 * request, never cached, so a revocation holds from the next request on.
 */
export async function findApiKeyCredential(manager: EntityManager, publicId: string): Promise<ApiKeyCredential | null> {
  const rows = await manager.query<ApiKeyCredentialRow[]>(
    `SELECT agency_id, id, secret_hash, scopes, client_ids, expires_at, revoked_at FROM api_key_by_public_id($1)`,
    [publicId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    agencyId: row.agency_id,
    id: row.id,
    secretHash: row.secret_hash,
    scopes: row.scopes.filter(isScope),
    clientIds: row.client_ids,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/**
 * Records a use of the key unless one less than `minIntervalSeconds` old is already recorded (by
 * this process or another replica): last use is worth a write a minute, not one per request.
 * In the key's agency's tenant transaction.
 */
export async function recordApiKeyUse(manager: EntityManager, agencyId: string, id: string, at: Date, minIntervalSeconds: number): Promise<void> {
  await manager.query(
    `UPDATE api_keys SET last_used_at = $3
      WHERE agency_id = $1 AND id = $2 AND (last_used_at IS NULL OR last_used_at <= $3::timestamptz - make_interval(secs => $4))`,
    [agencyId, id, at, minIntervalSeconds],
  );
}

/** Keys of the agency that still work (neither revoked nor expired), for the per-agency cap. */
export async function countActiveApiKeys(manager: EntityManager, agencyId: string, now: Date): Promise<number> {
  const rows = await manager.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM api_keys WHERE agency_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`,
    [agencyId, now],
  );
  return rows[0]?.n ?? 0;
}
