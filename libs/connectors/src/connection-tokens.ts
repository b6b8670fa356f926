import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { DataConnectionEntity } from '@pilotage/database';
import { ProviderError } from './provider-error';
import type { ConnectionTokens, OAuthFlavor } from './provider.types';
import { TokenCipher, type SealedSecret } from '@pilotage/common';

/** Access tokens are refreshed when they have less than this left: a backfill chunk never starts with a token about to die. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

/** Whether the access token expires within {@link TOKEN_REFRESH_MARGIN_MS} of `now` (never, when the platform gave no expiry). */
function isExpiring(tokens: ConnectionTokens, now: Date): boolean {
  return tokens.expiresAt !== null && tokens.expiresAt.getTime() - now.getTime() < TOKEN_REFRESH_MARGIN_MS;
}

interface StoredTokens {
  readonly a: string;
  readonly r: string | null;
  readonly e: string | null;
  readonly s: readonly string[];
}

function isStoredTokens(value: unknown): value is StoredTokens {
  return typeof value === 'object' && value !== null && 'a' in value && typeof value.a === 'string' && 's' in value && Array.isArray(value.s);
}

/** What a connection's row keeps of its tokens: one sealed JSON, its key id and the expiry (clear, for scheduling). */
export interface SealedTokens extends SealedSecret {
  readonly expiresAt: Date | null;
  readonly scopes: string[];
}

/**
 * The one place connection tokens are sealed and opened. The associated data binds a ciphertext
 * to its agency and row: `connection:<agencyId>:<connectionId>` for tokens,
 * `authorization:<agencyId>:<authorizationId>` for a PKCE verifier.
 */
@Injectable()
export class ConnectionTokenVault {
  private readonly cipher: TokenCipher;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.cipher = new TokenCipher(config.connectors.tokenKeys);
  }

  sealTokens(agencyId: string, connectionId: string, tokens: ConnectionTokens): SealedTokens {
    const stored: StoredTokens = { a: tokens.accessToken, r: tokens.refreshToken, e: tokens.expiresAt?.toISOString() ?? null, s: tokens.scopes };
    const sealed = this.cipher.seal(JSON.stringify(stored), `connection:${agencyId}:${connectionId}`);
    return { ...sealed, expiresAt: tokens.expiresAt, scopes: [...tokens.scopes] };
  }

  /** The tokens of a connection; null when it has none (pending, revoked). */
  openTokens(connection: Pick<DataConnectionEntity, 'agencyId' | 'id' | 'tokenCiphertext' | 'tokenKeyId'>): ConnectionTokens | null {
    if (connection.tokenCiphertext === null || connection.tokenKeyId === null) return null;
    const text = this.cipher.open(
      { ciphertext: connection.tokenCiphertext, keyId: connection.tokenKeyId },
      `connection:${connection.agencyId}:${connection.id}`,
    );
    const stored: unknown = JSON.parse(text);
    if (!isStoredTokens(stored)) throw new Error('Stored connection tokens have an unexpected shape');
    return { accessToken: stored.a, refreshToken: stored.r, expiresAt: stored.e === null ? null : new Date(stored.e), scopes: stored.s };
  }

  sealVerifier(agencyId: string, authorizationId: string, verifier: string): SealedSecret {
    return this.cipher.seal(verifier, `authorization:${agencyId}:${authorizationId}`);
  }

  openVerifier(agencyId: string, authorizationId: string, sealed: SealedSecret): string {
    return this.cipher.open(sealed, `authorization:${agencyId}:${authorizationId}`);
  }

  /** Whether a row's tokens were sealed with an older key (re-sealed at its next refresh). */
  isCurrentKey(keyId: string | null): boolean {
    return keyId === this.cipher.currentKeyId;
  }

  /**
   * The connection's tokens when they can be used as they are (not expiring within the margin,
   * sealed with the current key), without touching the database; null when {@link freshTokens}
   * must refresh or re-seal them. A sync asks before every chunk: most chunks need no transaction.
   */
  usableTokens(connection: DataConnectionEntity, now = new Date()): ConnectionTokens | null {
    const tokens = this.openTokens(connection);
    if (tokens === null || !this.isCurrentKey(connection.tokenKeyId)) return null;
    return isExpiring(tokens, now) ? null : tokens;
  }

  /**
   * The connection's tokens, refreshed first when they expire within {@link TOKEN_REFRESH_MARGIN_MS}
   * (or were sealed with a retired key), the new ones saved on `manager`'s transaction. Throws
   * UNAUTHORIZED ProviderError when the connection has no tokens or the platform refuses the refresh.
   */
  async freshTokens(manager: EntityManager, connection: DataConnectionEntity, oauth: OAuthFlavor, now = new Date()): Promise<ConnectionTokens> {
    const tokens = this.openTokens(connection);
    if (tokens === null) throw new ProviderError('UNAUTHORIZED', 'The connection has no authorization: open a connect link to authorize it');
    const expiring = isExpiring(tokens, now);
    if (!expiring && this.isCurrentKey(connection.tokenKeyId)) return tokens;
    const fresh = expiring ? await oauth.refresh(tokens) : tokens;
    const sealed = this.sealTokens(connection.agencyId, connection.id, fresh);
    await manager.update(
      DataConnectionEntity,
      { agencyId: connection.agencyId, id: connection.id },
      { tokenCiphertext: sealed.ciphertext, tokenKeyId: sealed.keyId, tokenExpiresAt: sealed.expiresAt, scopes: sealed.scopes },
    );
    connection.tokenCiphertext = sealed.ciphertext;
    connection.tokenKeyId = sealed.keyId;
    connection.tokenExpiresAt = sealed.expiresAt;
    return fresh;
  }
}
