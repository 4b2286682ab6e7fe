// The default storage driver: objects are files under `config.storage.root`, written only through
// the server's own upload route with HMAC-signed, expiring, single-use URLs — the same contract a
// presigned S3 URL gives a client, plus the size limit and single use S3 PUT URLs cannot enforce.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { conflict, DomainError, forbidden, gone } from '../errors/domain-errors.js';
import {
  assertStorageKey,
  assertStoragePrefix,
  StorageKeyError,
  type ObjectStorage,
  type UploadUrl,
  type UploadUrlOptions,
} from './object-storage.js';
import type { UploadGrant, UploadGrantsRepository } from './upload-grants.repository.js';
import { signUpload, uploadSignatureMatches } from './upload-signature.js';

/** The upload route's body limit; a grant may ask for less, never more. */
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;

export const UPLOAD_ROUTE = '/api/v2/storage/upload';

export interface LocalStorageOptions {
  root: string;
  /** Base URL clients reach this server at (`config.publicUrl`). */
  publicUrl: string;
  signingKey: Buffer;
  grants: UploadGrantsRepository;
  ttlSeconds: number;
  clock?: () => Date;
}

/** What an upload says about itself before its body: its URL and headers. */
export interface UploadRequest {
  grantId: string;
  expires: number;
  signature: string;
  contentType: string | undefined;
  /** The Content-Length header, when the client sent one. */
  declaredBytes?: number;
}

export interface UploadAttempt extends UploadRequest {
  body: Buffer;
}

function assertWithinGrant(bytes: number, grant: UploadGrant): void {
  if (bytes > grant.maxBytes) {
    throw new DomainError('too_large', `${bytes} bytes exceed this upload URL's limit of ${grant.maxBytes}`, {
      field: '',
    });
  }
}

/** The media type without parameters, lower-cased: `Application/JSON; charset=utf-8` → `application/json`. */
function mediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

export class LocalObjectStorage implements ObjectStorage {
  readonly driver = 'local' as const;
  private readonly root: string;
  private readonly clock: () => Date;

  constructor(private readonly options: LocalStorageOptions) {
    this.root = path.resolve(options.root);
    this.clock = options.clock ?? (() => new Date());
  }

  async createUploadUrl(key: string, { contentType, maxBytes }: UploadUrlOptions): Promise<UploadUrl> {
    assertStorageKey(key);
    if (!Number.isInteger(maxBytes) || maxBytes < 1 || maxBytes > MAX_UPLOAD_BYTES) {
      throw new RangeError(`maxBytes must be an integer from 1 to ${MAX_UPLOAD_BYTES}`);
    }
    const now = this.clock();
    const expires = Math.floor(now.getTime() / 1000) + this.options.ttlSeconds;
    const expiresAt = new Date(expires * 1000);
    const id = randomUUID();
    await this.options.grants.deleteExpiredBefore(new Date(now.getTime() - 86_400_000));
    await this.options.grants.insert({ id, objectKey: key, contentType: mediaType(contentType), maxBytes, expiresAt });
    const signature = signUpload(this.options.signingKey, id, expires);
    return {
      url: `${this.options.publicUrl}${UPLOAD_ROUTE}/${id}?expires=${expires}&signature=${signature}`,
      method: 'PUT',
      headers: { 'content-type': contentType },
      expiresAt,
    };
  }

  async getObject(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.fileFor(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Removes the prefix's folder with everything under it (half-written `.part` files included). */
  async deletePrefix(prefix: string): Promise<number> {
    assertStoragePrefix(prefix);
    const folder = this.fileFor(prefix.slice(0, -1));
    let objects = 0;
    try {
      const entries = await readdir(folder, { recursive: true, withFileTypes: true });
      objects = entries.filter((entry) => entry.isFile() && !entry.name.endsWith('.part')).length;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    await rm(folder, { recursive: true, force: true });
    return objects;
  }

  /** Checks an upload against its URL and grant, then writes it. */
  async acceptUpload(attempt: UploadAttempt): Promise<{ bytes: number }> {
    const grant = await this.authorizeUpload(attempt);
    return this.storeUpload(grant, attempt.body);
  }

  /**
   * Everything that can be checked before the body is read: signature, expiry, grant, content type and
   * declared size. The upload route runs it first, so a forged, spent or oversize upload is refused
   * without the server reading (or buffering) a byte of its body. Every refusal is a DomainError naming
   * what is wrong; checks that need no database come first.
   */
  async authorizeUpload(request: UploadRequest): Promise<UploadGrant> {
    if (!uploadSignatureMatches(this.options.signingKey, request.grantId, request.expires, request.signature)) {
      throw forbidden('signature', 'does not match this upload URL');
    }
    const now = this.clock();
    if (request.expires * 1000 <= now.getTime()) {
      throw gone('expires', `this upload URL expired at ${new Date(request.expires * 1000).toISOString()}`);
    }
    const grant = await this.options.grants.find(request.grantId);
    if (!grant) throw gone('grantId', 'this upload URL no longer exists');
    if (grant.usedAt) throw conflict('grantId', 'this upload URL was already used; ask for a new one');
    if (!request.contentType || mediaType(request.contentType) !== grant.contentType) {
      throw new DomainError('unsupported_media_type', `this upload URL accepts ${grant.contentType} only`, {
        field: 'content-type',
      });
    }
    if (request.declaredBytes !== undefined) assertWithinGrant(request.declaredBytes, grant);
    try {
      this.fileFor(grant.objectKey);
    } catch (error) {
      if (error instanceof StorageKeyError) throw new DomainError('malformed', error.message);
      throw error;
    }
    return grant;
  }

  /** Writes the body of an authorised upload; the claim comes last so a refused upload leaves the URL usable. */
  async storeUpload(grant: UploadGrant, body: Buffer): Promise<{ bytes: number }> {
    assertWithinGrant(body.length, grant);
    const file = this.fileFor(grant.objectKey);
    if (!(await this.options.grants.claim(grant.id, this.clock()))) {
      throw conflict('grantId', 'this upload URL was already used; ask for a new one');
    }
    try {
      await mkdir(path.dirname(file), { recursive: true });
      // Write aside, then rename: a reader never sees half an object.
      const temporary = `${file}.${randomUUID()}.part`;
      await writeFile(temporary, body, { flag: 'wx' });
      await rename(temporary, file).catch(async (error: unknown) => {
        await rm(temporary, { force: true });
        throw error;
      });
    } catch (error) {
      await this.options.grants.release(grant.id);
      throw error;
    }
    return { bytes: body.length };
  }

  /** The file of a key; the key rules already exclude traversal, the containment check is the backstop. */
  private fileFor(key: string): string {
    assertStorageKey(key);
    const file = path.resolve(this.root, ...key.split('/'));
    if (!file.startsWith(this.root + path.sep))
      throw new StorageKeyError(`key: "${key}" resolves outside the storage root`);
    return file;
  }
}
