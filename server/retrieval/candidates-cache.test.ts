// Unit tests of the candidate memo: expiry by a hand-moved clock, LRU bound, per-viewer invalidation.
import { describe, expect, it } from 'vitest';
import { CandidatesCache } from './candidates-cache.js';

const list = (id: string) => [{ userId: id, score: 0.5, sources: ['taste' as const] }];

function cacheWithClock(maxEntries = 100) {
  const clock = { now: 1_000_000 };
  const cache = new CandidatesCache({ ttlMs: 30_000, maxEntries, now: () => clock.now });
  return { cache, clock };
}

describe('candidates cache', () => {
  it('serves an entry until its time to live has passed', () => {
    const { cache, clock } = cacheWithClock();
    cache.set('v', 50, list('a'));
    clock.now += 29_999;
    expect(cache.get('v', 50)).toEqual(list('a'));
    clock.now += 1;
    expect(cache.get('v', 50)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keys by viewer and k', () => {
    const { cache } = cacheWithClock();
    cache.set('v', 50, list('a'));
    expect(cache.get('v', 10)).toBeUndefined();
    expect(cache.get('w', 50)).toBeUndefined();
  });

  it('evicts the least recently used entry beyond its bound', () => {
    const { cache } = cacheWithClock(2);
    cache.set('a', 1, list('a'));
    cache.set('b', 1, list('b'));
    cache.get('a', 1);
    cache.set('c', 1, list('c'));
    expect(cache.size).toBe(2);
    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('a', 1)).toEqual(list('a'));
    expect(cache.get('c', 1)).toEqual(list('c'));
  });

  it('invalidates every k of one viewer and no one else', () => {
    const { cache } = cacheWithClock();
    cache.set('v', 10, list('a'));
    cache.set('v', 50, list('b'));
    cache.set('w', 10, list('c'));
    cache.invalidate('v');
    expect(cache.get('v', 10)).toBeUndefined();
    expect(cache.get('v', 50)).toBeUndefined();
    expect(cache.get('w', 10)).toEqual(list('c'));
    expect(cache.size).toBe(1);
  });
});
