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

/**
 * Keys one client address may present per minute that turn out not to work (malformed, unknown,
 * wrong, revoked, expired). Past it the address's key requests are refused before any lookup:
 * each costs a database round trip, and guessing a 256-bit secret is hopeless anyway, so only a
 * flood or a misconfigured script gets here. Generous for a script retrying a revoked key.
 */
export const MAX_FAILED_API_KEYS_PER_ADDRESS = 60;

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
 * key list, and in the key itself) cannot use up the key's budget without its secret. Keys
 * that do not work are counted per client address instead ({@link MAX_FAILED_API_KEYS_PER_ADDRESS}).
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly perKey: RateLimiterMemory;
  private readonly failuresPerAddress = new RateLimiterMemory({ keyPrefix: 'api-key-failures', points: MAX_FAILED_API_KEYS_PER_ADDRESS, duration: 60 });
  /** When this process last recorded each key's use (ms). */
  private readonly lastRecorded = new Map<string, number>();

  constructor(
    private readonly db: TenantDatabase,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.perKey = new RateLimiterMemory({ keyPrefix: 'api-key', points: config.limits.apiKeyRequestsPerMinute, duration: 60 });
  }

  /**
   * The key's principal, or null when the token is not a working key. Throws TOO_MANY_REQUESTS
   * past the key's budget, or when `address` presented too many keys that did not work.
   */
  async authenticate(token: string, address: string): Promise<ApiKeyPrincipal | null> {
    const failures = await this.failuresPerAddress.get(address);
    if (failures && failures.consumedPoints >= MAX_FAILED_API_KEYS_PER_ADDRESS) {
      throw tooMany(failures, 'Too many invalid API keys from this address; retry later', 'API_KEY_FAILURES_PER_ADDRESS');
    }
    const parts = parseApiKey(token);
    const credential = parts ? await this.db.runWithoutTenant((manager) => findApiKeyCredential(manager, parts.publicId)) : null;
    const matches = parts !== null && apiKeySecretMatches(parts.secret, credential?.secretHash ?? NO_SUCH_KEY_HASH);
    const now = new Date();
    if (!credential || !matches || credential.revokedAt !== null || (credential.expiresAt !== null && credential.expiresAt <= now)) {
      await this.failuresPerAddress.consume(address).catch((error: unknown) => {
        // Over the budget now: this request still gets its UNAUTHENTICATED, the next ones a 429.
        if (!(error instanceof RateLimiterRes)) throw error;
      });
      return null;
    }
    try {
      await this.perKey.consume(credential.id);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw tooMany(error, 'Too many requests with this API key; retry later', 'API_KEY_REQUESTS_PER_MINUTE');
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

function tooMany(state: RateLimiterRes, message: string, limit: string): TooManyRequestsError {
  return new TooManyRequestsError(Math.max(1, Math.ceil(state.msBeforeNext / 1000)), message, { limit });
}
