import type { EntityManager } from 'typeorm';

/**
 * Reads of `login_directory` (e-mail → agency and user, no secret), needed before a tenant is
 * known. The tenant role cannot read the table: each read calls a SECURITY DEFINER function of
 * migration 1795420000000 that answers one question with the rows asked for, never the whole
 * directory. Each runs in `TenantDatabase.runWithoutTenant`.
 */
export interface LoginDirectoryEntry {
  readonly agencyId: string;
  readonly userId: string;
  readonly agencySlug: string;
}

interface LoginDirectoryRow {
  agency_id: string;
  user_id: string;
  agency_slug: string;
}

const toEntry = (row: LoginDirectoryRow): LoginDirectoryEntry => ({ agencyId: row.agency_id, userId: row.user_id, agencySlug: row.agency_slug });

/** The users an e-mail address belongs to, in one agency when `agencySlug` is given. */
export async function findLoginsByEmail(manager: EntityManager, email: string, agencySlug: string | null): Promise<LoginDirectoryEntry[]> {
  const rows = await manager.query<LoginDirectoryRow[]>(`SELECT agency_id, user_id, agency_slug FROM login_directory_by_email($1, $2)`, [email, agencySlug]);
  return rows.map(toEntry);
}

/** The invited user a pending invitation token (its SHA-256) belongs to. */
export async function findLoginByInvitation(manager: EntityManager, tokenHash: string): Promise<LoginDirectoryEntry | null> {
  const rows = await manager.query<LoginDirectoryRow[]>(`SELECT agency_id, user_id, agency_slug FROM login_directory_by_invitation($1)`, [tokenHash]);
  return rows.length === 0 ? null : toEntry(rows[0]);
}

/** The agency of a slug, if one has users. */
export async function findAgencyIdBySlug(manager: EntityManager, agencySlug: string): Promise<string | null> {
  const rows = await manager.query<{ agency_id: string | null }[]>(`SELECT login_directory_agency_by_slug($1) AS agency_id`, [agencySlug]);
  return rows[0]?.agency_id ?? null;
}

/** Every agency that has users, in a stable order (the schedule visits each under its own tenant). */
export async function listAgencyIds(manager: EntityManager): Promise<string[]> {
  const rows = await manager.query<{ agency_id: string }[]>(`SELECT agency_id FROM login_directory_agency_ids() AS agency_id`);
  return rows.map((row) => row.agency_id);
}
