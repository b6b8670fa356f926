import type { EntityManager } from 'typeorm';
import { ConflictError, ForbiddenError, NotFoundError } from '@pilotage/common';
import { ClientEntity } from '../entities';
import { currentTenant, isUuid, type TenantContext } from '../tenancy/tenant-context';

/**
 * The client if the current user may see it; NOT_FOUND otherwise — whether it belongs to
 * another agency, to another viewer's client, or does not exist. Runs inside the caller's
 * tenant transaction (row-level security hides other agencies' rows; the explicit filter keeps
 * the primary key in use and the intent visible). A viewer's access ends with the archiving of
 * their client: it is NOT_FOUND to them from then on.
 */
export async function findVisibleClient(manager: EntityManager, id: string): Promise<ClientEntity> {
  const tenant = currentTenant();
  if (!isUuid(id)) throw new NotFoundError('Client', id);
  if (tenant.role === 'CLIENT_VIEWER' && tenant.clientId !== id) throw new NotFoundError('Client', id);
  if (!mayReachClient(tenant, id)) throw new NotFoundError('Client', id);
  const entity = await manager.findOneBy(ClientEntity, { agencyId: tenant.agencyId, id });
  if (!entity) throw new NotFoundError('Client', id);
  if (tenant.role === 'CLIENT_VIEWER' && entity.archivedAt !== null) throw new NotFoundError('Client', id);
  return entity;
}

/**
 * Whether the context's client restriction admits `clientId`: an API key limited to some clients
 * reaches only those (the others are NOT_FOUND to it, existing or not). Everyone else: yes here
 * (a viewer's one client is checked with their role).
 */
export function mayReachClient(tenant: TenantContext, clientId: string): boolean {
  return !tenant.clientIds || tenant.clientIds.includes(clientId);
}

/**
 * An archived client is read-only: no new values or imports, reports, invitations or kickoff
 * changes. CONFLICT naming the client (it exists and the caller may read it: the state is the
 * problem, not the input).
 */
export function assertClientNotArchived(client: Pick<ClientEntity, 'id' | 'name' | 'archivedAt'>): void {
  if (client.archivedAt !== null) {
    throw new ConflictError(`Client "${client.name}" (${client.id}) is archived: it is read-only`, { clientId: client.id, archived: true });
  }
}

/** The client the current staff user may change: visible (else NOT_FOUND) and not archived (else CONFLICT). */
export async function findWritableClient(manager: EntityManager, id: string): Promise<ClientEntity> {
  const client = await findVisibleClient(manager, id);
  assertClientNotArchived(client);
  return client;
}

/** Staff only: throws FORBIDDEN for a client viewer, even on their own client. */
export function assertTenantCanWrite(): void {
  if (currentTenant().role === 'CLIENT_VIEWER') throw new ForbiddenError();
}
