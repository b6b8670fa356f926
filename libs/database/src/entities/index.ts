import { AgencyEntity } from './agency.entity';
import { AuditLogEntryEntity } from './audit-log-entry.entity';
import { ClientEntity } from './client.entity';
import { UserEntity } from './user.entity';

export { AgencyEntity, AuditLogEntryEntity, ClientEntity, UserEntity };
export { USER_ROLES, type UserRole } from './user.entity';

/** Every entity of the application, in one list for the DataSource. */
export const ENTITIES = [AgencyEntity, ClientEntity, UserEntity, AuditLogEntryEntity];
