// The feedback rules that need no database: which bodies the schema lets through but the product does
// not (self-swipes, a report without a reason, a reason on anything else), and whether a retry with an
// Idempotency-Key asks for the same swipe as the request that first used the key.
import type { FeedbackAction, FeedbackInput } from '../../shared/schemas/feedback.js';
import { invalid, type DomainError } from '../errors/domain-errors.js';

/** The first problem with a schema-valid body, or null. */
export function feedbackInputProblem(viewerId: string, input: FeedbackInput): DomainError | null {
  if (input.targetId === viewerId) {
    return invalid('targetId', 'you cannot swipe on yourself');
  }
  if (input.action === 'report' && input.reason === undefined) {
    return invalid('reason', 'is required when action is "report" (1-500 characters)');
  }
  if (input.action !== 'report' && input.reason !== undefined) {
    return invalid('reason', `only a report carries a reason, not a "${input.action}"`);
  }
  return null;
}

/** What a stored swipe says about the request that made it. */
export interface StoredRequest {
  targetId: string;
  action: FeedbackAction;
  slateId: string | null;
  reason: string | null;
}

/** Whether `input` asks for exactly the swipe `stored` records (a replay) rather than another one. */
export function isSameRequest(stored: StoredRequest, input: FeedbackInput): boolean {
  return (
    stored.targetId === input.targetId &&
    stored.action === input.action &&
    // Postgres prints uuids in lower case; clients may not.
    (stored.slateId ?? null) === (input.slateId?.toLowerCase() ?? null) &&
    (stored.reason ?? null) === (input.reason ?? null)
  );
}
