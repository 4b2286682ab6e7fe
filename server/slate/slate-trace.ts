// The reviewer's view of how a slate was built: for every retrieved candidate, its sources and scores,
// its position after each stage, and — for those taken out — the stage and the reason. Pure: it only
// reads the stages' outputs.
import type { Candidate } from '../../shared/schemas/candidates.js';
import type { CandidateTrace } from '../../shared/schemas/slate.js';
import type { DiversityOutcome, ParityOutcome, SafetyOutcome } from '../postrank/postrank-types.js';

export interface StageOutputs {
  /** Retrieval's list, best first. */
  retrieved: readonly Candidate[];
  /** Ranker scores by member; null when the re-ranker was bypassed. */
  rankerScores: ReadonlyMap<string, number> | null;
  /** Member ids in ranker order (retrieval order when bypassed). */
  rankedOrder: readonly string[];
  safety: SafetyOutcome;
  diversity: DiversityOutcome;
  parity: ParityOutcome;
}

export function buildTrace(outputs: StageOutputs): CandidateTrace[] {
  const positions = (ids: readonly string[]) => new Map(ids.map((id, index) => [id, index + 1]));
  const rankerRank = outputs.rankerScores ? positions(outputs.rankedOrder) : null;
  const safetyRank = positions(outputs.safety.kept.map((candidate) => candidate.userId));
  const diversityRank = positions(outputs.diversity.ordered.map((candidate) => candidate.userId));
  const finalRank = positions(outputs.parity.slate.map((candidate) => candidate.userId));
  const removals = new Map(
    [...outputs.safety.removed, ...outputs.parity.removed].map((removal) => [removal.userId, removal]),
  );
  const unscored = new Set(outputs.safety.unscored);
  return outputs.retrieved.map((candidate, index) => {
    const removal = removals.get(candidate.userId);
    return {
      userId: candidate.userId,
      sources: candidate.sources,
      retrievalScore: candidate.score,
      rankerScore: outputs.rankerScores?.get(candidate.userId) ?? null,
      ranks: {
        retrieval: index + 1,
        ranker: rankerRank?.get(candidate.userId) ?? null,
        safety: safetyRank.get(candidate.userId) ?? null,
        diversity: diversityRank.get(candidate.userId) ?? null,
        final: finalRank.get(candidate.userId) ?? null,
      },
      removed: removal ? { stage: removal.stage, reason: removal.reason } : null,
      unscored: unscored.has(candidate.userId),
    };
  });
}
