// The reviewer's view of how a slate was built: for every retrieved candidate, its sources and scores,
// its position after each stage, and — for those taken out — the stage and the reason. Pure: it only
// reads the stages' outputs.
import type { Candidate } from '../../shared/schemas/candidates.js';
import { PRIVACY_GROUPS } from '../../shared/schemas/privacy.js';
import type { CandidateTrace, MaskedGroup } from '../../shared/schemas/slate.js';
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
  /** The viewer's and each candidate's share_* flags (the pair-features batch); absent: no masks traced. */
  shares?: TraceShares;
}

/** The members' `share_*` flags, as the pair-features batch loaded them. */
export type ShareFlags = Readonly<Record<MaskedGroup['group'], boolean>>;
export interface TraceShares {
  viewer: ShareFlags | null;
  candidates: ReadonlyMap<string, { shares: ShareFlags }>;
}

/**
 * The groups masked for a pair and whose opt-out did it — the same rule as pair-features.ts maskedGroups
 * (a group either member withholds is zeroed), told apart so a reviewer can see why a score ignores it.
 */
export function maskedGroupsFor(viewer: ShareFlags | null, candidate: ShareFlags | null): MaskedGroup[] {
  const masked: MaskedGroup[] = [];
  for (const group of PRIVACY_GROUPS) {
    const byViewer = viewer !== null && !viewer[group];
    const byCandidate = candidate !== null && !candidate[group];
    if (byViewer || byCandidate)
      masked.push({ group, by: byViewer && byCandidate ? 'both' : byViewer ? 'viewer' : 'candidate' });
  }
  return masked;
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
      ...(outputs.shares
        ? {
            maskedGroups: maskedGroupsFor(
              outputs.shares.viewer,
              outputs.shares.candidates.get(candidate.userId)?.shares ?? null,
            ),
          }
        : {}),
    };
  });
}
