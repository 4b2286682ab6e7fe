// Spaces calls to an upstream that allows a fixed rate (MusicBrainz: 1 request/s per client). Each call
// reserves the next free start time before it waits, so concurrent callers queue in order; the clock is
// injectable so tests can check the computed start times without waiting on the wall clock.

export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: LimiterClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class RateLimiter {
  private nextFreeAt = Number.NEGATIVE_INFINITY;
  /** The last few start times handed out, oldest first (what tests and logs look at). */
  readonly recentStarts: number[] = [];

  constructor(
    private readonly minIntervalMs: number,
    private readonly clock: LimiterClock = systemClock,
  ) {}

  /** Claims the next slot and returns its start time (ms since epoch on the limiter's clock). */
  reserve(): number {
    const start = Math.max(this.clock.now(), this.nextFreeAt);
    this.nextFreeAt = start + this.minIntervalMs;
    this.recentStarts.push(start);
    if (this.recentStarts.length > 20) this.recentStarts.shift();
    return start;
  }

  /** Runs `work` no earlier than its reserved slot. */
  async run<T>(work: () => Promise<T>, onScheduled?: (startAt: number) => void): Promise<T> {
    const startAt = this.reserve();
    onScheduled?.(startAt);
    const wait = startAt - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait);
    return work();
  }
}
