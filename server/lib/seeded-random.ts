// The one deterministic pseudo-random generator (mulberry32) of the project: the sample catalogue, the
// demo population and feedback, the canonicalisation and retrieval evaluations, the taste model's
// projections, the ranker trainer's subsampling and the benchmark populations must come out the same on
// every run, machine and Node version. Tiny and fast; not for anything secret.

/** Deterministic uniform [0, 1) numbers from a 32-bit seed. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  /** A standard normal number (Box–Muller over two draws). */
  normal(): number;
}

/** The same stream as `seededUniform(seed)`, with the draws synthetic data needs built on it. */
export function seededRandom(seed: number): SeededRandom {
  const next = seededUniform(seed);
  const int = (n: number) => Math.floor(next() * n);
  const normal = () => {
    const u = 1 - next(); // (0, 1], so the log is finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return { next, int, pick: (items) => items[int(items.length)] as (typeof items)[number], normal };
}
