/**
 * Why a call to a platform failed, as the sync engine acts on it:
 * - UNAUTHORIZED: the platform refused the token or the refresh (revoked, expired, password
 *   changed): the connection NEEDS_REAUTHORIZATION; retrying cannot help.
 * - FORBIDDEN: the token works but may not read this account (permission removed, wrong id):
 *   NEEDS_REAUTHORIZATION too (someone with access must reconnect).
 * - RATE_LIMITED: 429 or the platform's own throttling code; retry after `retryAfterMs`.
 * - UNAVAILABLE: 5xx, a timeout, a reset connection: transient, retried with backoff.
 * - INVALID_RESPONSE: the answer did not have the documented shape (a bug on one side).
 * - REJECTED: another 4xx (a bad request): retrying the same request cannot help.
 */
export const PROVIDER_ERROR_KINDS = ['UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED', 'UNAVAILABLE', 'INVALID_RESPONSE', 'REJECTED'] as const;
export type ProviderErrorKind = (typeof PROVIDER_ERROR_KINDS)[number];

/**
 * A platform call that failed. `message` is for the agency (it becomes the connection's
 * `last_error`): it names the platform and what happened, never a token, a secret or a whole
 * response body (only the platform's own short error message, trimmed).
 */
export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly status: number | null = null,
    /** RATE_LIMITED: how long the platform asked to wait. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  /** Whether the same call may succeed later without anyone doing anything. */
  get transient(): boolean {
    return this.kind === 'RATE_LIMITED' || this.kind === 'UNAVAILABLE';
  }
}
