// FeedbackService on a real database, without HTTP: the swipe rules (self-swipes, report reasons, both
// members' profiles, the slate impression) refuse with the field at fault and store nothing; likes both ways
// make one match; a report files a review item in the same transaction; an idempotency key replays the
// original swipe and refuses a different request; and which member-change notices each swipe publishes.
import { randomUUID } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FeedbackService } from '../../server/feedback/feedback.service.js';
import type { MemberChange } from '../../server/events/member-changes.js';
import { databaseKinds } from '../support/databases.js';
import {
  addMembers,
  addSlate,
  countOf,
  recordedMemberChanges,
  refusalOf,
  serviceHarness,
} from '../support/service-harness.js';

describe.each(databaseKinds)('FeedbackService [%s]', (kind) => {
  const harness = serviceHarness(kind);
  let feedback: FeedbackService;
  let published: MemberChange[];
  let slateId: string;

  beforeAll(async () => {
    const { db } = harness;
    await addMembers(db, {
      'fs-ana': { gender: 'woman' },
      'fs-ben': {},
      'fs-cem': {},
      'fs-dan': {},
      'fs-gone': { deleted: true },
      'fs-bare': { bare: true },
    });
    slateId = await addSlate(db, randomUUID(), 'fs-ana', ['fs-ben', 'fs-cem']);
  });

  beforeEach(() => {
    const recorded = recordedMemberChanges();
    published = recorded.published;
    feedback = new FeedbackService(harness.repositories.feedback, recorded.memberChanges);
  });

  const swipesBy = (viewer: string) =>
    countOf(harness.db, 'SELECT count(*)::int AS n FROM swipes WHERE viewer_id = $1', [viewer]);

  it('refuses bad swipes with the field at fault, storing and publishing nothing', async () => {
    const cases = [
      { viewer: 'fs-ana', input: { targetId: 'fs-ana', action: 'like' }, kind: 'invalid', field: 'targetId' },
      { viewer: 'fs-ana', input: { targetId: 'fs-ben', action: 'report' }, kind: 'invalid', field: 'reason' },
      {
        viewer: 'fs-ana',
        input: { targetId: 'fs-ben', action: 'pass', reason: 'rude' },
        kind: 'invalid',
        field: 'reason',
      },
      { viewer: 'fs-ana', input: { targetId: 'fs-gone', action: 'like' }, kind: 'not_found', field: 'targetId' },
      { viewer: 'fs-ana', input: { targetId: 'fs-bare', action: 'like' }, kind: 'not_found', field: 'targetId' },
      {
        viewer: 'fs-ana',
        input: { targetId: 'fs-dan', action: 'like', slateId },
        kind: 'invalid',
        field: 'slateId',
      },
      { viewer: 'fs-bare', input: { targetId: 'fs-ana', action: 'like' }, kind: 'not_found', field: undefined },
    ] as const;
    for (const refused of cases) {
      const error = await refusalOf(feedback.submit(refused.viewer, { ...refused.input }));
      expect({ kind: error.kind, field: error.field }).toEqual({ kind: refused.kind, field: refused.field });
    }
    const viewerRefusal = await refusalOf(feedback.submit('fs-bare', { targetId: 'fs-ana', action: 'like' }));
    expect(viewerRefusal.topic).toBe('viewer');
    expect(await swipesBy('fs-ana')).toBe(0);
    expect(await swipesBy('fs-bare')).toBe(0);
    expect(published).toEqual([]);
  });

  it('stores a swipe on a slate, and likes both ways make one match seen by both members', async () => {
    const first = await feedback.submit('fs-ana', {
      targetId: 'fs-ben',
      action: 'like',
      slateId: slateId.toUpperCase(),
    });
    expect(first.replayed).toBe(false);
    expect(first.result).toMatchObject({ targetId: 'fs-ben', action: 'like', slateId, match: false, matchedAt: null });
    expect(published).toEqual([{ memberId: 'fs-ana', reason: 'swipe' }]);

    const answer = await feedback.submit('fs-ben', { targetId: 'fs-ana', action: 'superlike' });
    expect(answer.result.match).toBe(true);
    expect(answer.result.matchedAt).not.toBeNull();
    expect((await feedback.matchesOf('fs-ana')).map((match) => match.userId)).toEqual(['fs-ben']);
    expect((await feedback.matchesOf('fs-ben')).map((match) => match.userId)).toEqual(['fs-ana']);
    expect(await feedback.matchesOf('fs-nobody')).toEqual([]);
  });

  it('files a report in the review queue and tells both members’ caches', async () => {
    const outcome = await feedback.submit('fs-cem', { targetId: 'fs-dan', action: 'report', reason: 'spam links' });
    expect(outcome.result.action).toBe('report');
    expect(
      await countOf(
        harness.db,
        `SELECT count(*)::int AS n FROM review_flags
          WHERE viewer_id = 'fs-dan' AND source = 'member_report' AND status = 'open'`,
      ),
    ).toBe(1);
    expect(published).toEqual([
      { memberId: 'fs-cem', reason: 'swipe' },
      { memberId: 'fs-dan', reason: 'swipe' },
    ]);
  });

  it('replays a retried key with the original swipe and refuses the key for a different swipe', async () => {
    const key = `key-${randomUUID()}`;
    const original = await feedback.submit('fs-dan', { targetId: 'fs-cem', action: 'pass' }, key);
    const retry = await feedback.submit('fs-dan', { targetId: 'fs-cem', action: 'pass' }, key);
    expect(retry).toEqual({ result: original.result, replayed: true });
    expect(await swipesBy('fs-dan')).toBe(1);

    const misuse = await refusalOf(feedback.submit('fs-dan', { targetId: 'fs-cem', action: 'like' }, key));
    expect({ kind: misuse.kind, field: misuse.field }).toEqual({ kind: 'conflict', field: 'idempotency-key' });
    expect(await swipesBy('fs-dan')).toBe(1);
    // Only the first request stored anything, so only it was published.
    expect(published).toEqual([{ memberId: 'fs-dan', reason: 'swipe' }]);
  });

  it('answers concurrent retries of one key with a single stored swipe', async () => {
    const key = `key-${randomUUID()}`;
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () => feedback.submit('fs-ben', { targetId: 'fs-dan', action: 'like' }, key)),
    );
    expect(new Set(outcomes.map((outcome) => outcome.result.id)).size).toBe(1);
    expect(outcomes.filter((outcome) => !outcome.replayed)).toHaveLength(1);
    expect(
      await countOf(
        harness.db,
        `SELECT count(*)::int AS n FROM swipes WHERE viewer_id = 'fs-ben' AND target_id = 'fs-dan'`,
      ),
    ).toBe(1);
  });
});
