// The shared metadata cache on each database: a fresh entry answers without calling upstream, a 404 is
// kept for less time than a 200, failures are not kept at all, and every lookup is counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/db/migrations.js';
import { CachedUpstream, NOT_FOUND_CACHE_HOURS } from '../../server/metadata/cached-upstream.js';
import { MetadataCacheRepository } from '../../server/metadata/metadata-cache.repository.js';
import { UpstreamError, type UpstreamResponse } from '../../server/metadata/upstream.js';
import { databaseKinds, openScratchDatabase, type ScratchDatabase } from '../support/databases.js';

describe.each(databaseKinds)('metadata cache [%s]', (kind) => {
  let scratch: ScratchDatabase;
  let cache: MetadataCacheRepository;
  let upstream: CachedUpstream;
  let calls = 0;
  const answer = (response: UpstreamResponse) => async () => {
    calls++;
    return response;
  };

  async function lifetimeHours(requestKey: string): Promise<number> {
    const { rows } = await scratch.db.query<{ hours: number }>(
      `SELECT extract(epoch FROM expires_at - fetched_at)::float8 / 3600 AS hours
         FROM metadata_cache WHERE source = 'openlibrary' AND request_key = $1`,
      [requestKey],
    );
    return rows[0]!.hours;
  }

  beforeAll(async () => {
    scratch = await openScratchDatabase(kind);
    await migrate(scratch.db);
    cache = new MetadataCacheRepository(scratch.db);
    upstream = new CachedUpstream(cache, 24);
  });
  afterAll(async () => {
    await scratch?.dispose();
  });

  it('answers a fresh entry without calling upstream, with the time it was fetched', async () => {
    const first = await upstream.get('openlibrary', '/works/OL1W.json', answer({ status: 200, body: { title: 'A' } }));
    const second = await upstream.get('openlibrary', '/works/OL1W.json', answer({ status: 200, body: { title: 'B' } }));
    expect(calls).toBe(1);
    expect(first).toEqual({ status: 200, body: { title: 'A' } });
    expect(second).toMatchObject({ status: 200, body: { title: 'A' } });
    expect(second.cachedAt).toBeInstanceOf(Date);
    expect(await lifetimeHours('/works/OL1W.json')).toBeCloseTo(24);
  });

  it('keeps a 404 for a shorter time than a 200', async () => {
    await upstream.get('openlibrary', '/works/OL2W.json', answer({ status: 404, body: null }));
    const again = await upstream.get('openlibrary', '/works/OL2W.json', answer({ status: 200, body: {} }));
    expect(again.status).toBe(404);
    expect(await lifetimeHours('/works/OL2W.json')).toBeCloseTo(NOT_FOUND_CACHE_HOURS);
    expect(NOT_FOUND_CACHE_HOURS).toBeLessThan(24);
  });

  it('does not keep failures, so the next lookup asks upstream again', async () => {
    const failing = async (): Promise<UpstreamResponse> => {
      calls++;
      throw new UpstreamError('openlibrary', 'answered HTTP 503');
    };
    await expect(upstream.get('openlibrary', '/works/OL3W.json', failing)).rejects.toThrow('HTTP 503');
    const before = calls;
    await upstream.get('openlibrary', '/works/OL3W.json', answer({ status: 200, body: { title: 'C' } }));
    expect(calls).toBe(before + 1);
  });

  it('counts hits and misses per source', async () => {
    const [openLibrary, tmdb] = await cache.stats(['openlibrary', 'tmdb']);
    // OL1W: miss + hit; OL2W: miss + hit; OL3W: miss (failed) + miss.
    expect(openLibrary).toEqual({ source: 'openlibrary', hits: 2, misses: 4, hitRatio: 2 / 6, entries: 3, expired: 0 });
    expect(tmdb).toEqual({ source: 'tmdb', hits: 0, misses: 0, hitRatio: null, entries: 0, expired: 0 });
  });
});
