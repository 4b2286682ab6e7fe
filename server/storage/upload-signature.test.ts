// Upload-URL signatures: stable for the same grant, different for any other grant, expiry or key.
import { describe, expect, it } from 'vitest';
import { deriveUploadSigningKey, signUpload, uploadSignatureMatches } from './upload-signature.js';

const key = deriveUploadSigningKey(Buffer.alloc(32, 7));
const grant = '0b7c2f4e-8a55-4c1e-9d0b-6f1f4d2a9e10';

describe('upload signatures', () => {
  it('verifies its own signature', () => {
    const signature = signUpload(key, grant, 1_900_000_000);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(uploadSignatureMatches(key, grant, 1_900_000_000, signature)).toBe(true);
  });

  it('refuses another expiry, grant, key, a flipped character and a truncated signature', () => {
    const signature = signUpload(key, grant, 1_900_000_000);
    const flipped = (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1);
    expect(uploadSignatureMatches(key, grant, 1_900_000_001, signature)).toBe(false);
    expect(uploadSignatureMatches(key, grant.replace('0b7c', '0b7d'), 1_900_000_000, signature)).toBe(false);
    expect(uploadSignatureMatches(deriveUploadSigningKey(Buffer.alloc(32, 8)), grant, 1_900_000_000, signature)).toBe(
      false,
    );
    expect(uploadSignatureMatches(key, grant, 1_900_000_000, flipped)).toBe(false);
    expect(uploadSignatureMatches(key, grant, 1_900_000_000, signature.slice(0, 62))).toBe(false);
  });

  it('derives a signing key different from the secrets key', () => {
    expect(key.equals(Buffer.alloc(32, 7))).toBe(false);
    expect(key).toHaveLength(32);
  });
});
