// Unit tests of the explanations cache: keyed by model version and view, TTL, LRU bound, and member changes
// (published through the real MemberChanges) dropping entries where the member is viewer or target.
import { describe, expect, it } from 'vitest';
import { MemberChanges } from '../events/member-changes.js';
import { ExplanationsCache } from './explanations-cache.js';

function cacheWithClock(maxEntries = 10) {
  let now = 1_000;
  const cache = new ExplanationsCache<string>({ ttlMs: 600_000, maxEntries, now: () => now });
  return { cache, advance: (ms: number) => (now += ms) };
}

describe('explanations cache', () => {
  it('keys by viewer, target and model version', () => {
    const { cache } = cacheWithClock();
    cache.set('v', 't', 'model-a', 'member', 'because a');
    expect(cache.get('v', 't', 'model-a', 'member')).toBe('because a');
    expect(cache.get('v', 't', 'model-b', 'member')).toBeUndefined();
    expect(cache.get('t', 'v', 'model-a', 'member')).toBeUndefined();
  });

  it('keys by view too: a staff explanation is never answered to a member, nor a member one to staff', () => {
    const { cache } = cacheWithClock();
    cache.set('v', 't', 'm', 'staff', 'exact values');
    expect(cache.get('v', 't', 'm', 'member')).toBeUndefined();
    cache.set('v', 't', 'm', 'member', 'bands');
    expect(cache.get('v', 't', 'm', 'member')).toBe('bands');
    expect(cache.get('v', 't', 'm', 'staff')).toBe('exact values');
  });

  it('expires entries after the TTL', () => {
    const { cache, advance } = cacheWithClock();
    cache.set('v', 't', 'm', 'member', 'x');
    advance(599_999);
    expect(cache.get('v', 't', 'm', 'member')).toBe('x');
    advance(1);
    expect(cache.get('v', 't', 'm', 'member')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used entry beyond the bound', () => {
    const { cache } = cacheWithClock(2);
    cache.set('v', 'a', 'm', 'member', 'a');
    cache.set('v', 'b', 'm', 'member', 'b');
    expect(cache.get('v', 'a', 'm', 'member')).toBe('a');
    cache.set('v', 'c', 'm', 'member', 'c');
    expect(cache.get('v', 'b', 'm', 'member')).toBeUndefined();
    expect(cache.get('v', 'a', 'm', 'member')).toBe('a');
    expect(cache.size).toBe(2);
  });

  it("drops a member's entries as viewer and as target when a change to them is published", () => {
    const { cache } = cacheWithClock();
    const changes = new MemberChanges();
    changes.subscribe((change) => cache.invalidateMember(change.memberId));
    cache.set('ana', 'ben', 'm', 'member', 'ana→ben');
    cache.set('cy', 'ana', 'm', 'member', 'cy→ana');
    cache.set('cy', 'ben', 'm', 'member', 'cy→ben');
    changes.publish({ memberId: 'ana', reason: 'privacy' });
    expect(cache.get('ana', 'ben', 'm', 'member')).toBeUndefined();
    expect(cache.get('cy', 'ana', 'm', 'member')).toBeUndefined();
    expect(cache.get('cy', 'ben', 'm', 'member')).toBe('cy→ben');
    changes.publish({ memberId: 'ben', reason: 'profile' });
    expect(cache.size).toBe(0);
  });
});
