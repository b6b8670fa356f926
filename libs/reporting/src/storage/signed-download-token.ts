import { createHmac, timingSafeEqual } from 'node:crypto';
import { assertReportKey } from './report-key';

export const DOWNLOAD_TOKEN_ERROR_CODES = ['MALFORMED', 'BAD_SIGNATURE', 'EXPIRED', 'WEAK_SECRET'] as const;
export type DownloadTokenErrorCode = (typeof DOWNLOAD_TOKEN_ERROR_CODES)[number];

/** A download token that cannot be trusted (or a secret too weak to sign one). */
export class DownloadTokenError extends Error {
  override readonly name = 'DownloadTokenError';

  constructor(
    readonly code: DownloadTokenErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SignedDownloadClaims {
  readonly key: string;
  readonly expiresAt: Date;
  /**
   * The SHA-256 of the PDF the link was made for. A report re-rendered under the same storage
   * key (a commentary edit) gets a new checksum, and the download route refuses older links.
   */
  readonly checksum?: string;
}

/** HMAC-SHA256 wants a key at least as long as its output. */
const MIN_SECRET_BYTES = 32;
/**
 * Mixed into what is signed so that a MAC made with the same secret for another purpose
 * (a session token, a webhook) can never pass for a download token.
 */
const PURPOSE = 'pilotage.report-download.v1';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function secretBytes(secret: string | Buffer): Buffer {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new DownloadTokenError('WEAK_SECRET', `The download token secret must have at least ${MIN_SECRET_BYTES} bytes`);
  }
  return bytes;
}

function sign(payload: string, secret: Buffer): Buffer {
  return createHmac('sha256', secret).update(`${PURPOSE}.${payload}`).digest();
}

/**
 * `<base64url(JSON {k, e, c?})>.<base64url(HMAC-SHA256)>`: self-contained, so the download route
 * needs no database lookup to refuse a forged or expired link. Keep the expiry short (minutes);
 * the checksum `c` lets the route refuse a link to an earlier rendering of the same file.
 */
export function createSignedDownloadToken(params: { key: string; expiresAt: Date; secret: string | Buffer; checksum?: string }): string {
  assertReportKey(params.key);
  const expiresAtMs = params.expiresAt.getTime();
  if (!Number.isFinite(expiresAtMs)) throw new DownloadTokenError('MALFORMED', 'expiresAt is not a valid date');
  const claims = params.checksum === undefined ? { k: params.key, e: expiresAtMs } : { k: params.key, e: expiresAtMs, c: params.checksum };
  const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${payload}.${sign(payload, secretBytes(params.secret)).toString('base64url')}`;
}

/** Returns the claims of an authentic, unexpired token; throws DownloadTokenError otherwise. */
export function verifySignedDownloadToken(token: string, secret: string | Buffer, now: Date): SignedDownloadClaims {
  const key = secretBytes(secret);
  const parts = token.split('.');
  const [payload, signature] = parts;
  if (parts.length !== 2 || payload === undefined || signature === undefined || !BASE64URL.test(payload) || !BASE64URL.test(signature)) {
    throw new DownloadTokenError('MALFORMED', 'The download token is malformed');
  }
  const expected = sign(payload, key);
  const given = Buffer.from(signature, 'base64url');
  // Constant-time comparison: a byte-by-byte early exit would let an attacker time its way
  // to a valid signature. The length check leaks only the (public) MAC length.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new DownloadTokenError('BAD_SIGNATURE', 'The download token signature is invalid');
  }
  // Parsed only once authenticated: we never interpret attacker-controlled JSON.
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new DownloadTokenError('MALFORMED', 'The download token payload is malformed');
  }
  if (typeof claims !== 'object' || claims === null || !('k' in claims) || !('e' in claims)) {
    throw new DownloadTokenError('MALFORMED', 'The download token payload is malformed');
  }
  const { k, e } = claims;
  if (typeof k !== 'string' || typeof e !== 'number' || !Number.isFinite(e)) {
    throw new DownloadTokenError('MALFORMED', 'The download token payload is malformed');
  }
  const c = 'c' in claims ? claims.c : undefined;
  if (c !== undefined && typeof c !== 'string') throw new DownloadTokenError('MALFORMED', 'The download token payload is malformed');
  if (now.getTime() >= e) throw new DownloadTokenError('EXPIRED', 'The download link has expired');
  return c === undefined ? { key: k, expiresAt: new Date(e) } : { key: k, expiresAt: new Date(e), checksum: c };
}
