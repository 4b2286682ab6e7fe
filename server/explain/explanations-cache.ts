// A bounded, time-limited, in-process LRU of explanations per (viewer, target, model version, view). The
// model version is part of the key, so a promotion needs no invalidation: the next request names the new
// model and misses. The view (member or staff) is part of it too, so the staff view — exact values — is
// never answered to a member from the cache, nor the member view to staff. A change to either member (profile, privacy, favorites, swipes…) drops every entry that
// involves them, as the viewer or as the target. Per replica: other replicas' entries expire on the TTL.
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
  expiresAt: number;
  value: T;
}

/** A cached explanation as the member export lists it. */
export interface CachedEntry<T> {
  targetId: string;
  modelId: string;
  value: T;
}

export class ExplanationsCache<T> {
  /** Insertion order is recency order: a hit re-inserts its entry, so the first key is least recent. */
  private readonly entries = new Map<string, Entry<T>>();
  /** Keys per member (as viewer or target), so a member's change does not scan every entry. */
  private readonly keysByMember = new Map<string, Set<string>>();
  private readonly now: () => number;

  constructor(private readonly options: ExplanationsCacheOptions) {
    if (!(options.maxEntries >= 1)) throw new RangeError(`maxEntries must be at least 1, got ${options.maxEntries}`);
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(viewerId: string, targetId: string, modelId: string, view: ExplanationView): T | undefined {
    const key = keyOf(viewerId, targetId, modelId, view);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.remove(key, entry);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(viewerId: string, targetId: string, modelId: string, view: ExplanationView, value: T): void {
    const key = keyOf(viewerId, targetId, modelId, view);
    const existing = this.entries.get(key);
    if (existing) this.remove(key, existing);
    this.entries.set(key, { viewerId, targetId, modelId, view, expiresAt: this.now() + this.options.ttlMs, value });
    this.index(viewerId, key);
    this.index(targetId, key);
    while (this.entries.size > this.options.maxEntries) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Entry<T>];
      this.remove(oldestKey, oldest);
    }
  }

  /** The unexpired entries of one view cached for the viewer (the member export), without touching recency. */
  entriesForViewer(viewerId: string, view: ExplanationView): Array<CachedEntry<T>> {
    const at = this.now();
    const found: Array<CachedEntry<T>> = [];
    for (const key of this.keysByMember.get(viewerId) ?? []) {
      const entry = this.entries.get(key);
      if (!entry || entry.viewerId !== viewerId || entry.view !== view || entry.expiresAt <= at) continue;
      found.push({ targetId: entry.targetId, modelId: entry.modelId, value: entry.value });
    }
    return found;
  }

  /** Drops every entry in which the member is the viewer or the target. */
  invalidateMember(memberId: string): void {
    const keys = this.keysByMember.get(memberId);
    if (!keys) return;
    for (const key of [...keys]) {
      const entry = this.entries.get(key);
      if (entry) this.remove(key, entry);
    }
    this.keysByMember.delete(memberId);
  }

  private index(memberId: string, key: string): void {
    let keys = this.keysByMember.get(memberId);
    if (!keys) this.keysByMember.set(memberId, (keys = new Set()));
    keys.add(key);
  }

  private remove(key: string, entry: Entry<T>): void {
    this.entries.delete(key);
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
