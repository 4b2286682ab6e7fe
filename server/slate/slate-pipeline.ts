// The slate's stages after retrieval, as plain functions over plain data: rank the retrieved candidates
// (serving-rankers.ts), turn them into post-rank inputs, run safety → diversity → parity, and number
// what is served. slate.service.ts composes them between its reads and writes; nothing here does I/O.
import { isGender } from '../../shared/schemas/attributes.js';
import type { Candidate } from '../../shared/schemas/candidates.js';
import type { SlateResponse } from '../../shared/schemas/slate.js';
import type { DiscoveryConfig } from '../config/config.js';
import type { PairFeatureBatch } from '../features/pair-features.service.js';
import { diversityStage } from '../postrank/dpp.js';
import { parityStage } from '../postrank/parity.js';
import type { DiversityOutcome, ParityOutcome, PostRankCandidate, SafetyOutcome } from '../postrank/postrank-types.js';
import { safetyStage } from '../postrank/safety.js';
import type { Ranker } from '../ranking/serving-rankers.js';

/** The DPP orders this many times the slate size; parity then picks the slate from that order. */
const DIVERSITY_POOL_FACTOR = 3;

export interface RankedCandidates {
  /** The retrieved candidates that still exist, in retrieval order. */
  present: Candidate[];
  /** The same candidates in the ranker's order. */
  ranked: Candidate[];
  /** The ranker's scores; null when no model ranked (retrieval order served). */
  scores: Map<string, number> | null;
}

/** Rank: the retrieved candidates the batch has features for, in the ranker's order. */
export function rankRetrieved(
  retrieved: readonly Candidate[],
  batch: PairFeatureBatch,
  ranker: Ranker,
): RankedCandidates {
  // Retrieval may return a member deleted since; features are only computed for those still there.
  const present = retrieved.filter((candidate) => batch.facts.has(candidate.userId));
  const byId = new Map(present.map((candidate) => [candidate.userId, candidate]));
  const { order, scores } = ranker.rank(batch);
  return { present, ranked: order.map((userId) => byId.get(userId)!), scores };
}

/** What the post-rank stages read of each ranked candidate: its score (the ranker's, else retrieval's). */
export function postRankInputs(
  { ranked, scores }: RankedCandidates,
  batch: PairFeatureBatch,
  harassment: ReadonlyMap<string, number>,
): PostRankCandidate[] {
  return ranked.map((candidate) => {
    const facts = batch.facts.get(candidate.userId)!;
    return {
      userId: candidate.userId,
      score: scores?.get(candidate.userId) ?? candidate.score,
      gender: isGender(facts.gender) ? facts.gender : null,
      taste: facts.taste,
      harassmentScore: harassment.get(candidate.userId) ?? null,
    };
  });
}

export interface PostRanked {
  safety: SafetyOutcome;
  diversity: DiversityOutcome;
  parity: ParityOutcome;
  timings: { safetyMs: number; diversityMs: number; parityMs: number };
}

/**
 * Post-rank: safety, then diversity over a pool of DIVERSITY_POOL_FACTOR × limit, then parity picks
 * `limit`. `lap` is the caller's stopwatch (milliseconds since its last lap), so each stage is timed.
 */
export function postRank(
  candidates: readonly PostRankCandidate[],
  discovery: DiscoveryConfig,
  limit: number,
  lap: () => number,
): PostRanked {
  const safety = safetyStage(candidates, discovery.safety);
  const safetyMs = lap();
  const diversity = diversityStage(safety.kept, {
    tradeoff: discovery.diversity.tradeoff,
    select: Math.min(safety.kept.length, DIVERSITY_POOL_FACTOR * limit),
  });
  const diversityMs = lap();
  const parity = parityStage(diversity.ordered, {
    limit,
    band: discovery.parity.band,
    target: discovery.parity.target,
  });
  const parityMs = lap();
  return { safety, diversity, parity, timings: { safetyMs, diversityMs, parityMs } };
}

/** The served slate: parity's picks numbered from 1, with the sources that retrieved them. */
export function slateEntries(
  picked: readonly PostRankCandidate[],
  present: readonly Candidate[],
): SlateResponse['slate'] {
  const byId = new Map(present.map((candidate) => [candidate.userId, candidate]));
  return picked.map((candidate, index) => ({
    userId: candidate.userId,
    position: index + 1,
    score: candidate.score,
    sources: byId.get(candidate.userId)!.sources,
  }));
}
