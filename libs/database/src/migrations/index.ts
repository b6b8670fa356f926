import { InitialSchema1795332610308 } from './1795332610308-initial-schema';
import { TenantSecurity1795332700000 } from './1795332700000-tenant-security';

/** Every migration, in order. Listed explicitly (no glob) so ts-jest and the build agree. */
export const MIGRATIONS = [InitialSchema1795332610308, TenantSecurity1795332700000];
