import { randomBytes } from 'node:crypto';
import { TokenCipher, TokenDecryptionError } from './token-cipher';

describe(TokenCipher.name, () => {
  const current = { id: 'k2', key: randomBytes(32) };
  const retired = { id: 'k1', key: randomBytes(32) };

  it('opens what it sealed, and the ciphertext does not contain the secret', () => {
    const cipher = new TokenCipher([current]);
    const sealed = cipher.seal('ya29.secret-access-token', 'connection:a:b');
    expect(sealed.keyId).toBe('k2');
    expect(sealed.ciphertext.includes(Buffer.from('secret-access-token'))).toBe(false);
    expect(cipher.open(sealed, 'connection:a:b')).toBe('ya29.secret-access-token');
  });

  it('refuses a ciphertext moved to another row (associated data) or tampered with', () => {
    const cipher = new TokenCipher([current]);
    const sealed = cipher.seal('token', 'connection:a:b');
    expect(() => cipher.open(sealed, 'connection:other-agency:b')).toThrow(TokenDecryptionError);
    const tampered = Buffer.from(sealed.ciphertext);
    tampered[tampered.length - 1] ^= 1;
    expect(() => cipher.open({ ...sealed, ciphertext: tampered }, 'connection:a:b')).toThrow(TokenDecryptionError);
  });

  it('decrypts with a retired key after rotation and encrypts with the new one', () => {
    const before = new TokenCipher([retired]).seal('token', 'x');
    const rotated = new TokenCipher([current, retired]);
    expect(rotated.open(before, 'x')).toBe('token');
    expect(rotated.seal('token', 'x').keyId).toBe('k2');
    expect(() => new TokenCipher([current]).open(before, 'x')).toThrow(/key "k1" is not configured/);
  });
});
