// The limiter hands out start times at least one interval apart, in call order, and waits for them.
import { describe, expect, it } from 'vitest';
import { RateLimiter, type LimiterClock } from './rate-limiter.js';

/** A clock that only moves when the limiter sleeps, recording each sleep. */
function manualClock(start: number): LimiterClock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe('RateLimiter', () => {
  it('spaces back-to-back calls by the interval', () => {
    const limiter = new RateLimiter(1000, manualClock(5000));
    expect([limiter.reserve(), limiter.reserve(), limiter.reserve()]).toEqual([5000, 6000, 7000]);
  });

  it('starts at once when the last call was longer ago than the interval', async () => {
    const clock = manualClock(0);
    const limiter = new RateLimiter(1000, clock);
    const starts: number[] = [];
    await limiter.run(
      async () => 'a',
      (at) => starts.push(at),
    );
    await clock.sleep(2500);
    await limiter.run(
      async () => 'b',
      (at) => starts.push(at),
    );
    expect(starts).toEqual([0, 2500]);
  });

  it('makes concurrent callers wait for their slot, in order', async () => {
    const clock = manualClock(100);
    const limiter = new RateLimiter(1000, clock);
    const ran: string[] = [];
    await Promise.all(['first', 'second'].map((name) => limiter.run(async () => ran.push(name))));
    expect(ran).toEqual(['first', 'second']);
    expect(clock.sleeps).toEqual([1000]);
  });
});
