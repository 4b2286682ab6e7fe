// A bounded, in-process least-recently-used map with an optional time to live: the one eviction policy
// behind the candidates memo, the explanations memo and the parsed-model cache. A Map keeps insertion
// order, so re-inserting an entry on each hit makes the first key the least recently used one.

export interface LruCacheOptions<Key, Value> {
  /** At most this many entries; the least recently used go first. */
  maxEntries: number;
  /** An entry is forgotten this long after it was set; absent, entries live until evicted. */
  ttlMs?: number;
  /** Milliseconds since the epoch; tests pass a clock they move by hand. */
  now?: () => number;
  /** Told of every entry that leaves (evicted, expired, replaced or deleted), so callers can keep an index. */
  onRemove?: (key: Key, value: Value) => void;
}

interface Entry<Value> {
  value: Value;
  expiresAt: number;
}

export class LruCache<Key, Value> {
  private readonly entries = new Map<Key, Entry<Value>>();
  private readonly now: () => number;

  constructor(private readonly options: LruCacheOptions<Key, Value>) {
    if (!(options.maxEntries >= 1)) throw new RangeError(`maxEntries must be at least 1, got ${options.maxEntries}`);
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The live value, now the most recently used; an expired entry is dropped and misses. */
  get(key: Key): Value | undefined {
    const entry = this.live(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** The live value without touching recency (for listings that must not keep entries alive). */
  peek(key: Key): Value | undefined {
    const entry = this.entries.get(key);
    return entry && !this.expired(entry) ? entry.value : undefined;
  }

  set(key: Key, value: Value): void {
    this.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + (this.options.ttlMs ?? Infinity) });
    while (this.entries.size > this.options.maxEntries) {
      this.delete(this.entries.keys().next().value as Key);
    }
  }

  delete(key: Key): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.options.onRemove?.(key, entry.value);
    return true;
  }

  private live(key: Key): Entry<Value> | undefined {
    const entry = this.entries.get(key);
    if (entry && this.expired(entry)) {
      this.delete(key);
      return undefined;
    }
    return entry;
  }

  private expired(entry: Entry<Value>): boolean {
    return entry.expiresAt <= this.now();
  }
}
