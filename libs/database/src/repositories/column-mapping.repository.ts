import type { EntityManager } from 'typeorm';
import { ClientColumnMappingEntity } from '../entities/client-column-mapping.entity';
import { currentTenant } from '../tenancy/tenant-context';

/** Most mappings a client may keep: each one describes one kind of file. */
export const MAX_COLUMN_MAPPINGS_PER_CLIENT = 50;

/** The client's saved mappings, by name. */
export function findColumnMappings(manager: EntityManager, clientId: string): Promise<ClientColumnMappingEntity[]> {
  return manager.find(ClientColumnMappingEntity, { where: { agencyId: currentTenant().agencyId, clientId }, order: { name: 'ASC', id: 'ASC' } });
}

/** One of the client's mappings, or null (another client's or agency's mapping is not found either). */
export function findColumnMapping(manager: EntityManager, clientId: string, id: string): Promise<ClientColumnMappingEntity | null> {
  return manager.findOneBy(ClientColumnMappingEntity, { agencyId: currentTenant().agencyId, clientId, id });
}
