// The feedback rate limit: a fixed window per member, counted in Postgres so every replica sees the
// same count. The window arithmetic is a pure function; the clock is injectable so tests can move time
// instead of waiting a minute.

export const RATE_WINDOW_MS = 60_000;

export interface RateWindow {
  /** Start of the window `nowMs` falls in (ms since the epoch, a multiple of the window length). */
  startMs: number;
  /** Whole seconds until the window ends, at least 1: what `Retry-After` says. */
  retryAfterSeconds: number;
}

export function fixedWindow(nowMs: number, windowMs = RATE_WINDOW_MS): RateWindow {
  const startMs = Math.floor(nowMs / windowMs) * windowMs;
  const remainingMs = startMs + windowMs - nowMs;
  return { startMs, retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) };
}

/** Where the counts live (the feedback repository): one atomic increment per request. */
export interface RateCounterStore {
  /** Counts one request in the member's window and returns the window's count including it. */
  increment(memberId: string, windowStart: Date): Promise<number>;
  /** Drops windows that started before `cutoff` (they can no longer limit anyone). */
  deleteWindowsBefore(cutoff: Date): Promise<void>;
}

export type RateDecision = { allowed: true; count: number } | { allowed: false; retryAfterSeconds: number };

export class FixedWindowRateLimiter {
  constructor(
    private readonly store: RateCounterStore,
    private readonly limit: number,
    private readonly now: () => number = Date.now,
    private readonly windowMs = RATE_WINDOW_MS,
  ) {}

  /** Counts a request for `memberId`; refused once the window already holds `limit` requests. */
  async take(memberId: string): Promise<RateDecision> {
    const window = fixedWindow(this.now(), this.windowMs);
    const count = await this.store.increment(memberId, new Date(window.startMs));
    // The member's first request in a window is a cheap, rare moment to clear finished windows, so the
    // table stays about one row per recently active member without a cleanup job.
    if (count === 1) await this.store.deleteWindowsBefore(new Date(window.startMs));
    if (count > this.limit) return { allowed: false, retryAfterSeconds: window.retryAfterSeconds };
    return { allowed: true, count };
  }
}
