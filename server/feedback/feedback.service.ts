// Swipe feedback for the caller: replays of an idempotent request first, then the checks (body rules,
// both members' profiles, the slate impression), then the swipe and its match in one transaction, and
// only after it commits the member-change notices that drop the candidates memo. The per-member rate
// limit is the route's (`rateLimit: 'feedback'`, server/http/rate-limit.plugin.ts).
import type { FeedbackInput, FeedbackResult, Match } from '../../shared/schemas/feedback.js';
import type { MemberChanges } from '../events/member-changes.js';
import { DomainError, invalid, notFound } from '../errors/domain-errors.js';
import { feedbackInputProblem, isSameRequest } from './feedback-rules.js';
import { type FeedbackRepository, type StoredSwipe } from './feedback.repository.js';

export interface FeedbackOutcome {
  result: FeedbackResult;
  /** True when an Idempotency-Key retry was answered with the original swipe. */
  replayed: boolean;
}

export class FeedbackService {
  constructor(
    private readonly repository: FeedbackRepository,
    private readonly memberChanges: MemberChanges,
  ) {}

  async submit(viewerId: string, input: FeedbackInput, idempotencyKey?: string): Promise<FeedbackOutcome> {
    if (idempotencyKey !== undefined) {
      const earlier = await this.repository.findByIdempotencyKey(viewerId, idempotencyKey);
      if (earlier) return replay(earlier, input);
    }

    const problem = feedbackInputProblem(viewerId, input);
    if (problem) throw problem;
    if (!(await this.repository.hasProfile(viewerId))) {
      throw new DomainError(
        'not_found',
        `member "${viewerId}" has no saved attributes (or is deleted); save them with PUT /api/v2/users/me/attributes first`,
        { topic: 'viewer' },
      );
    }
    if (!(await this.repository.hasProfile(input.targetId))) {
      throw notFound('targetId', `member "${input.targetId}" does not exist (no saved attributes, or deleted)`);
    }
    if (input.slateId !== undefined && !(await this.repository.wasShown(input.slateId, viewerId, input.targetId))) {
      throw invalid('slateId', `slate "${input.slateId}" did not show member "${input.targetId}" to you`);
    }

    const stored = await this.repository.insertSwipe({
      viewerId,
      targetId: input.targetId,
      action: input.action,
      slateId: input.slateId?.toLowerCase() ?? null,
      reason: input.reason ?? null,
      idempotencyKey: idempotencyKey ?? null,
    });
    if (!stored) {
      // A concurrent request with the same key committed first: answer as its replay.
      const winner =
        idempotencyKey === undefined ? null : await this.repository.findByIdempotencyKey(viewerId, idempotencyKey);
      if (!winner) throw new Error('swipe insert conflicted but no swipe holds the idempotency key');
      return replay(winner, input);
    }

    this.memberChanges.publish({ memberId: viewerId, reason: 'swipe' });
    // A block or report removes the viewer from the target's candidates too.
    if (input.action === 'block' || input.action === 'report') {
      this.memberChanges.publish({ memberId: input.targetId, reason: 'swipe' });
    }
    return { result: toResult(stored), replayed: false };
  }

  /** The caller's matches (newest first); an unknown caller simply has none. */
  matchesOf(memberId: string): Promise<Match[]> {
    return this.repository.matchesOf(memberId);
  }
}

function replay(earlier: StoredSwipe, input: FeedbackInput): FeedbackOutcome {
  if (!isSameRequest(earlier, input)) {
    throw new DomainError(
      'conflict',
      `already used for a different request (a "${earlier.action}" on member "${earlier.targetId}"); use a new key for a new swipe`,
      { field: 'idempotency-key' },
    );
  }
  return { result: toResult(earlier), replayed: true };
}

function toResult(swipe: StoredSwipe): FeedbackResult {
  return {
    id: swipe.id,
    targetId: swipe.targetId,
    action: swipe.action,
    slateId: swipe.slateId,
    createdAt: swipe.createdAt,
    match: swipe.matchedAt !== null,
    matchedAt: swipe.matchedAt,
  };
}
