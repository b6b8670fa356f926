import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `plk_3f9a0c1d2e4b_<43 characters>`: a fixed prefix that tells them from
 * JWTs and that secret scanners can match, a short public id (12 hex characters, shown in the
 * key list) that finds a leaked key, and a secret of 32 random bytes in base64url.
 */
export const API_KEY_PREFIX = 'plk_';

const PUBLIC_ID_BYTES = 6;
const SECRET_BYTES = 32;
const API_KEY_FORMAT = /^plk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** A new key: the whole key (shown once), and what is stored of it. */
export interface IssuedApiKey {
  readonly key: string;
  readonly publicId: string;
  readonly secretHash: string;
}

/** The parts of a well-formed key. */
export interface ApiKeyParts {
  readonly publicId: string;
  readonly secret: string;
}

/**
 * SHA-256 of the secret, in hex. A plain fast hash is right here, unlike for passwords: the
 * secret is 256 random bits, so no dictionary or brute force can invert its digest and a slow
 * hash (argon2, scrypt) would only cost every request its time.
 */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function issueApiKey(): IssuedApiKey {
  const publicId = randomBytes(PUBLIC_ID_BYTES).toString('hex');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { key: `${API_KEY_PREFIX}${publicId}_${secret}`, publicId, secretHash: hashApiKeySecret(secret) };
}

/** Whether a bearer token is meant as an API key (then it is never tried as a JWT). */
export function isApiKeyToken(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

/** The public id and secret of a well-formed key; null for anything else. */
export function parseApiKey(token: string): ApiKeyParts | null {
  const match = API_KEY_FORMAT.exec(token);
  if (!match?.[1] || !match[2]) return null;
  return { publicId: match[1], secret: match[2] };
}

/** Whether `secret` hashes to `storedHash`, compared in constant time (no timing hint of how much of the digest matched). */
export function apiKeySecretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashApiKeySecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
