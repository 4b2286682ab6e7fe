// A bounded, time-limited, in-process LRU of explanations per (viewer, target, model version, view). The
// model version is part of the key, so a promotion needs no invalidation: the next request names the new
// model and misses. The view (member or staff) is part of it too, so the staff view — exact values — is
// never answered to a member from the cache, nor the member view to staff. A change to either member (profile, privacy, favorites, swipes…) drops every entry that
// involves them, as the viewer or as the target. Per replica: other replicas' entries expire on the TTL.
import { LruCache } from '../lib/lru-cache.js';

/** Who an explanation was built for: members see bands, staff see values. */
export type ExplanationView = 'member' | 'staff';

export interface ExplanationsCacheOptions {
  ttlMs: number;
  maxEntries: number;
  /** Milliseconds since the epoch; tests pass a clock they move by hand. */
  now?: () => number;
}

interface Entry<T> {
  viewerId: string;
  targetId: string;
  modelId: string;
  view: ExplanationView;
  value: T;
}

/** A cached explanation as the member export lists it. */
export interface CachedEntry<T> {
  targetId: string;
  modelId: string;
  value: T;
}

export class ExplanationsCache<T> {
  private readonly entries: LruCache<string, Entry<T>>;
  /** Keys per member (as viewer or target), so a member's change does not scan every entry. */
  private readonly keysByMember = new Map<string, Set<string>>();

  constructor(options: ExplanationsCacheOptions) {
    this.entries = new LruCache({ ...options, onRemove: (key, entry) => this.unindex(key, entry) });
  }

  get size(): number {
    return this.entries.size;
  }

  get(viewerId: string, targetId: string, modelId: string, view: ExplanationView): T | undefined {
    return this.entries.get(keyOf(viewerId, targetId, modelId, view))?.value;
  }

  set(viewerId: string, targetId: string, modelId: string, view: ExplanationView, value: T): void {
    const key = keyOf(viewerId, targetId, modelId, view);
    this.entries.set(key, { viewerId, targetId, modelId, view, value });
    this.index(viewerId, key);
    this.index(targetId, key);
  }

  /** The unexpired entries of one view cached for the viewer (the member export), without touching recency. */
  entriesForViewer(viewerId: string, view: ExplanationView): Array<CachedEntry<T>> {
    const found: Array<CachedEntry<T>> = [];
    for (const key of this.keysByMember.get(viewerId) ?? []) {
      const entry = this.entries.peek(key);
      if (!entry || entry.viewerId !== viewerId || entry.view !== view) continue;
      found.push({ targetId: entry.targetId, modelId: entry.modelId, value: entry.value });
    }
    return found;
  }

  /** Drops every entry in which the member is the viewer or the target. */
  invalidateMember(memberId: string): void {
    for (const key of [...(this.keysByMember.get(memberId) ?? [])]) this.entries.delete(key);
  }

  private index(memberId: string, key: string): void {
    let keys = this.keysByMember.get(memberId);
    if (!keys) this.keysByMember.set(memberId, (keys = new Set()));
    keys.add(key);
  }

  private unindex(key: string, entry: Entry<T>): void {
    for (const memberId of [entry.viewerId, entry.targetId]) {
      const keys = this.keysByMember.get(memberId);
      keys?.delete(key);
      if (keys?.size === 0) this.keysByMember.delete(memberId);
    }
  }
}

function keyOf(viewerId: string, targetId: string, modelId: string, view: ExplanationView): string {
  return `${viewerId}\u0000${targetId}\u0000${modelId}\u0000${view}`;
}
