import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { currentTenant } from './tenancy/tenant-context';

/**
 * Appends an audit entry inside the caller's tenant transaction, so the entry and the change
 * it records commit or roll back together. The actor comes from the tenant context: a user, the
 * system (no user), or an API key (no user, `api_key_id` set).
 */
export async function recordAudit(
  manager: EntityManager,
  entry: { action: string; entityType: string; entityId: string; data?: Record<string, unknown> },
): Promise<void> {
  const tenant = currentTenant();
  await manager.query(
    `INSERT INTO audit_log (agency_id, id, actor_user_id, api_key_id, action, entity_type, entity_id, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
    [tenant.agencyId, randomUUID(), tenant.userId, tenant.apiKeyId ?? null, entry.action, entry.entityType, entry.entityId, JSON.stringify(entry.data ?? {})],
  );
}
