// The body rules the schema cannot express, and when a retry counts as the same request.
import { describe, expect, it } from 'vitest';
import { feedbackInputProblem, isSameRequest } from './feedback-rules.js';

describe('feedbackInputProblem', () => {
  it('accepts a plain like and a report with a reason', () => {
    expect(feedbackInputProblem('me', { targetId: 'you', action: 'like' })).toBeNull();
    expect(feedbackInputProblem('me', { targetId: 'you', action: 'report', reason: 'spam' })).toBeNull();
  });

  it('refuses a swipe on oneself', () => {
    expect(feedbackInputProblem('me', { targetId: 'me', action: 'like' })).toMatchObject({
      kind: 'invalid',
      field: 'targetId',
      message: 'targetId: you cannot swipe on yourself',
    });
  });

  it('requires a reason for a report and refuses one for other actions', () => {
    expect(feedbackInputProblem('me', { targetId: 'you', action: 'report' })?.message).toMatch(/^reason: is required/);
    expect(feedbackInputProblem('me', { targetId: 'you', action: 'block', reason: 'x' })?.message).toMatch(
      /^reason: only a report carries a reason, not a "block"/,
    );
  });
});

describe('isSameRequest', () => {
  const stored = {
    targetId: 'you',
    action: 'like' as const,
    slateId: 'aaaaaaaa-0000-4000-8000-000000000000',
    reason: null,
  };

  it('matches the same body, whatever the case of the slate id', () => {
    expect(
      isSameRequest(stored, { targetId: 'you', action: 'like', slateId: 'AAAAAAAA-0000-4000-8000-000000000000' }),
    ).toBe(true);
  });

  it('tells apart a different target, action, slate or reason', () => {
    expect(isSameRequest(stored, { targetId: 'other', action: 'like', slateId: stored.slateId })).toBe(false);
    expect(isSameRequest(stored, { targetId: 'you', action: 'pass', slateId: stored.slateId })).toBe(false);
    expect(isSameRequest(stored, { targetId: 'you', action: 'like' })).toBe(false);
    expect(isSameRequest({ ...stored, slateId: null }, { targetId: 'you', action: 'like', reason: 'x' })).toBe(false);
  });
});
