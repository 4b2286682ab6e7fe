// Safety scores: batch writes from moderation systems (checked, then written in one transaction, then
// announced so per-member caches drop), reviewers' reads and deletions, and the slate's bulk lookup.
import { DEFAULT_SAFETY_SOURCE, type SafetyScore, type SafetyScoreInput } from '../../shared/schemas/safety.js';
import type { Database } from '../db/database.js';
import type { MemberChanges } from '../events/member-changes.js';
import { invalid, malformed } from '../errors/domain-errors.js';
import { type SafetyScoresRepository } from './safety-scores.repository.js';

export class SafetyScoresService {
  constructor(
    private readonly db: Database,
    private readonly repository: SafetyScoresRepository,
    private readonly memberChanges: MemberChanges,
  ) {}

  /**
   * Stores every score or none: a member id repeated in the batch is malformed, one that names no member
   * invalid, each naming the item (`scores[3].memberId`).
   */
  async write(scores: readonly SafetyScoreInput[], actor: string): Promise<SafetyScore[]> {
    const firstIndex = new Map<string, number>();
    scores.forEach((score, index) => {
      const earlier = firstIndex.get(score.memberId);
      if (earlier !== undefined) {
        throw malformed(
          `scores[${index}].memberId`,
          `"${score.memberId}" repeats scores[${earlier}].memberId; send one score per member`,
        );
      }
      firstIndex.set(score.memberId, index);
    });

    const stored = await this.db.transaction(async (tx) => {
      const existing = await this.repository.existingMembers([...firstIndex.keys()], tx);
      const unknown = scores.findIndex((score) => !existing.has(score.memberId));
      if (unknown >= 0) {
        throw invalid(`scores[${unknown}].memberId`, `"${scores[unknown]!.memberId}" names no member`);
      }
      return this.repository.upsertMany(
        scores.map((score) => ({
          memberId: score.memberId,
          harassmentScore: score.harassmentScore,
          source: score.source ?? DEFAULT_SAFETY_SOURCE,
        })),
        actor,
        tx,
      );
    });
    for (const score of stored) this.memberChanges.publish({ memberId: score.memberId, reason: 'safety_score' });
    return stored;
  }

  get(memberId: string): Promise<SafetyScore | null> {
    return this.repository.find(memberId);
  }

  /** Idempotent: false when the member had no score. */
  async remove(memberId: string): Promise<boolean> {
    const removed = await this.repository.remove(memberId);
    if (removed) this.memberChanges.publish({ memberId, reason: 'safety_score' });
    return removed;
  }

  /** Harassment scores of the given members that have one (absent = unscored), in one query. */
  scoresFor(memberIds: readonly string[]): Promise<Map<string, number>> {
    return this.repository.scoresFor(memberIds);
  }
}
