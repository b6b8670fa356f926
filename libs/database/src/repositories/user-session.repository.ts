import type { EntityManager } from 'typeorm';
import type { UserRole } from '../entities/user.entity';

/** What a live session grants now: the user's current role and client, read on each check. */
export interface LiveSessionGrant {
  readonly role: UserRole;
  readonly clientId: string | null;
}

/**
 * The current grant of a session, or null when the session is revoked or expired, or its user
 * was removed, never existed or cannot log in. Runs in the session's agency tenant transaction.
 */
export async function findLiveSessionGrant(manager: EntityManager, agencyId: string, userId: string, sessionId: string): Promise<LiveSessionGrant | null> {
  const rows = await manager.query<Array<{ role: UserRole; client_id: string | null }>>(
    `SELECT u.role, u.client_id
       FROM user_sessions s
       JOIN users u ON u.agency_id = s.agency_id AND u.id = s.user_id
      WHERE s.agency_id = $1 AND s.id = $2 AND s.user_id = $3
        AND s.revoked_at IS NULL AND s.expires_at > now()
        AND u.password_hash IS NOT NULL AND u.email_verified_at IS NOT NULL`,
    [agencyId, sessionId, userId],
  );
  return rows.length === 0 ? null : { role: rows[0].role, clientId: rows[0].client_id };
}

/** Revokes every live session of a user but `keepSessionId`; returns the revoked ids. */
export async function revokeUserSessions(manager: EntityManager, agencyId: string, userId: string, keepSessionId: string | null): Promise<string[]> {
  const rows = await manager.query<Array<{ id: string }>>(
    `UPDATE user_sessions SET revoked_at = now()
      WHERE agency_id = $1 AND user_id = $2 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)
      RETURNING id`,
    [agencyId, userId, keepSessionId],
  );
  return rows.map((row) => row.id);
}

/**
 * Locks the agency's owners (in id order, so two concurrent demotions queue) and returns their
 * ids: the caller then knows whether removing or demoting one leaves another.
 */
export async function lockAgencyOwners(manager: EntityManager, agencyId: string): Promise<string[]> {
  const rows = await manager.query<Array<{ id: string }>>(`SELECT id FROM users WHERE agency_id = $1 AND role = 'OWNER' ORDER BY id FOR UPDATE`, [agencyId]);
  return rows.map((row) => row.id);
}

/**
 * Marks a refresh token used, once: the row comes back only for the first caller (concurrent
 * uses of one token race on the row lock). Null means unknown token; `firstUse` false means
 * it was used before — a replay.
 */
export async function useRefreshToken(
  manager: EntityManager,
  agencyId: string,
  tokenHash: string,
): Promise<{ readonly sessionId: string; readonly firstUse: boolean } | null> {
  const rows = await manager.query<Array<{ session_id: string; used_at: Date | null }>>(
    `SELECT session_id, used_at FROM refresh_tokens WHERE agency_id = $1 AND token_hash = $2 FOR UPDATE`,
    [agencyId, tokenHash],
  );
  if (rows.length === 0) return null;
  if (rows[0].used_at !== null) return { sessionId: rows[0].session_id, firstUse: false };
  await manager.query(`UPDATE refresh_tokens SET used_at = now() WHERE agency_id = $1 AND token_hash = $2`, [agencyId, tokenHash]);
  return { sessionId: rows[0].session_id, firstUse: true };
}

/**
 * Marks a user's address as proven without the e-mailed link. Only for a process that owns
 * the address itself — the local demo seeding its own demo owner — never reachable from the API.
 */
export async function markEmailVerifiedWithoutProof(manager: EntityManager, agencyId: string, email: string): Promise<boolean> {
  const rows = await manager.query<Array<{ id: string }>>(
    `UPDATE users SET email_verified_at = now() WHERE agency_id = $1 AND email = $2 AND email_verified_at IS NULL RETURNING id`,
    [agencyId, email],
  );
  return rows.length > 0;
}
