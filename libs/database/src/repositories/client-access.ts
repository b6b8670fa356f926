import type { EntityManager } from 'typeorm';
import { ForbiddenError, NotFoundError } from '@pilotage/common';
import { ClientEntity } from '../entities';
import { currentTenant, isUuid } from '../tenancy/tenant-context';

/**
 * The client if the current user may see it; NOT_FOUND otherwise — whether it belongs to
 * another agency, to another viewer's client, or does not exist. Runs inside the caller's
 * tenant transaction (row-level security hides other agencies' rows; the explicit filter keeps
 * the primary key in use and the intent visible).
 */
export async function findVisibleClient(manager: EntityManager, id: string): Promise<ClientEntity> {
  const tenant = currentTenant();
  if (!isUuid(id)) throw new NotFoundError('Client', id);
  if (tenant.role === 'CLIENT_VIEWER' && tenant.clientId !== id) throw new NotFoundError('Client', id);
  const entity = await manager.findOneBy(ClientEntity, { agencyId: tenant.agencyId, id });
  if (!entity) throw new NotFoundError('Client', id);
  return entity;
}

/** Staff only: throws FORBIDDEN for a client viewer, even on their own client. */
export function assertTenantCanWrite(): void {
  if (currentTenant().role === 'CLIENT_VIEWER') throw new ForbiddenError();
}
