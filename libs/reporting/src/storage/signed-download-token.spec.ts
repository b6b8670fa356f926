import { createSignedDownloadToken, DownloadTokenError, verifySignedDownloadToken } from './signed-download-token';

const secret = 'a-test-secret-of-at-least-32-bytes!!';
const now = new Date('2026-11-02T09:00:00Z');
const inFiveMinutes = new Date(now.getTime() + 5 * 60_000);

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof DownloadTokenError) return error.code;
    throw error;
  }
  return 'NO_ERROR';
}

describe(createSignedDownloadToken.name, () => {
  it('round-trips the key and expiry of a valid token', () => {
    const token = createSignedDownloadToken({ key: 'agency/client/2026-10.pdf', expiresAt: inFiveMinutes, secret });

    expect(verifySignedDownloadToken(token, secret, now)).toEqual({ key: 'agency/client/2026-10.pdf', expiresAt: inFiveMinutes });
    const withChecksum = createSignedDownloadToken({ key: 'agency/client/2026-10.pdf', expiresAt: inFiveMinutes, secret, checksum: 'ab12' });
    expect(verifySignedDownloadToken(withChecksum, secret, now)).toEqual({ key: 'agency/client/2026-10.pdf', expiresAt: inFiveMinutes, checksum: 'ab12' });
  });

  it('refuses a token whose payload was changed', () => {
    const token = createSignedDownloadToken({ key: 'agency/client/2026-10.pdf', expiresAt: inFiveMinutes, secret });
    const [, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ k: 'other-agency/client/2026-10.pdf', e: inFiveMinutes.getTime() })).toString('base64url');

    expect(codeOf(() => verifySignedDownloadToken(`${forged}.${signature ?? ''}`, secret, now))).toBe('BAD_SIGNATURE');
  });

  it('refuses a token signed with another secret, a truncated signature and garbage', () => {
    const token = createSignedDownloadToken({ key: 'a/b.pdf', expiresAt: inFiveMinutes, secret });

    expect(codeOf(() => verifySignedDownloadToken(token, `${secret}x`, now))).toBe('BAD_SIGNATURE');
    expect(codeOf(() => verifySignedDownloadToken(token.slice(0, -2), secret, now))).toBe('BAD_SIGNATURE');
    expect(codeOf(() => verifySignedDownloadToken('not-a-token', secret, now))).toBe('MALFORMED');
    expect(codeOf(() => verifySignedDownloadToken(`${token}.extra`, secret, now))).toBe('MALFORMED');
  });

  it('refuses a token at and after its expiry', () => {
    const token = createSignedDownloadToken({ key: 'a/b.pdf', expiresAt: inFiveMinutes, secret });

    expect(codeOf(() => verifySignedDownloadToken(token, secret, new Date(inFiveMinutes.getTime() - 1)))).toBe('NO_ERROR');
    expect(codeOf(() => verifySignedDownloadToken(token, secret, inFiveMinutes))).toBe('EXPIRED');
  });

  it('refuses a weak secret and an unsafe key', () => {
    expect(codeOf(() => createSignedDownloadToken({ key: 'a/b.pdf', expiresAt: inFiveMinutes, secret: 'short' }))).toBe('WEAK_SECRET');
    expect(() => createSignedDownloadToken({ key: '../b.pdf', expiresAt: inFiveMinutes, secret })).toThrow('Invalid report storage key');
  });
});
