// A bounded, time-limited, in-process memo of candidate lists (with how they were found) per (viewer, k). Each replica keeps its
// own: a member's changes drop their entries on every replica at once (member changes travel by Postgres
// NOTIFY), and `ttlMs` bounds staleness should a replica's change feed drop.
import type { Candidate } from '../../shared/schemas/candidates.js';
import { LruCache } from '../lib/lru-cache.js';

export interface CandidatesCacheOptions {
  ttlMs: number;
  maxEntries: number;
  /** Milliseconds since the epoch; tests pass a clock they move by hand. */
  now?: () => number;
}

interface Entry<Value> {
  viewerId: string;
  candidates: Value;
}

export class CandidatesCache<Value = Candidate[]> {
  private readonly entries: LruCache<string, Entry<Value>>;
  /** Keys per viewer, so invalidating a viewer does not scan every entry. */
  private readonly keysByViewer = new Map<string, Set<string>>();

  constructor(options: CandidatesCacheOptions) {
    this.entries = new LruCache({ ...options, onRemove: (key, entry) => this.unindex(key, entry.viewerId) });
  }

  get size(): number {
    return this.entries.size;
  }

  get(viewerId: string, k: number): Value | undefined {
    return this.entries.get(keyOf(viewerId, k))?.candidates;
  }

  set(viewerId: string, k: number, candidates: Value): void {
    const key = keyOf(viewerId, k);
    this.entries.set(key, { viewerId, candidates });
    let keys = this.keysByViewer.get(viewerId);
    if (!keys) this.keysByViewer.set(viewerId, (keys = new Set()));
    keys.add(key);
  }

  /** Drops every memoized list of this viewer (all k). */
  invalidate(viewerId: string): void {
    for (const key of [...(this.keysByViewer.get(viewerId) ?? [])]) this.entries.delete(key);
  }

  private unindex(key: string, viewerId: string): void {
    const keys = this.keysByViewer.get(viewerId);
    keys?.delete(key);
    if (keys?.size === 0) this.keysByViewer.delete(viewerId);
  }
}

function keyOf(viewerId: string, k: number): string {
  return `${k}\u0000${viewerId}`;
}
