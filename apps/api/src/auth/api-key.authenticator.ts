import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { TooManyRequestsError } from '@pilotage/common';
import { findApiKeyCredential, recordApiKeyUse, systemContext, TenantDatabase } from '@pilotage/database';
import { apiKeySecretMatches, parseApiKey } from './api-key-secret';
import type { ApiKeyPrincipal } from './principal';

/** Last use is recorded at most once per key and per this many seconds. */
export const API_KEY_USE_RECORD_INTERVAL_SECONDS = 60;

const MAX_TRACKED_KEYS = 10_000;

/** Compared against when the public id is unknown, so that case costs the same hashing as a wrong secret. */
const NO_SUCH_KEY_HASH = '0'.repeat(64);

/**
 * Authenticates `Authorization: Bearer plk_...` requests. The key is read from the database on
 * every request (one indexed lookup, no cache): a revoked or expired key is refused from the
 * next request on, on every replica. Malformed, unknown, wrong, revoked and expired keys all get
 * the same answer (null: the request stays anonymous, UNAUTHENTICATED), so the API is no oracle
 * of which keys exist.
 *
 * Each valid key then spends a point of its per-minute budget (API_KEY_REQUESTS_PER_MINUTE, in
 * memory per API process like the login limits: N replicas give N times the budget). The point
 * is spent only once the secret is verified: someone who knows a key's public id (it is in the
 * key list, and in the key itself) cannot use up the key's budget without its secret.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly perKey: RateLimiterMemory;
  /** When this process last recorded each key's use (ms). */
  private readonly lastRecorded = new Map<string, number>();

  constructor(
    private readonly db: TenantDatabase,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.perKey = new RateLimiterMemory({ keyPrefix: 'api-key', points: config.limits.apiKeyRequestsPerMinute, duration: 60 });
  }

  /** The key's principal, or null when the token is not a working key. Throws TOO_MANY_REQUESTS past the key's budget. */
  async authenticate(token: string): Promise<ApiKeyPrincipal | null> {
    const parts = parseApiKey(token);
    if (!parts) return null;
    const credential = await this.db.runWithoutTenant((manager) => findApiKeyCredential(manager, parts.publicId));
    const matches = apiKeySecretMatches(parts.secret, credential?.secretHash ?? NO_SUCH_KEY_HASH);
    const now = new Date();
    if (!credential || !matches || credential.revokedAt !== null || (credential.expiresAt !== null && credential.expiresAt <= now)) return null;
    try {
      await this.perKey.consume(credential.id);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        throw new TooManyRequestsError(Math.max(1, Math.ceil(error.msBeforeNext / 1000)), 'Too many requests with this API key; retry later', {
          limit: 'API_KEY_REQUESTS_PER_MINUTE',
        });
      }
      throw error;
    }
    await this.recordUse(credential.agencyId, credential.id, now);
    return { kind: 'API_KEY', agencyId: credential.agencyId, apiKeyId: credential.id, scopes: credential.scopes, clientIds: credential.clientIds };
  }

  private async recordUse(agencyId: string, id: string, now: Date): Promise<void> {
    const last = this.lastRecorded.get(id);
    if (last !== undefined && now.getTime() - last < API_KEY_USE_RECORD_INTERVAL_SECONDS * 1000) return;
    if (this.lastRecorded.size >= MAX_TRACKED_KEYS) this.lastRecorded.clear();
    this.lastRecorded.set(id, now.getTime());
    await this.db.runFor(systemContext(agencyId), (manager) => recordApiKeyUse(manager, agencyId, id, now, API_KEY_USE_RECORD_INTERVAL_SECONDS));
  }
}
