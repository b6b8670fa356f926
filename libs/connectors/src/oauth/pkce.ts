import { createHash, randomBytes } from 'node:crypto';

/**
 * A PKCE verifier and its S256 challenge (RFC 7636 §4.1–4.2): 32 random bytes in base64url make
 * a 43-character verifier, the shortest the RFC allows, with 256 bits of entropy.
 */
export function createPkcePair(): { readonly verifier: string; readonly challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Hex SHA-256, how `state` is kept (a leaked row does not give a usable state). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A connect link's `state`: `<agency id>.<32 random bytes, base64url>`. The callback arrives
 * without a session; the agency id says whose tenant to look the state up in (its hash is only
 * found there), the random part is the unguessable proof (RFC 6749 §10.12).
 */
export function createState(agencyId: string): { readonly state: string; readonly hash: string } {
  const state = `${agencyId}.${randomBytes(32).toString('base64url')}`;
  return { state, hash: sha256Hex(state) };
}

/** The agency id of a `state`, or null when it does not have the shape {@link createState} gives. */
export function agencyOfState(state: string): string | null {
  const match = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[A-Za-z0-9_-]{43}$/.exec(state);
  return match === null ? null : match[1];
}
