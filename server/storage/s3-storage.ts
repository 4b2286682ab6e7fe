// The production storage driver for any S3-compatible service (Supabase Storage, MinIO, S3 itself):
// presigned, path-style URLs (`{endpoint}/{bucket}/{key}`) signed with SigV4 here, so the access key
// stays on the server and clients only ever see a URL that expires.
import type { ObjectStorage, UploadUrl, UploadUrlOptions } from './object-storage.js';
import { assertStorageKey } from './object-storage.js';
import { presignUrl } from './sigv4.js';

export interface S3StorageOptions {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  ttlSeconds: number;
  clock?: () => Date;
}

/** How long the server's own read URLs live: it uses them at once. */
const READ_URL_SECONDS = 60;

export class S3ObjectStorage implements ObjectStorage {
  readonly driver = 's3' as const;
  private readonly clock: () => Date;

  constructor(private readonly options: S3StorageOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * A presigned PUT. The content type is a signed header, so the uploader must send exactly it.
   * S3 cannot bound a PUT's size from the URL: `maxBytes` is left to the bucket's file-size limit.
   */
  async createUploadUrl(key: string, { contentType }: UploadUrlOptions): Promise<UploadUrl> {
    assertStorageKey(key);
    const now = this.clock();
    return {
      url: this.presign('PUT', key, now, this.options.ttlSeconds, { 'content-type': contentType }),
      method: 'PUT',
      headers: { 'content-type': contentType },
      expiresAt: new Date(now.getTime() + this.options.ttlSeconds * 1000),
    };
  }

  async getObject(key: string): Promise<Buffer | null> {
    assertStorageKey(key);
    const response = await fetch(this.presign('GET', key, this.clock(), READ_URL_SECONDS), {
      signal: AbortSignal.timeout(30_000),
    });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`object storage answered HTTP ${response.status} reading ${key}`);
    return Buffer.from(await response.arrayBuffer());
  }

  /** The object's path-style URL, presigned. */
  objectUrl(key: string): string {
    return `${this.options.endpoint}/${this.options.bucket}/${key}`;
  }

  private presign(
    method: 'GET' | 'PUT',
    key: string,
    date: Date,
    expiresSeconds: number,
    signedHeaders?: Record<string, string>,
  ): string {
    return presignUrl({
      method,
      url: this.objectUrl(key),
      region: this.options.region,
      accessKeyId: this.options.accessKeyId,
      secretAccessKey: this.options.secretAccessKey,
      date,
      expiresSeconds,
      signedHeaders,
    });
  }
}
