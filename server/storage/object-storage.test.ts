// Object keys: only plain segments under an allowed prefix are ever signed or written.
import { describe, expect, it } from 'vitest';
import { assertStorageKey, keySegmentFor, StorageKeyError } from './object-storage.js';

describe('assertStorageKey', () => {
  it('accepts a raw-page key', () => {
    expect(() => assertStorageKey('favorites_raw/spotify/member-1/1764122462123.json')).not.toThrow();
  });

  it.each([
    ['another prefix', 'secrets/jwt-secret', /outside the allowed prefixes/],
    ['a prefix look-alike', 'favorites_rawx/a.json', /outside the allowed prefixes/],
    ['a parent segment', 'favorites_raw/../jwt-secret', /segment "\.\."/],
    ['a dot segment', 'favorites_raw/./a.json', /segment "\."/],
    ['an empty segment', 'favorites_raw//a.json', /segment ""/],
    ['a backslash', 'favorites_raw/..\\..\\a', /segment/],
    ['a trailing slash', 'favorites_raw/spotify/', /segment ""/],
    ['an absolute path', '/favorites_raw/a.json', /outside the allowed prefixes/],
    ['a control character', 'favorites_raw/a\u0000.json', /segment/],
    ['an empty key', '', /1 to 512/],
    ['a very long key', `favorites_raw/${'a'.repeat(600)}`, /1 to 512/],
  ])('refuses %s', (_name, key, message) => {
    expect(() => assertStorageKey(key)).toThrow(StorageKeyError);
    expect(() => assertStorageKey(key)).toThrow(message);
  });
});

describe('keySegmentFor', () => {
  it('keeps a plain id and encodes anything else into one safe segment', () => {
    expect(keySegmentFor('member-1')).toBe('member-1');
    const encoded = keySegmentFor('../auth0|123');
    expect(encoded).toBe(`b64-${Buffer.from('../auth0|123').toString('base64url')}`);
    expect(() => assertStorageKey(`favorites_raw/spotify/${encoded}/1.json`)).not.toThrow();
    expect(keySegmentFor('b64-x')).not.toBe('b64-x');
  });
});
