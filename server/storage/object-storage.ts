// The object-storage interface raw connector payloads go through, and the rules every object key
// obeys. Writes happen only through short-lived upload URLs (what a browser or a job would PUT to),
// so no storage credential ever leaves the server.

export interface UploadUrlOptions {
  contentType: string;
  /** Largest body the URL accepts (enforced by the local driver; see docs/connectors.md for S3). */
  maxBytes: number;
}

export interface UploadUrl {
  url: string;
  method: 'PUT';
  /** Headers the uploader must send (the content type is part of what is signed). */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface ObjectStorage {
  readonly driver: 'local' | 's3';
  /** A signed, expiring URL that accepts one PUT of `key`; throws StorageKeyError for a bad key. */
  createUploadUrl(key: string, options: UploadUrlOptions): Promise<UploadUrl>;
  /** The object's bytes, or null when there is none. */
  getObject(key: string): Promise<Buffer | null>;
  /**
   * Deletes every object whose key starts with `prefix` (a folder: it must end with `/`, e.g. a
   * member's `favorites_raw/spotify/{member}/`); returns how many were deleted. Used by erasure.
   */
  deletePrefix(prefix: string): Promise<number>;
}

/** Object keys the server hands out upload URLs for; anything else is refused. */
export const ALLOWED_KEY_PREFIXES = ['favorites_raw/'] as const;

export const MAX_KEY_LENGTH = 512;

export class StorageKeyError extends Error {
  override name = 'StorageKeyError';
}

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Checks a key before it is signed or written: under an allowed prefix, plain segments only (no
 * `..`, no empty or dot segments, no backslashes or control characters), so it maps to exactly one
 * file under the local root and one object in a bucket.
 */
export function assertStorageKey(key: string): void {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new StorageKeyError(`key: must be 1 to ${MAX_KEY_LENGTH} characters`);
  }
  if (!ALLOWED_KEY_PREFIXES.some((prefix) => key.startsWith(prefix))) {
    throw new StorageKeyError(
      `key: "${key.slice(0, 80)}" is outside the allowed prefixes (${ALLOWED_KEY_PREFIXES.join(', ')})`,
    );
  }
  for (const segment of key.split('/')) {
    if (!SEGMENT.test(segment)) {
      throw new StorageKeyError(
        `key: segment "${segment.slice(0, 80)}" is not allowed (letters, digits, . _ - only; no empty or dot segments)`,
      );
    }
  }
}

/** Checks a folder prefix the way assertStorageKey checks a key (plus the trailing slash). */
export function assertStoragePrefix(prefix: string): void {
  if (!prefix.endsWith('/')) throw new StorageKeyError(`prefix: "${prefix.slice(0, 80)}" must end with "/"`);
  assertStorageKey(prefix.slice(0, -1));
}

/**
 * An id as one safe key segment: kept as is when it already is one, else base64url-encoded with a
 * prefix, so member ids such as `auth0|123` still get a folder of their own.
 */
export function keySegmentFor(id: string): string {
  return SEGMENT.test(id) && !id.startsWith('b64-') ? id : `b64-${Buffer.from(id, 'utf8').toString('base64url')}`;
}
