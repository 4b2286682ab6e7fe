// The S3 driver's presigned URLs: path-style under the endpoint's own path (Supabase serves S3 at
// /storage/v1/s3), the content type signed, the expiry as configured, and reads through a presigned
// GET against a local stand-in for the bucket.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageKeyError } from './object-storage.js';
import { S3ObjectStorage } from './s3-storage.js';
import { presignUrl } from './sigv4.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const now = new Date('2026-03-01T12:00:00Z');

describe('S3ObjectStorage', () => {
  let server: http.Server;
  let endpoint: string;
  const seen: string[] = [];

  beforeAll(async () => {
    // A bucket holding one object that only answers requests carrying a valid presigned signature.
    server = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', endpoint);
      seen.push(url.pathname);
      const expected = presignUrl({
        method: 'GET',
        url: `${url.origin}${url.pathname}`,
        region: 'eu-central-1',
        ...credentials,
        date: now,
        expiresSeconds: Number(url.searchParams.get('X-Amz-Expires')),
      });
      if (new URL(expected).searchParams.get('X-Amz-Signature') !== url.searchParams.get('X-Amz-Signature')) {
        response.writeHead(403).end('<Error><Code>SignatureDoesNotMatch</Code></Error>');
        return;
      }
      if (url.pathname.endsWith('/favorites_raw/spotify/m1/1.json')) response.writeHead(200).end('{"items":[]}');
      else response.writeHead(404).end('<Error><Code>NoSuchKey</Code></Error>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/storage/v1/s3`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const storage = () =>
    new S3ObjectStorage({
      endpoint,
      bucket: 'sde-raw',
      region: 'eu-central-1',
      ...credentials,
      ttlSeconds: 900,
      clock: () => now,
    });

  it('presigns a path-style PUT with the content type signed and the configured expiry', async () => {
    const upload = await storage().createUploadUrl('favorites_raw/spotify/m1/2.json', {
      contentType: 'application/json',
      maxBytes: 1024,
    });
    const url = new URL(upload.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${endpoint}/sde-raw/favorites_raw/spotify/m1/2.json`);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20260301/eu-central-1/s3/aws4_request');
    expect(upload.url).not.toContain(credentials.secretAccessKey);
    expect(upload.headers).toEqual({ 'content-type': 'application/json' });
    expect(upload.expiresAt.toISOString()).toBe('2026-03-01T12:15:00.000Z');
  });

  it('reads an object through a presigned GET, and null for a missing one', async () => {
    expect((await storage().getObject('favorites_raw/spotify/m1/1.json'))?.toString()).toBe('{"items":[]}');
    expect(await storage().getObject('favorites_raw/spotify/m1/missing.json')).toBeNull();
    expect(seen).toContain('/storage/v1/s3/sde-raw/favorites_raw/spotify/m1/1.json');
  });

  it('refuses keys outside the allowed prefixes before signing anything', async () => {
    await expect(
      storage().createUploadUrl('../other-bucket/x', { contentType: 'application/json', maxBytes: 1 }),
    ).rejects.toThrow(StorageKeyError);
  });
});
