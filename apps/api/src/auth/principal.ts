import type { ApiKeyScope, UserRole } from '@pilotage/database';

/** The authenticated user of a request: a verified access token whose session is still live. */
export interface Principal {
  readonly kind: 'USER';
  readonly userId: string;
  readonly agencyId: string;
  /** The session the access token belongs to (revoking it ends the token at once). */
  readonly sessionId: string;
  /** The user's role now (read from the database, not from the token). */
  readonly role: UserRole;
  /** For CLIENT_VIEWER: the only client they may read. */
  readonly clientId: string | null;
}

/**
 * A machine holding one of the agency's API keys: no user, no role. It may run only the
 * operations marked `@ApiKeyAccess(scope)` for a scope it has (the guard refuses the rest), on
 * its clients only.
 */
export interface ApiKeyPrincipal {
  readonly kind: 'API_KEY';
  readonly agencyId: string;
  readonly apiKeyId: string;
  readonly scopes: readonly ApiKeyScope[];
  /** Null: every client of the agency. */
  readonly clientIds: readonly string[] | null;
}

/** Whoever a request is authenticated as. */
export type RequestPrincipal = Principal | ApiKeyPrincipal;
