// Sliding-window rate limiting (the "sliding window counter"): a key's served requests are counted per
// clock minute, and a request is served while `previous minute × the share of it still inside the last
// 60 s + this minute + 1` stays within the limit. Unlike a fixed window, a burst at the end of one minute
// still counts at the start of the next, so 2 × limit cannot pass across a boundary; and it needs only two
// counters per key. Refused requests are not counted: whoever keeps sending still gets `limit` a minute.
// The arithmetic is pure and the clock injectable, so tests move time instead of waiting; the counters
// live in a `RateCounterStore` (the database, shared by every replica, or this process's memory), which
// checks and counts in one atomic step so concurrent requests cannot both take the last place.

export const RATE_WINDOW_MS = 60_000;

/** A key's served requests: in the current window (this one included when it was counted) and the previous. */
export interface RateCounts {
  current: number;
  previous: number;
}

/** The windows a request falls in, and how much of the previous one still lies inside the last minute. */
export interface RateWindow {
  startMs: number;
  previousStartMs: number;
  /** 1 at the start of the current window, falling to 0 at its end. */
  previousWeight: number;
}

export interface RateCounterStore {
  /**
   * Counts one request of `key` in `bucket` unless `previous × previousWeight + current + 1` would exceed
   * `limit`, atomically; returns whether it was counted and the counts after.
   */
  take(bucket: string, key: string, window: RateWindow, limit: number): Promise<RateCounts & { counted: boolean }>;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Start of the window `nowMs` falls in (a multiple of the window length since the epoch). */
export function windowStart(nowMs: number, windowMs = RATE_WINDOW_MS): number {
  return Math.floor(nowMs / windowMs) * windowMs;
}

/** The windows of `nowMs`. */
export function rateWindow(nowMs: number, windowMs = RATE_WINDOW_MS): RateWindow {
  const startMs = windowStart(nowMs, windowMs);
  return { startMs, previousStartMs: startMs - windowMs, previousWeight: 1 - (nowMs - startMs) / windowMs };
}

/** Whether one more request fits: the rule every store applies. */
export function fits(counts: RateCounts, previousWeight: number, limit: number): boolean {
  return counts.previous * previousWeight + counts.current + 1 <= limit;
}

/**
 * For a refused request, the whole seconds (at least 1) until one more would fit, assuming none is served
 * meanwhile: what `Retry-After` says.
 */
export function retryAfterSeconds(counts: RateCounts, limit: number, nowMs: number, windowMs = RATE_WINDOW_MS): number {
  const elapsed = (nowMs - windowStart(nowMs, windowMs)) / windowMs;
  let waitMs: number;
  if (counts.current + 1 <= limit && counts.previous > 0) {
    // Later in this window, once enough of the previous one has slid out: previous·(1 − f) + current + 1 ≤ limit.
    const fraction = 1 - (limit - counts.current - 1) / counts.previous;
    waitMs = (fraction - elapsed) * windowMs;
  } else {
    // In the next window, where this one is the previous: current·(1 − g) + 1 ≤ limit.
    const fraction = counts.current === 0 ? 0 : Math.max(0, 1 - (limit - 1) / counts.current);
    waitMs = (1 - elapsed) * windowMs + fraction * windowMs;
  }
  return Math.max(1, Math.ceil(waitMs / 1000));
}

export class SlidingWindowRateLimiter {
  constructor(
    private readonly store: RateCounterStore,
    private readonly now: () => number = Date.now,
    private readonly windowMs = RATE_WINDOW_MS,
  ) {}

  /** Serves (and counts) one request of `key` in `bucket` if it fits within `limit` per window. */
  async take(bucket: string, key: string, limit: number): Promise<RateDecision> {
    const nowMs = this.now();
    const { counted, ...counts } = await this.store.take(bucket, key, rateWindow(nowMs, this.windowMs), limit);
    if (counted) return { allowed: true };
    return { allowed: false, retryAfterSeconds: retryAfterSeconds(counts, limit, nowMs, this.windowMs) };
  }
}

/**
 * Counters in this process: for limits that need no agreement between replicas (the generous general
 * caps), where a database round trip per request would cost more than it protects. Holds at most
 * `maxKeys` keys (the oldest go first), so a flood of new client addresses cannot grow it without end.
 */
export class MemoryCounterStore implements RateCounterStore {
  private readonly windows = new Map<string, { startMs: number; current: number; previous: number }>();
  private sweptBeforeMs = 0;

  constructor(private readonly maxKeys = 100_000) {}

  async take(bucket: string, key: string, window: RateWindow, limit: number) {
    if (window.previousStartMs > this.sweptBeforeMs) this.sweep(window.previousStartMs);
    const id = `${bucket}\u0000${key}`;
    let entry = this.windows.get(id);
    if (!entry || entry.startMs !== window.startMs) {
      const previous = entry && entry.startMs === window.previousStartMs ? entry.current : 0;
      if (!entry && this.windows.size >= this.maxKeys) {
        const oldest = this.windows.keys().next().value;
        if (oldest !== undefined) this.windows.delete(oldest);
      }
      entry = { startMs: window.startMs, current: 0, previous };
      this.windows.set(id, entry);
    }
    const counted = fits(entry, window.previousWeight, limit);
    if (counted) entry.current++;
    return { counted, current: entry.current, previous: entry.previous };
  }

  get size(): number {
    return this.windows.size;
  }

  /** Drops keys whose last window started before `cutoffMs` (they can no longer limit anyone). */
  private sweep(cutoffMs: number): void {
    this.sweptBeforeMs = cutoffMs;
    for (const [id, entry] of this.windows) if (entry.startMs < cutoffMs) this.windows.delete(id);
  }
}
