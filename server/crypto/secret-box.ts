// Encrypts small secrets kept in the database (connector refresh and access tokens) with AES-256-GCM
// under `config.secretsKey`. A sealed value is `version (1 byte) | IV (12) | tag (16) | ciphertext`:
// the version byte lets a later key or cipher be introduced without guessing what old rows hold, a
// fresh random IV per message keeps GCM safe, and the tag makes any tampering (or a wrong key) fail
// loudly instead of returning garbage. An optional context (e.g. `spotify:refresh:<member>`) is bound
// as associated data, so a sealed token copied onto another member's row does not open there.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION_AES_256_GCM = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/** A sealed value that cannot be opened: tampered, sealed under another key or context, or unknown. */
export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new SecretBoxError(`AES-256-GCM needs a 32-byte key (got ${key.length} bytes)`);
  }

  seal(plaintext: string, context = ''): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION_AES_256_GCM]), iv, cipher.getAuthTag(), ciphertext]);
  }

  open(sealed: Uint8Array, context = ''): string {
    const bytes = Buffer.from(sealed);
    if (bytes.length < HEADER_BYTES) throw new SecretBoxError('sealed value is too short to be one');
    if (bytes[0] !== VERSION_AES_256_GCM) throw new SecretBoxError(`sealed value has unknown version ${bytes[0]}`);
    const iv = bytes.subarray(1, 1 + IV_BYTES);
    const tag = bytes.subarray(1 + IV_BYTES, HEADER_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(bytes.subarray(HEADER_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      // GCM does not say why; all three causes mean the same to the caller: this value is unusable.
      throw new SecretBoxError('sealed value failed authentication (tampered, wrong key or wrong context)');
    }
  }
}
