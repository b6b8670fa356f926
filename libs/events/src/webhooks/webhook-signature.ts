import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header carrying a JSON delivery's signature. */
export const SIGNATURE_HEADER = 'Pilotage-Signature';
/** The header naming the event type (`import.completed`, ...). */
export const EVENT_HEADER = 'Pilotage-Event';
/** The header carrying the delivery's id (stable across its retries). */
export const DELIVERY_HEADER = 'Pilotage-Delivery';

/** Seconds a receiver should accept between `t` and its own clock: 5 minutes, as Stripe recommends for the same scheme. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = 'whsec_';

/** A new endpoint secret: 32 random bytes, base64url, prefixed so it is recognizable in a secret scanner. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * `Pilotage-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` (the
 * scheme of Stripe's `Stripe-Signature`). Signing the timestamp with the body lets a receiver
 * refuse a replayed delivery: it checks that `t` is within its tolerance of its own clock.
 *
 * How a receiver verifies (any language):
 *  1. read the RAW request body (before any JSON parsing: re-serializing changes bytes);
 *  2. split the header on `,`, take `t` and every `v1` (several while a secret is rotated);
 *  3. compute hex HMAC-SHA256 with the endpoint secret (the whole `whsec_...` string, as UTF-8)
 *     over `${t}.${rawBody}`, compare it with a constant-time comparison to each `v1`;
 *  4. refuse when |now − t| > 300 seconds ({@link SIGNATURE_TOLERANCE_SECONDS}).
 * {@link verifyWebhookSignature} does exactly this.
 */
export function signatureHeader(secret: string, timestampSeconds: number, rawBody: string): string {
  return `t=${timestampSeconds},v1=${hmacHex(secret, timestampSeconds, rawBody)}`;
}

function hmacHex(secret: string, timestampSeconds: number | string, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`, 'utf8').digest('hex');
}

export type SignatureCheck = { readonly valid: true } | { readonly valid: false; readonly reason: string };

/** A receiver's check of {@link signatureHeader} (used by our tests, and the reference for the docs). */
export function verifyWebhookSignature(
  header: string | undefined,
  secret: string,
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
  if (header === undefined || header === '') return { valid: false, reason: `no ${SIGNATURE_HEADER} header` };
  const parts = header.split(',').map((part) => part.trim().split('=', 2));
  const timestamp = parts.find(([key]) => key === 't')?.[1];
  const signatures = parts.filter(([key]) => key === 'v1').map(([, value]) => value ?? '');
  if (timestamp === undefined || !/^\d+$/.test(timestamp)) return { valid: false, reason: 'no timestamp t' };
  if (signatures.length === 0) return { valid: false, reason: 'no v1 signature' };
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return { valid: false, reason: 'timestamp outside the tolerance' };
  const expected = Buffer.from(hmacHex(secret, timestamp, rawBody), 'hex');
  const matches = signatures.some((signature) => {
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { valid: true } : { valid: false, reason: 'signature mismatch' };
}
