// The safety stage: drops candidates a moderation system scored above the harassment threshold. A
// candidate nobody has scored is a policy decision (keep and mark, or remove), never a silent default.
import type { PostRankCandidate, Removal, SafetyOutcome, SafetyParams } from './postrank-types.js';

export function safetyStage(candidates: readonly PostRankCandidate[], params: SafetyParams): SafetyOutcome {
  const kept: PostRankCandidate[] = [];
  const removed: Removal[] = [];
  const unscored: string[] = [];
  for (const candidate of candidates) {
    const score = candidate.harassmentScore;
    if (score === null) {
      if (params.unscored === 'remove') {
        removed.push({ userId: candidate.userId, stage: 'safety', reason: 'unscored (policy: remove)' });
      } else {
        kept.push(candidate);
        unscored.push(candidate.userId);
      }
      continue;
    }
    if (score > params.maxHarassment) {
      removed.push({
        userId: candidate.userId,
        stage: 'safety',
        reason: `harassment_score ${score} > ${params.maxHarassment}`,
      });
      continue;
    }
    kept.push(candidate);
  }
  return { kept, removed, unscored };
}
