// What the post-rank stages (safety, diversity, parity) take and give: plain data, so each stage is a
// pure function with its own tests, and the slate service composes them and builds the trace.
import type { Gender } from '../config/config.js';

/** A ranked candidate as the post-rank stages see it, best first on entry. */
export interface PostRankCandidate {
  userId: string;
  /** The ranker's score (or the retrieval score when the re-ranker is bypassed). */
  score: number;
  gender: Gender | null;
  /** Unit taste vector; null when the member has none (treated as similar to nobody). */
  taste: Float32Array | null;
  /** From `safety_scores`; null when no moderation system has scored the member. */
  harassmentScore: number | null;
}

/** A candidate a stage took out, and why (shown to reviewers in the slate trace). */
export interface Removal {
  userId: string;
  stage: 'safety' | 'diversity' | 'parity';
  reason: string;
}

export interface SafetyParams {
  /** Remove when harassmentScore > maxHarassment. */
  maxHarassment: number;
  unscored: 'keep' | 'remove';
}

export interface SafetyOutcome {
  kept: PostRankCandidate[];
  removed: Removal[];
  /** Kept candidates without a score (policy 'keep'), marked in the trace. */
  unscored: string[];
}

export interface DiversityParams {
  /** θ in [0, 1]: 1 keeps the ranker's order, 0 picks for diversity only. */
  tradeoff: number;
  /** How many candidates the greedy selection orders (the rest follow in ranker order). */
  select: number;
}

export interface DiversityOutcome {
  /** Every input candidate: the greedily selected ones first, in selection order, then the rest in ranker order. */
  ordered: PostRankCandidate[];
  /** How many of `ordered` the DPP selected. */
  selected: number;
  /** Kernel rows computed (at most `select`), to show only the needed rows were built. */
  kernelRowsComputed: number;
  /**
   * The marginal gain d_j² of each selected candidate, in selection order: log det of the first k
   * selections' kernel is the sum of the first k logs. Empty when no kernel was built (θ = 1).
   */
  marginalGains?: number[];
}

export interface ParityParams {
  limit: number;
  /** Allowed deviation of each gender's share from its target, e.g. 0.1 = ±10 percentage points. */
  band: number;
  /** Target share per gender; 'pool' = the shares among the candidates given. */
  target: 'pool' | Partial<Record<Gender, number>>;
}

export interface ParityShortfall {
  gender: Gender;
  target: number;
  actual: number;
  /** How many more (positive) or fewer (negative) this gender would need to be inside the band. */
  missing: number;
}

export interface ParityOutcome {
  slate: PostRankCandidate[];
  /** Candidates left out of the slate to keep the band (the rest were simply below the cut). */
  removed: Removal[];
  targetShares: Partial<Record<Gender, number>>;
  shares: Partial<Record<Gender, number>>;
  /** Empty when every gender is within the band. */
  shortfall: ParityShortfall[];
}
