// Which file a /console/ path answers: build files with their cache policy, the index for app routes,
// a 404 for missing assets, and never a path outside the build folder.
import { describe, expect, it } from 'vitest';
import { IMMUTABLE_CACHE, REVALIDATE_CACHE, resolveConsoleFile } from './console-static.js';

const build = new Set(['index.html', 'favicon.svg', 'assets/index-abc123.js']);
const isFile = (relativePath: string) => build.has(relativePath);

describe('resolveConsoleFile', () => {
  it('serves hashed assets as immutable and other files with revalidation', () => {
    expect(resolveConsoleFile('assets/index-abc123.js', isFile)).toEqual({
      kind: 'file',
      relativePath: 'assets/index-abc123.js',
      cacheControl: IMMUTABLE_CACHE,
    });
    expect(resolveConsoleFile('favicon.svg', isFile)).toEqual({
      kind: 'file',
      relativePath: 'favicon.svg',
      cacheControl: REVALIDATE_CACHE,
    });
  });

  it('answers the index for the root, index.html itself and any app route', () => {
    expect(resolveConsoleFile('', isFile)).toEqual({ kind: 'index' });
    expect(resolveConsoleFile('index.html', isFile)).toEqual({ kind: 'index' });
    expect(resolveConsoleFile('slates/demo-00042', isFile)).toEqual({ kind: 'index' });
  });

  it('answers a missing asset as missing, not with the index', () => {
    expect(resolveConsoleFile('assets/missing.js', isFile)).toEqual({ kind: 'missing-asset' });
  });

  it('never asks about a path outside the build folder', () => {
    const asked: string[] = [];
    const result = resolveConsoleFile('../../package.json', (relativePath) => {
      asked.push(relativePath);
      return false;
    });
    expect(asked).toEqual(['package.json']);
    expect(result).toEqual({ kind: 'index' });
  });
});
