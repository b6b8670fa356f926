import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A key of CONNECTOR_TOKEN_KEYS: an id stored beside each ciphertext, and 32 bytes. */
export interface TokenKey {
  readonly id: string;
  readonly key: Buffer;
}

/** A ciphertext and the id of the key that made it, as a row stores them. */
export interface SealedSecret {
  readonly ciphertext: Buffer;
  readonly keyId: string;
}

export class TokenDecryptionError extends Error {
  constructor(reason: string) {
    super(`Stored secret cannot be decrypted: ${reason}`);
    this.name = 'TokenDecryptionError';
  }
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts the platform tokens of data connections at rest: AES-256-GCM (authenticated), a
 * fresh 96-bit IV per encryption (NIST SP 800-38D's recommended IV length), stored as
 * IV ‖ tag ‖ ciphertext. The associated data binds a ciphertext to its row (`agencyId:rowId`):
 * copied into another agency's or connection's row, it no longer decrypts. The first key
 * encrypts; every key decrypts, so a key is rotated by putting a new one first.
 */
export class TokenCipher {
  private readonly byId: ReadonlyMap<string, Buffer>;

  constructor(private readonly keys: readonly TokenKey[]) {
    if (keys.length === 0) throw new Error('TokenCipher needs at least one key');
    for (const { id, key } of keys) {
      if (key.length !== 32) throw new Error(`Token key "${id}" must be 32 bytes`);
    }
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  /** The id of the key new secrets are sealed with. */
  get currentKeyId(): string {
    return this.keys[0].id;
  }

  seal(plaintext: string, associatedData: string): SealedSecret {
    const { id, key } = this.keys[0];
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]), keyId: id };
  }

  open(sealed: SealedSecret, associatedData: string): string {
    const key = this.byId.get(sealed.keyId);
    if (key === undefined) throw new TokenDecryptionError(`key "${sealed.keyId}" is not configured (CONNECTOR_TOKEN_KEYS)`);
    if (sealed.ciphertext.length < IV_BYTES + TAG_BYTES) throw new TokenDecryptionError('ciphertext too short');
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.ciphertext.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(sealed.ciphertext.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(sealed.ciphertext.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new TokenDecryptionError('authentication failed (wrong key or tampered row)');
    }
  }
}
