// Unit tests of the shared LRU: recency order, the bound, expiry by a hand-moved clock, peek without
// touching recency, and the removal callback the caches keep their indexes with.
import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.js';

function cacheWithClock(maxEntries: number, ttlMs?: number) {
  const clock = { now: 1_000 };
  const removed: Array<[string, number]> = [];
  const cache = new LruCache<string, number>({
    maxEntries,
    ttlMs,
    now: () => clock.now,
    onRemove: (key, value) => removed.push([key, value]),
  });
  return { cache, clock, removed };
}

describe('LruCache', () => {
  it('answers what was set, and nothing for a key never set', () => {
    const { cache } = cacheWithClock(3);
    cache.set('a', 1);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('b')).toBeUndefined();
  });

  it('evicts the least recently used entry beyond its bound, a hit counting as a use', () => {
    const { cache, removed } = cacheWithClock(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(removed).toEqual([['b', 2]]);
  });

  it('peeks without making an entry recent', () => {
    const { cache } = cacheWithClock(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.peek('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('a')).toBeUndefined();
  });

  it('forgets an entry once its time to live has passed', () => {
    const { cache, clock, removed } = cacheWithClock(5, 30);
    cache.set('a', 1);
    clock.now += 29;
    expect(cache.get('a')).toBe(1);
    clock.now += 1;
    expect(cache.peek('a')).toBeUndefined();
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(removed).toEqual([['a', 1]]);
  });

  it('keeps entries without a time to live until they are evicted', () => {
    const { cache, clock } = cacheWithClock(5);
    cache.set('a', 1);
    clock.now += 1e12;
    expect(cache.get('a')).toBe(1);
  });

  it('replaces a value and restarts its time to live, telling the callback of the old one', () => {
    const { cache, clock, removed } = cacheWithClock(5, 30);
    cache.set('a', 1);
    clock.now += 20;
    cache.set('a', 2);
    clock.now += 20;
    expect(cache.get('a')).toBe(2);
    expect(cache.size).toBe(1);
    expect(removed).toEqual([['a', 1]]);
  });

  it('deletes on request and says whether there was anything to delete', () => {
    const { cache, removed } = cacheWithClock(5);
    cache.set('a', 1);
    expect(cache.delete('a')).toBe(true);
    expect(cache.delete('a')).toBe(false);
    expect(cache.get('a')).toBeUndefined();
    expect(removed).toEqual([['a', 1]]);
  });

  it('refuses a bound below one entry', () => {
    expect(() => new LruCache({ maxEntries: 0 })).toThrow(RangeError);
  });
});
