// A bounded, time-limited, in-process memo of candidate lists (with how they were found) per (viewer, k). Each replica keeps its
// own: a member's changes drop their entries on every replica at once (member changes travel by Postgres
// NOTIFY), and `ttlMs` bounds staleness should a replica's change feed drop.
import type { Candidate } from '../../shared/schemas/candidates.js';

export interface CandidatesCacheOptions {
  ttlMs: number;
  maxEntries: number;
  /** Milliseconds since the epoch; tests pass a clock they move by hand. */
  now?: () => number;
}

interface Entry<Value> {
  viewerId: string;
  expiresAt: number;
  candidates: Value;
}

export class CandidatesCache<Value = Candidate[]> {
  /** Insertion order is recency order: a hit re-inserts its entry, so the first key is least recent. */
  private readonly entries = new Map<string, Entry<Value>>();
  /** Keys per viewer, so invalidating a viewer does not scan every entry. */
  private readonly keysByViewer = new Map<string, Set<string>>();
  private readonly now: () => number;

  constructor(private readonly options: CandidatesCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(viewerId: string, k: number): Value | undefined {
    const key = keyOf(viewerId, k);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.remove(key, entry);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.candidates;
  }

  set(viewerId: string, k: number, candidates: Value): void {
    const key = keyOf(viewerId, k);
    const existing = this.entries.get(key);
    if (existing) this.remove(key, existing);
    this.entries.set(key, { viewerId, expiresAt: this.now() + this.options.ttlMs, candidates });
    let keys = this.keysByViewer.get(viewerId);
    if (!keys) this.keysByViewer.set(viewerId, (keys = new Set()));
    keys.add(key);
    while (this.entries.size > this.options.maxEntries) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Entry<Value>];
      this.remove(oldestKey, oldest);
    }
  }

  /** Drops every memoized list of this viewer (all k). */
  invalidate(viewerId: string): void {
    const keys = this.keysByViewer.get(viewerId);
    if (!keys) return;
    for (const key of keys) this.entries.delete(key);
    this.keysByViewer.delete(viewerId);
  }

  private remove(key: string, entry: Entry<Value>): void {
    this.entries.delete(key);
    const keys = this.keysByViewer.get(entry.viewerId);
    keys?.delete(key);
    if (keys?.size === 0) this.keysByViewer.delete(entry.viewerId);
  }
}

function keyOf(viewerId: string, k: number): string {
  return `${k}\u0000${viewerId}`;
}
