// ReviewService on a real database, without HTTP: a flag names members that exist and a slate served to the
// viewer (else it is refused with the field at fault and nothing is stored); a flag is resolved once and
// reopened only when resolved, each step in its history; and a member-report item is not reopened while a
// newer open one is about the same member.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../server/auth/tokens.js';
import { fileMemberReport } from '../../server/review/review.repository.js';
import { ReviewService } from '../../server/review/review.service.js';
import { databaseKinds } from '../support/databases.js';
import { addMembers, addSlate, countOf, refusalOf, serviceHarness } from '../support/service-harness.js';

const reviewer: Principal = { subject: 'rev-1', role: 'reviewer' };

describe.each(databaseKinds)('ReviewService [%s]', (kind) => {
  const harness = serviceHarness(kind);
  let review: ReviewService;
  let slateId: string;

  beforeAll(async () => {
    const { db } = harness;
    await addMembers(db, {
      'rs-viewer': { gender: 'woman' },
      'rs-candidate': {},
      'rs-reported': {},
      'rs-gone': { deleted: true },
    });
    slateId = await addSlate(db, randomUUID(), 'rs-viewer', ['rs-candidate']);
    review = new ReviewService(harness.repositories.review);
  });

  const flagCount = () => countOf(harness.db, 'SELECT count(*)::int AS n FROM review_flags');

  it('refuses flags about unknown members or slates not served to the viewer, storing nothing', async () => {
    const cases = [
      { input: { viewerId: 'rs-nobody', note: 'x' }, kind: 'not_found', field: 'viewerId' },
      { input: { viewerId: 'rs-gone', note: 'x' }, kind: 'not_found', field: 'viewerId' },
      { input: { viewerId: 'rs-viewer', candidateId: 'rs-gone', note: 'x' }, kind: 'not_found', field: 'candidateId' },
      { input: { viewerId: 'rs-candidate', slateId, note: 'x' }, kind: 'invalid', field: 'slateId' },
      { input: { viewerId: 'rs-viewer', slateId: randomUUID(), note: 'x' }, kind: 'invalid', field: 'slateId' },
    ] as const;
    for (const refused of cases) {
      const error = await refusalOf(review.create(reviewer, { ...refused.input }));
      expect({ kind: error.kind, field: error.field }).toEqual({ kind: refused.kind, field: refused.field });
    }
    expect(await flagCount()).toBe(0);
    const missing = await refusalOf(review.get(999_999));
    expect({ kind: missing.kind, field: missing.field }).toEqual({ kind: 'not_found', field: 'id' });
  });

  it('resolves a flag once, reopens it only when resolved, and keeps every step in its history', async () => {
    const flag = await review.create(reviewer, {
      viewerId: 'rs-viewer',
      candidateId: 'rs-candidate',
      slateId,
      note: 'stock photo',
    });
    expect(flag).toMatchObject({ status: 'open', outcome: null, createdBy: 'rev-1', slateId });

    const open = await refusalOf(review.reopen(reviewer, flag.id, 'again'));
    expect({ kind: open.kind, field: open.field }).toEqual({ kind: 'conflict', field: 'id' });

    const resolved = await review.resolve(reviewer, flag.id, { outcome: 'candidate_removed', note: 'fake' });
    expect(resolved).toMatchObject({ status: 'resolved', outcome: 'candidate_removed' });
    const twice = await refusalOf(review.resolve(reviewer, flag.id, { outcome: 'no_action' }));
    expect({ kind: twice.kind, field: twice.field }).toEqual({ kind: 'conflict', field: 'id' });

    const reopened = await review.reopen({ subject: 'admin-1', role: 'admin' }, flag.id, 'photo was real');
    expect(reopened).toMatchObject({ status: 'open', outcome: null });
    expect(reopened.history.map((event) => [event.action, event.actor])).toEqual([
      ['opened', 'rev-1'],
      ['resolved', 'rev-1'],
      ['reopened', 'admin-1'],
    ]);
    expect((await review.list('open', 10, 0)).flags.map((item) => item.id)).toContain(flag.id);
    expect((await review.list('resolved', 10, 0)).flags.map((item) => item.id)).not.toContain(flag.id);
  });

  it('refuses to reopen a member-report item while a newer one about the member is open', async () => {
    const report = (reporterId: string, reason: string) =>
      harness.db.transaction((tx) => fileMemberReport(tx, { reporterId, targetId: 'rs-reported', reason }));
    const first = await report('rs-viewer', 'spam');
    await review.resolve(reviewer, first, { outcome: 'member_warned' });
    const second = await report('rs-candidate', 'spam again');
    expect(second).not.toBe(first);

    const refused = await refusalOf(review.reopen(reviewer, first, 'look again'));
    expect({ kind: refused.kind, field: refused.field }).toEqual({ kind: 'conflict', field: 'id' });
    expect(refused.problem).toContain(`(flag ${second})`);
    expect((await review.get(first)).status).toBe('resolved');
    expect((await review.list('open', 10, 0, 'member_report')).flags.map((item) => item.id)).toEqual([second]);
  });
});
