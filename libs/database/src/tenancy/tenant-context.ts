import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who is acting, for which agency. Set once after authentication (HTTP middleware) or from a
 * job's payload (worker), and carried through every await by AsyncLocalStorage — never passed
 * around by hand and never request-scoped providers.
 */
export interface TenantContext {
  readonly agencyId: string;
  /** Null for system work (scheduled jobs, signup) and for an API key. */
  readonly userId: string | null;
  /** API_KEY: a machine holding one of the agency's keys (no user); its scopes are checked by the API's guard. */
  readonly role: 'OWNER' | 'MANAGER' | 'CLIENT_VIEWER' | 'SYSTEM' | 'API_KEY';
  /** Set for CLIENT_VIEWER: the only client they may read. */
  readonly clientId: string | null;
  /** Set for API_KEY: the key acting, recorded with every write it makes (audit log, imports). */
  readonly apiKeyId?: string | null;
  /** For API_KEY: the only clients it may reach (NOT_FOUND for the others); null or absent: every client. */
  readonly clientIds?: readonly string[] | null;
}

export class NoTenantContextError extends Error {
  constructor() {
    super('Tenant data was accessed outside a tenant context');
    this.name = 'NoTenantContextError';
  }
}

const storage = new AsyncLocalStorage<TenantContext>();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` can be an id: a malformed id is reported as not found, never sent to SQL. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Runs `work` with `context` as the current tenant, for everything it awaits. */
export function runWithTenant<T>(context: TenantContext, work: () => T): T {
  if (!isUuid(context.agencyId)) throw new Error(`Invalid agency id: ${context.agencyId}`);
  return storage.run(context, work);
}

/** The current tenant; throws when there is none, so no code path reads tenant data without one. */
export function currentTenant(): TenantContext {
  const context = storage.getStore();
  if (!context) throw new NoTenantContextError();
  return context;
}

export function currentTenantOrNull(): TenantContext | null {
  return storage.getStore() ?? null;
}

/** A system context for an agency, used by jobs and the signup flow. */
export function systemContext(agencyId: string): TenantContext {
  return { agencyId, userId: null, role: 'SYSTEM', clientId: null };
}
