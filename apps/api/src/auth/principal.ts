import type { UserRole } from '@pilotage/database';

/** The authenticated user of a request: a verified access token whose session is still live. */
export interface Principal {
  readonly userId: string;
  readonly agencyId: string;
  /** The session the access token belongs to (revoking it ends the token at once). */
  readonly sessionId: string;
  /** The user's role now (read from the database, not from the token). */
  readonly role: UserRole;
  /** For CLIENT_VIEWER: the only client they may read. */
  readonly clientId: string | null;
}
