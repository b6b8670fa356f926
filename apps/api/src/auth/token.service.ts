import { createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { ACCOUNT_TOKEN_PURPOSES, isUuid, type AccountTokenPurpose } from '@pilotage/database';

const ISSUER = 'pilotage';
/** Distinct audiences so that an e-mailed token is never accepted as an access token, nor the reverse. */
const ACCESS_AUDIENCE = 'pilotage:access';
const ACCOUNT_AUDIENCE = 'pilotage:account';

/** What an access token asserts; the session check then decides whether it still holds. */
export interface AccessClaims {
  readonly userId: string;
  readonly agencyId: string;
  readonly sessionId: string;
}

/** What an e-mailed account token asserts; `tokenId` is its row in `account_tokens` (single use). */
export interface AccountClaims {
  readonly agencyId: string;
  readonly userId: string;
  readonly tokenId: string;
  readonly purpose: AccountTokenPurpose;
}

function decodedObject(token: string, secret: KeyObject, audience: string): Record<string, unknown> | null {
  try {
    const decoded = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: ISSUER, audience });
    return typeof decoded === 'object' && decoded !== null ? { ...decoded } : null;
  } catch {
    return null;
  }
}

const uuidOrNull = (value: unknown): string | null => (typeof value === 'string' && isUuid(value) ? value : null);

/** Issues and verifies the API's signed tokens (HS256 JWT): short-lived access tokens and e-mailed account tokens. */
@Injectable()
export class TokenService {
  /**
   * The secret as a key object, made once: given the string, jsonwebtoken first tries it as a
   * PEM public key on every verification (a thrown error, ~0.4 ms of the event loop per request).
   */
  private readonly secret: KeyObject;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.secret = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  issueAccess(claims: AccessClaims): { token: string; expiresAt: Date } {
    const token = jwt.sign({ sub: claims.userId, agency: claims.agencyId, sid: claims.sessionId }, this.secret, {
      algorithm: 'HS256',
      expiresIn: this.config.jwtTtlSeconds,
      issuer: ISSUER,
      audience: ACCESS_AUDIENCE,
    });
    return { token, expiresAt: new Date(Date.now() + this.config.jwtTtlSeconds * 1000) };
  }

  /** The claims of a valid access token, or null (bad signature, expired, malformed, another kind of token). */
  verifyAccess(token: string): AccessClaims | null {
    const decoded = decodedObject(token, this.secret, ACCESS_AUDIENCE);
    const userId = uuidOrNull(decoded?.sub);
    const agencyId = uuidOrNull(decoded?.agency);
    const sessionId = uuidOrNull(decoded?.sid);
    return userId && agencyId && sessionId ? { userId, agencyId, sessionId } : null;
  }

  issueAccount(claims: AccountClaims, expiresAt: Date): string {
    return jwt.sign({ sub: claims.userId, agency: claims.agencyId, purpose: claims.purpose }, this.secret, {
      algorithm: 'HS256',
      expiresIn: Math.max(1, Math.round((expiresAt.getTime() - Date.now()) / 1000)),
      issuer: ISSUER,
      audience: ACCOUNT_AUDIENCE,
      jwtid: claims.tokenId,
    });
  }

  /** The claims of a valid, unexpired account token for `purpose`, or null. */
  verifyAccount(token: string, purpose: AccountTokenPurpose): AccountClaims | null {
    const decoded = decodedObject(token, this.secret, ACCOUNT_AUDIENCE);
    const userId = uuidOrNull(decoded?.sub);
    const agencyId = uuidOrNull(decoded?.agency);
    const tokenId = uuidOrNull(decoded?.jti);
    const tokenPurpose = ACCOUNT_TOKEN_PURPOSES.find((known) => known === decoded?.purpose);
    if (!userId || !agencyId || !tokenId || tokenPurpose !== purpose) return null;
    return { userId, agencyId, tokenId, purpose };
  }
}
