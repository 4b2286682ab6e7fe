// The local storage driver's signed upload URLs through the real route: a valid URL stores the body
// once; a replayed, expired, tampered, oversize, wrongly typed or badly keyed upload is a clear 4xx
// and writes nothing.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalObjectStorage } from '../../server/storage/local-storage.js';
import { StorageKeyError } from '../../server/storage/object-storage.js';
import { UploadGrantsRepository } from '../../server/storage/upload-grants.repository.js';
import { deriveUploadSigningKey, signUpload } from '../../server/storage/upload-signature.js';
import { databaseKinds } from '../support/databases.js';
import { startTestApp, TEST_SECRETS_KEY, type TestApp } from '../support/test-app.js';

const PUBLIC_URL = 'http://sde.example.test';

/** The path and query of an upload URL, for app.inject. */
function pathOf(url: string): string {
  const parsed = new URL(url);
  expect(parsed.origin).toBe(PUBLIC_URL);
  return parsed.pathname + parsed.search;
}

describe.each(databaseKinds)('signed upload URLs [%s]', (kind) => {
  let t: TestApp;
  let root: string;
  const json = { 'content-type': 'application/json' };

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'sde-storage-'));
    t = await startTestApp(kind, {
      config: { publicUrl: PUBLIC_URL, storage: { driver: 'local', root, uploadUrlTtlSeconds: 900 } },
    });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const issue = (key: string, maxBytes = 1024) =>
    t.app.engine.objectStorage.createUploadUrl(key, { contentType: 'application/json', maxBytes });
  const put = (url: string, payload: string, headers: Record<string, string> = json) =>
    t.app.inject({ method: 'PUT', url, headers, payload });

  it('stores a body uploaded through a signed URL, once', async () => {
    const upload = await issue('favorites_raw/spotify/m1/1.json');
    expect(upload.method).toBe('PUT');
    expect(upload.headers).toEqual(json);
    expect(upload.expiresAt.getTime()).toBeGreaterThan(Date.now() + 800_000);
    const url = pathOf(upload.url);
    const stored = await put(url, '{"items":[1,2,3]}');
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toEqual({ stored: true, bytes: 17 });
    expect((await t.app.engine.objectStorage.getObject('favorites_raw/spotify/m1/1.json'))?.toString()).toBe(
      '{"items":[1,2,3]}',
    );
    expect(readdirSync(path.join(root, 'favorites_raw/spotify/m1'))).toEqual(['1.json']);

    const replay = await put(url, '{"items":["replaced"]}');
    expect(replay.statusCode).toBe(409);
    expect(replay.json().message).toMatch(/^params\.grantId: this upload URL was already used/);
    expect((await t.app.engine.objectStorage.getObject('favorites_raw/spotify/m1/1.json'))?.toString()).toBe(
      '{"items":[1,2,3]}',
    );
  });

  it('refuses an expired URL with 410', async () => {
    // Issued by a driver whose clock is an hour behind: its 15-minute URL expired 45 minutes ago.
    const past = new LocalObjectStorage({
      root,
      publicUrl: PUBLIC_URL,
      signingKey: deriveUploadSigningKey(Buffer.from(TEST_SECRETS_KEY, 'base64')),
      grants: new UploadGrantsRepository(t.scratch.db),
      ttlSeconds: 900,
      clock: () => new Date(Date.now() - 3_600_000),
    });
    const upload = await past.createUploadUrl('favorites_raw/spotify/m1/expired.json', {
      contentType: 'application/json',
      maxBytes: 100,
    });
    const response = await put(pathOf(upload.url), '{}');
    expect(response.statusCode).toBe(410);
    expect(response.json().message).toMatch(/^querystring\.expires: this upload URL expired at /);
    expect(await t.app.engine.objectStorage.getObject('favorites_raw/spotify/m1/expired.json')).toBeNull();
  });

  it('refuses a tampered signature or expiry with 403, and a malformed one with 400', async () => {
    const upload = await issue('favorites_raw/spotify/m1/tampered.json');
    const url = new URL(upload.url);
    const signature = url.searchParams.get('signature')!;
    const flipped = new URL(url);
    flipped.searchParams.set('signature', (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1));
    const later = new URL(url);
    later.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 86_400));
    for (const tampered of [flipped, later]) {
      const response = await put(tampered.pathname + tampered.search, '{}');
      expect(response.statusCode).toBe(403);
      expect(response.json().message).toBe('querystring.signature: does not match this upload URL');
    }
    const malformed = new URL(url);
    malformed.searchParams.set('signature', 'not-hex');
    const response = await put(malformed.pathname + malformed.search, '{}');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^querystring\.signature /);
    // None of that used the URL up.
    expect((await put(pathOf(upload.url), '{}')).statusCode).toBe(200);
  });

  it('refuses an oversize body with 413 and a wrong content type with 415, leaving the URL usable', async () => {
    const upload = await issue('favorites_raw/spotify/m1/limits.json', 10);
    const url = pathOf(upload.url);
    const oversize = await put(url, '{"a":"1234"}');
    expect(oversize.statusCode).toBe(413);
    expect(oversize.json().message).toBe("body: 12 bytes exceed this upload URL's limit of 10");
    const wrongType = await put(url, 'hello', { 'content-type': 'text/plain' });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().message).toBe('headers.content-type: this upload URL accepts application/json only');
    expect(await t.app.engine.objectStorage.getObject('favorites_raw/spotify/m1/limits.json')).toBeNull();
    expect((await put(url, '{"a":"1"}', { 'content-type': 'application/json; charset=utf-8' })).statusCode).toBe(200);
  });

  it('refuses to sign a key outside the allowed prefixes or one that climbs out of the root', async () => {
    await expect(issue('secrets/jwt-secret')).rejects.toThrow(StorageKeyError);
    await expect(issue('secrets/jwt-secret')).rejects.toThrow(
      /^key: "secrets\/jwt-secret" is outside the allowed prefixes/,
    );
    await expect(issue('favorites_raw/../../jwt-secret')).rejects.toThrow(/segment "\.\."/);
  });

  it('refuses a grant whose key is bad even when its signature is valid (400, nothing written)', async () => {
    // A grant row that bypassed createUploadUrl: the route still checks the key before writing.
    const id = '6a0c4b8e-1f0d-4c55-9a3e-0d7f2b1c9e42';
    const expires = Math.floor(Date.now() / 1000) + 600;
    await new UploadGrantsRepository(t.scratch.db).insert({
      id,
      objectKey: 'favorites_raw/../../escaped.json',
      contentType: 'application/json',
      maxBytes: 100,
      expiresAt: new Date(expires * 1000),
    });
    const signature = signUpload(deriveUploadSigningKey(Buffer.from(TEST_SECRETS_KEY, 'base64')), id, expires);
    const response = await put(`/api/v2/storage/upload/${id}?expires=${expires}&signature=${signature}`, '{}');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^key: segment "\.\."/);
    expect(existsSync(path.join(root, '..', 'escaped.json'))).toBe(false);
    expect(existsSync(path.join(root, 'escaped.json'))).toBe(false);
  });

  it('answers an unknown grant with 410 and a grant id that is not a uuid with 400', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const expires = Math.floor(Date.now() / 1000) + 600;
    const signature = signUpload(deriveUploadSigningKey(Buffer.from(TEST_SECRETS_KEY, 'base64')), id, expires);
    const unknown = await put(`/api/v2/storage/upload/${id}?expires=${expires}&signature=${signature}`, '{}');
    expect(unknown.statusCode).toBe(410);
    expect(unknown.json().message).toBe('params.grantId: this upload URL no longer exists');
    const notUuid = await put(`/api/v2/storage/upload/abc?expires=${expires}&signature=${signature}`, '{}');
    expect(notUuid.statusCode).toBe(400);
    expect(notUuid.json().message).toMatch(/^params\.grantId /);
  });
});
