import type { UserRole } from '@pilotage/database';

/** The authenticated user of a request, read from a verified JWT. */
export interface Principal {
  readonly userId: string;
  readonly agencyId: string;
  readonly role: UserRole;
  /** For CLIENT_VIEWER: the only client they may read. */
  readonly clientId: string | null;
}
