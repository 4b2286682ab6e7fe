// The sliding-window arithmetic and the limiter's decisions over the in-process store and a hand-moved
// clock (the database store is tested through the API in test/api/rate-limits.test.ts). Issue 11's
// finding: the old fixed clock-minute window let 2 × limit through across a minute boundary.
import { describe, expect, it } from 'vitest';
import {
  fits,
  MemoryCounterStore,
  rateWindow,
  retryAfterSeconds,
  SlidingWindowRateLimiter,
  windowStart,
} from './rate-limit.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

async function burst(limiter: SlidingWindowRateLimiter, count: number, limit: number, key = 'a') {
  const decisions = [];
  for (let i = 0; i < count; i++) decisions.push(await limiter.take('feedback', key, limit));
  return decisions;
}

describe('the sliding-window arithmetic', () => {
  it('starts windows on whole minutes and weighs the previous one by what is left of it', () => {
    expect(rateWindow(T0)).toEqual({ startMs: T0, previousStartMs: T0 - MINUTE, previousWeight: 1 });
    expect(rateWindow(T0 + 15_000)).toEqual({ startMs: T0, previousStartMs: T0 - MINUTE, previousWeight: 0.75 });
    expect(windowStart(T0 + 59_999)).toBe(T0);
    expect(windowStart(T0 + MINUTE)).toBe(T0 + MINUTE);
  });

  it('lets one more request in while previous × weight + current + 1 stays within the limit', () => {
    // A quarter into this minute: three quarters of the previous one still count.
    expect(fits({ previous: 8, current: 3 }, 0.75, 10)).toBe(true); // 6 + 3 + 1 = 10
    expect(fits({ previous: 8, current: 4 }, 0.75, 10)).toBe(false); // 6 + 4 + 1 = 11
    expect(fits({ previous: 8, current: 4 }, 0.5, 10)).toBe(true); // 4 + 4 + 1 = 9
  });

  it('says when one more request would fit, in whole seconds rounded up', () => {
    // Later this minute: 8·(1 − f) + 4 + 1 ≤ 10 once f ≥ 3/8, i.e. 7.5 s after now (at 15 s in).
    expect(retryAfterSeconds({ previous: 8, current: 4 }, 10, T0 + 15_000)).toBe(8);
    // This minute is full: in the next one 10·(1 − g) + 1 ≤ 10 once g ≥ 0.1, i.e. 45 s + 6 s.
    expect(retryAfterSeconds({ previous: 0, current: 10 }, 10, T0 + 15_000)).toBe(51);
    // 100·(1 − f) + 1 + 1 ≤ 100 once f ≥ 0.02: 0.7 s from 0.5 s in, rounded up to 1.
    expect(retryAfterSeconds({ previous: 100, current: 1 }, 100, T0 + 500)).toBe(1);
  });
});

describe('SlidingWindowRateLimiter', () => {
  it('rate limits: a burst at a minute boundary cannot pass twice the limit (100 at 59.9 s, 100 at 60.1 s)', async () => {
    let now = T0 + 59_900;
    const limiter = new SlidingWindowRateLimiter(new MemoryCounterStore(), () => now);
    expect((await burst(limiter, 100, 100)).every((d) => d.allowed)).toBe(true);
    now = T0 + MINUTE + 100;
    const second = await burst(limiter, 100, 100);
    expect(second.filter((d) => d.allowed)).toHaveLength(0);
    expect(second[0]).toMatchObject({ allowed: false, retryAfterSeconds: expect.any(Number) });
  });

  it('allows `limit` per member, refuses the next, keeps members apart, and frees up as the minute slides', async () => {
    let now = T0 + 45_000;
    const limiter = new SlidingWindowRateLimiter(new MemoryCounterStore(), () => now);
    expect((await burst(limiter, 4, 3)).map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect((await limiter.take('feedback', 'b', 3)).allowed).toBe(true);
    expect((await limiter.take('slate', 'a', 3)).allowed).toBe(true);
    // 3 served at 45 s (the refused one is not counted); a minute on they weigh 0.75, so two more fit.
    now = T0 + MINUTE + 45_000;
    expect((await burst(limiter, 3, 3)).map((d) => d.allowed)).toEqual([true, true, false]);
    // Two minutes on, nothing of them is left.
    now = T0 + 3 * MINUTE;
    expect((await burst(limiter, 3, 3)).map((d) => d.allowed)).toEqual([true, true, true]);
  });
});

describe('MemoryCounterStore', () => {
  it('forgets keys whose windows can no longer limit anyone, and holds at most maxKeys', async () => {
    const store = new MemoryCounterStore(3);
    const take = (key: string, nowMs: number) => store.take('public', key, rateWindow(nowMs), 10);
    await take('a', T0);
    await take('b', T0);
    await take('a', T0 + MINUTE);
    expect(store.size).toBe(2);
    // Two minutes on, b's window is gone; a's (one minute ago) is still the previous window.
    await take('c', T0 + 2 * MINUTE);
    expect(store.size).toBe(2);
    for (const key of ['d', 'e', 'f']) await take(key, T0 + 2 * MINUTE);
    expect(store.size).toBe(3);
  });
});
