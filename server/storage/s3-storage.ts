// The production storage driver for any S3-compatible service (Supabase Storage, MinIO, S3 itself):
// presigned, path-style URLs (`{endpoint}/{bucket}/{key}`) signed with SigV4 here, so the access key
// stays on the server and clients only ever see a URL that expires.
import type { ObjectStorage, UploadUrl, UploadUrlOptions } from './object-storage.js';
import { assertStorageKey, assertStoragePrefix } from './object-storage.js';
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

  /**
   * Lists the prefix (ListObjectsV2, page by page) and deletes each object with a presigned DELETE.
   * One request per object rather than DeleteObjects: that call needs a signed Content-MD5 body, and
   * a member's raw pages are a handful of objects.
   */
  async deletePrefix(prefix: string): Promise<number> {
    assertStoragePrefix(prefix);
    let deleted = 0;
    let continuation: string | undefined;
    do {
      const query: Record<string, string> = { 'list-type': '2', prefix };
      if (continuation) query['continuation-token'] = continuation;
      const listUrl = presignUrl({
        method: 'GET',
        url: `${this.options.endpoint}/${this.options.bucket}`,
        region: this.options.region,
        accessKeyId: this.options.accessKeyId,
        secretAccessKey: this.options.secretAccessKey,
        date: this.clock(),
        expiresSeconds: READ_URL_SECONDS,
        query,
      });
      const listing = await fetch(listUrl, { signal: AbortSignal.timeout(30_000) });
      if (!listing.ok) throw new Error(`object storage answered HTTP ${listing.status} listing ${prefix}`);
      const xml = await listing.text();
      const keys = [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((match) => decodeXml(match[1]!));
      for (const key of keys) {
        if (!key.startsWith(prefix)) continue;
        const response = await fetch(this.presign('DELETE', key, this.clock(), READ_URL_SECONDS), {
          method: 'DELETE',
          signal: AbortSignal.timeout(30_000),
        });
        if (!response.ok && response.status !== 404) {
          throw new Error(`object storage answered HTTP ${response.status} deleting ${key}`);
        }
        deleted++;
      }
      continuation = /<IsTruncated>true<\/IsTruncated>/.test(xml)
        ? decodeXml(/<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml)?.[1] ?? '')
        : undefined;
    } while (continuation);
    return deleted;
  }

  /** The object's path-style URL, presigned. */
  objectUrl(key: string): string {
    return `${this.options.endpoint}/${this.options.bucket}/${key}`;
  }

  private presign(
    method: 'GET' | 'PUT' | 'DELETE',
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

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
