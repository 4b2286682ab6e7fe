// Signatures of the local driver's upload URLs: HMAC-SHA256 over the grant id and expiry, keyed by a
// key derived from the secrets key (HKDF), so the AES key is never used for anything but AES.
// Verification compares in constant time, so timing says nothing about how close a guess was.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

const SIGNING_KEY_INFO = 'sde/storage-upload-url/v1';

export function deriveUploadSigningKey(secretsKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secretsKey, Buffer.alloc(0), SIGNING_KEY_INFO, 32));
}

/** Hex HMAC of what an upload URL grants: one PUT to this grant until `expiresEpochSeconds`. */
export function signUpload(signingKey: Buffer, grantId: string, expiresEpochSeconds: number): string {
  return createHmac('sha256', signingKey).update(`v1\nPUT\n${grantId}\n${expiresEpochSeconds}`, 'utf8').digest('hex');
}

export function uploadSignatureMatches(
  signingKey: Buffer,
  grantId: string,
  expiresEpochSeconds: number,
  signature: string,
): boolean {
  const expected = Buffer.from(signUpload(signingKey, grantId, expiresEpochSeconds), 'hex');
  const given = Buffer.from(signature, 'hex');
  // Buffer.from(hex) stops at the first non-hex pair: a shorter buffer is simply a mismatch.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
