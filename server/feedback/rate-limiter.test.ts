// The fixed-window arithmetic and the limiter's decisions over an in-memory counter store and a
// hand-moved clock (the SQL store is tested through the API in test/api/feedback.test.ts).
import { describe, expect, it } from 'vitest';
import { FixedWindowRateLimiter, fixedWindow, type RateCounterStore } from './rate-limiter.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

class MemoryStore implements RateCounterStore {
  readonly counts = new Map<string, number>();
  async increment(memberId: string, windowStart: Date): Promise<number> {
    const key = `${memberId}@${windowStart.getTime()}`;
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return count;
  }
  async deleteWindowsBefore(cutoff: Date): Promise<void> {
    for (const key of this.counts.keys()) {
      if (Number(key.split('@')[1]) < cutoff.getTime()) this.counts.delete(key);
    }
  }
}

describe('fixedWindow', () => {
  it('starts windows on whole minutes', () => {
    expect(fixedWindow(T0).startMs).toBe(T0);
    expect(fixedWindow(T0 + 59_999).startMs).toBe(T0);
    expect(fixedWindow(T0 + MINUTE).startMs).toBe(T0 + MINUTE);
  });

  it('says how many whole seconds remain, rounded up and never below 1', () => {
    expect(fixedWindow(T0).retryAfterSeconds).toBe(60);
    expect(fixedWindow(T0 + 500).retryAfterSeconds).toBe(60);
    expect(fixedWindow(T0 + 30_000).retryAfterSeconds).toBe(30);
    expect(fixedWindow(T0 + 58_001).retryAfterSeconds).toBe(2);
    expect(fixedWindow(T0 + 59_999).retryAfterSeconds).toBe(1);
  });
});

describe('FixedWindowRateLimiter', () => {
  it('allows `limit` requests per member per window, refuses the next, and resets with the next window', async () => {
    let now = T0 + 45_000;
    const store = new MemoryStore();
    const limiter = new FixedWindowRateLimiter(store, 3, () => now);
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.take('a'));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]).toEqual({ allowed: false, retryAfterSeconds: 15 });
    // Another member has a budget of their own.
    expect((await limiter.take('b')).allowed).toBe(true);
    now = T0 + MINUTE;
    expect(await limiter.take('a')).toEqual({ allowed: true, count: 1 });
  });

  it('clears finished windows when a member opens a new one', async () => {
    let now = T0;
    const store = new MemoryStore();
    const limiter = new FixedWindowRateLimiter(store, 3, () => now);
    await limiter.take('a');
    await limiter.take('b');
    now = T0 + MINUTE;
    await limiter.take('a');
    expect([...store.counts.keys()]).toEqual([`a@${T0 + MINUTE}`]);
  });
});
