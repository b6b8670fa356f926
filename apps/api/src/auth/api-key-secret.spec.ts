import { API_KEY_PREFIX, apiKeySecretMatches, hashApiKeySecret, isApiKeyToken, issueApiKey, parseApiKey } from './api-key-secret';

describe('API key secrets', () => {
  it('issues a prefixed key whose parts parse back and whose stored hash is not the secret', () => {
    const issued = issueApiKey();
    expect(issued.key.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(isApiKeyToken(issued.key)).toBe(true);
    const parts = parseApiKey(issued.key);
    expect(parts?.publicId).toBe(issued.publicId);
    expect(parts?.secret).toHaveLength(43);
    expect(Buffer.from(parts?.secret ?? '', 'base64url')).toHaveLength(32);
    expect(issued.secretHash).toBe(hashApiKeySecret(parts?.secret ?? ''));
    expect(issued.secretHash).not.toContain(parts?.secret ?? '?');
    expect(apiKeySecretMatches(parts?.secret ?? '', issued.secretHash)).toBe(true);
  });

  it('never issues the same key twice', () => {
    const keys = new Set(Array.from({ length: 200 }, () => issueApiKey().key));
    expect(keys.size).toBe(200);
  });

  it('refuses a secret one character off, and a malformed stored hash', () => {
    const issued = issueApiKey();
    const secret = parseApiKey(issued.key)?.secret ?? '';
    const altered = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect(apiKeySecretMatches(altered, issued.secretHash)).toBe(false);
    expect(apiKeySecretMatches(secret, 'abc')).toBe(false);
  });

  it.each([
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig'],
    ['the prefix alone', 'plk_'],
    ['a short secret', `plk_0123456789ab_${'a'.repeat(42)}`],
    ['a long secret', `plk_0123456789ab_${'a'.repeat(44)}`],
    ['an upper-case public id', `plk_0123456789AB_${'a'.repeat(43)}`],
    ['a character outside base64url', `plk_0123456789ab_${'a'.repeat(42)}=`],
    ['trailing text', `plk_0123456789ab_${'a'.repeat(43)} x`],
  ])('does not parse %s', (_label, token) => {
    expect(parseApiKey(token)).toBeNull();
  });
});
