// The review queue through its API on each database: flagging a candidate or a whole slate (members
// and slates checked), listing newest first with display names, resolving once with an outcome,
// reopening, the history of it all, bad input naming the field, and access for reviewers and admins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewFlag, ReviewFlagPage, ReviewFlagWithHistory } from '../../shared/schemas/review.js';
import { databaseKinds } from '../support/databases.js';
import { bearer, memberWithProfile, startTestApp, type TestApp } from '../support/test-app.js';

const FLAGS = '/api/v2/review/flags';
const SLATE_ID = '7b1f6c3a-2d4e-4f5a-8b9c-0d1e2f3a4b5c';
const OTHER_SLATE_ID = '7b1f6c3a-2d4e-4f5a-8b9c-0d1e2f3a4b5d';

describe.each(databaseKinds)('review queue [%s]', (kind) => {
  let t: TestApp;
  let reviewer: Record<string, string>;
  let admin: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp(kind, { config: { jobs: { enabled: false, dwellRefreshCron: '*/5 * * * *' } } });
    reviewer = bearer(await t.token('reviewer', 'rev-1'));
    admin = bearer(await t.token('admin', 'admin-1'));
    await memberWithProfile(t, 'rq-viewer');
    await memberWithProfile(t, 'rq-candidate');
    await memberWithProfile(t, 'rq-other');
    await t.scratch.db.query(`UPDATE members SET display_name = 'Vera Viewer' WHERE id = 'rq-viewer'`);
    await t.scratch.db.query(`UPDATE members SET display_name = 'Carl Candidate' WHERE id = 'rq-candidate'`);
    await t.scratch.db.query(
      `INSERT INTO slate_impressions (slate_id, position, viewer_id, candidate_id)
       VALUES ($1, 0, 'rq-viewer', 'rq-candidate'), ($2, 0, 'rq-other', 'rq-candidate')`,
      [SLATE_ID, OTHER_SLATE_ID],
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  const createFlag = (payload: Record<string, unknown>, headers = reviewer) =>
    t.app.inject({ method: 'POST', url: FLAGS, headers, payload });

  it('flags a candidate on a slate and reads it back with names and history', async () => {
    const response = await createFlag({
      viewerId: 'rq-viewer',
      candidateId: 'rq-candidate',
      slateId: SLATE_ID,
      note: 'photo looks like a stock image',
    });
    expect(response.statusCode).toBe(201);
    const flag = response.json<ReviewFlag>();
    expect(flag).toEqual({
      id: expect.any(Number),
      viewerId: 'rq-viewer',
      viewerName: 'Vera Viewer',
      candidateId: 'rq-candidate',
      candidateName: 'Carl Candidate',
      slateId: SLATE_ID,
      note: 'photo looks like a stock image',
      status: 'open',
      outcome: null,
      createdBy: 'rev-1',
      createdAt: expect.any(String),
      resolvedBy: null,
      resolvedAt: null,
      resolutionNote: null,
      source: 'reviewer',
      reportCount: 0,
      reporterIds: [],
    });
    const read = await t.app.inject({ method: 'GET', url: `${FLAGS}/${flag.id}`, headers: admin });
    expect(read.statusCode).toBe(200);
    expect(read.json<ReviewFlagWithHistory>().history).toEqual([
      {
        action: 'opened',
        actor: 'rev-1',
        outcome: null,
        note: 'photo looks like a stock image',
        at: expect.any(String),
      },
    ]);
  });

  it('flags a whole slate (no candidate)', async () => {
    const response = await createFlag({ viewerId: 'rq-viewer', note: 'slate is all one community' }, admin);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      candidateId: null,
      candidateName: null,
      slateId: null,
      createdBy: 'admin-1',
    });
  });

  it('answers 404 naming the field for a member that does not exist or is deleted', async () => {
    const unknownViewer = await createFlag({ viewerId: 'rq-nobody', note: 'x' });
    expect(unknownViewer.statusCode).toBe(404);
    expect(unknownViewer.json().message).toMatch(/^body\.viewerId: member "rq-nobody"/);
    const unknownCandidate = await createFlag({ viewerId: 'rq-viewer', candidateId: 'rq-nobody', note: 'x' });
    expect(unknownCandidate.statusCode).toBe(404);
    expect(unknownCandidate.json().message).toMatch(/^body\.candidateId: member "rq-nobody"/);
    await memberWithProfile(t, 'rq-deleted');
    await t.scratch.db.query(`UPDATE members SET deleted_at = now() WHERE id = 'rq-deleted'`);
    const deleted = await createFlag({ viewerId: 'rq-deleted', note: 'x' });
    expect(deleted.statusCode).toBe(404);
  });

  it('answers 422 for a slate that was not served to that viewer, and stores nothing', async () => {
    const before = (await t.app.inject({ method: 'GET', url: FLAGS, headers: reviewer })).json<ReviewFlagPage>();
    for (const slateId of [OTHER_SLATE_ID, '00000000-0000-4000-8000-000000000000']) {
      const response = await createFlag({ viewerId: 'rq-viewer', slateId, note: 'x' });
      expect(response.statusCode).toBe(422);
      expect(response.json().message).toMatch(/^body\.slateId: slate /);
    }
    const after = (await t.app.inject({ method: 'GET', url: FLAGS, headers: reviewer })).json<ReviewFlagPage>();
    expect(after.total).toBe(before.total);
  });

  it.each([
    [{ candidateId: 'rq-candidate', note: 'x' }, /^body\.viewerId is required/],
    [{ viewerId: 'rq-viewer' }, /^body\.note is required/],
    [{ viewerId: 'rq-viewer', note: '' }, /^body\.note/],
    [{ viewerId: 'rq-viewer', note: 'x'.repeat(2001) }, /^body\.note/],
    [{ viewerId: 'rq-viewer', note: 'x', slateId: 'not-a-uuid' }, /^body\.slateId/],
    [{ viewerId: 'rq-viewer', note: 'x', severity: 'high' }, /^body\.severity is not a known field/],
    [{ viewerId: 42, note: 'x' }, /^body\.viewerId/],
  ])('refuses a bad flag body %j with 400 naming the field', async (payload, message) => {
    const response = await createFlag(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(message);
  });

  it('lists open flags newest first, paged, and resolved ones separately', async () => {
    const first = (await createFlag({ viewerId: 'rq-other', note: 'list first' })).json<ReviewFlag>();
    const second = (await createFlag({ viewerId: 'rq-other', note: 'list second' })).json<ReviewFlag>();
    const page = await t.app.inject({ method: 'GET', url: `${FLAGS}?status=open&limit=2`, headers: reviewer });
    expect(page.statusCode).toBe(200);
    const body = page.json<ReviewFlagPage>();
    expect(body.flags.map((flag) => flag.id)).toEqual([second.id, first.id]);
    expect(body).toMatchObject({ limit: 2, offset: 0 });
    expect(body.total).toBeGreaterThanOrEqual(4);
    const next = (
      await t.app.inject({ method: 'GET', url: `${FLAGS}?status=open&limit=2&offset=2`, headers: reviewer })
    ).json<ReviewFlagPage>();
    expect(next.flags.map((flag) => flag.id)).not.toContain(second.id);
    expect(next.flags.map((flag) => flag.id)).not.toContain(first.id);
    const resolved = (await t.app.inject({ method: 'GET', url: `${FLAGS}?status=resolved`, headers: reviewer })).json();
    expect(resolved.flags.every((flag: ReviewFlag) => flag.status === 'resolved')).toBe(true);
  });

  it('resolves a flag once with an outcome, reopens it, and keeps the whole history', async () => {
    const flag = (await createFlag({ viewerId: 'rq-viewer', candidateId: 'rq-candidate', note: 'resolve me' })).json();
    const resolve = (payload: Record<string, unknown>, headers = reviewer) =>
      t.app.inject({ method: 'POST', url: `${FLAGS}/${flag.id}/resolve`, headers, payload });

    const resolved = await resolve({ outcome: 'candidate_removed', note: 'removed from the pool' });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({
      status: 'resolved',
      outcome: 'candidate_removed',
      resolvedBy: 'rev-1',
      resolutionNote: 'removed from the pool',
      resolvedAt: expect.any(String),
    });

    const again = await resolve({ outcome: 'no_action' }, admin);
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/^params\.id: flag \d+ is already resolved/);

    const listed = (await t.app.inject({ method: 'GET', url: `${FLAGS}?status=resolved`, headers: reviewer })).json();
    expect(listed.flags.map((f: ReviewFlag) => f.id)).toContain(flag.id);

    const reopened = await t.app.inject({
      method: 'POST',
      url: `${FLAGS}/${flag.id}/reopen`,
      headers: admin,
      payload: { note: 'the candidate appealed' },
    });
    expect(reopened.statusCode).toBe(200);
    const body = reopened.json<ReviewFlagWithHistory>();
    expect(body).toMatchObject({ status: 'open', outcome: null, resolvedBy: null, resolvedAt: null });
    expect(body.history.map((event) => [event.action, event.actor, event.outcome, event.note])).toEqual([
      ['opened', 'rev-1', null, 'resolve me'],
      ['resolved', 'rev-1', 'candidate_removed', 'removed from the pool'],
      ['reopened', 'admin-1', null, 'the candidate appealed'],
    ]);

    const reopenAgain = await t.app.inject({
      method: 'POST',
      url: `${FLAGS}/${flag.id}/reopen`,
      headers: admin,
      payload: { note: 'twice' },
    });
    expect(reopenAgain.statusCode).toBe(409);
    const resolvedAgain = await resolve({ outcome: 'no_action' });
    expect(resolvedAgain.statusCode).toBe(200);
  });

  it('refuses bad resolve and reopen bodies, and unknown or malformed ids', async () => {
    const flag = (await createFlag({ viewerId: 'rq-viewer', note: 'bad input' })).json();
    const cases: Array<[string, unknown, number, RegExp]> = [
      [`${FLAGS}/${flag.id}/resolve`, {}, 400, /^body\.outcome is required/],
      [`${FLAGS}/${flag.id}/resolve`, { outcome: 'banned' }, 400, /^body\.outcome/],
      [`${FLAGS}/${flag.id}/resolve`, { outcome: 'no_action', by: 'x' }, 400, /^body\.by is not a known field/],
      [`${FLAGS}/${flag.id}/reopen`, {}, 400, /^body\.note is required/],
      [`${FLAGS}/abc/resolve`, { outcome: 'no_action' }, 400, /^params\.id/],
      [`${FLAGS}/999999/resolve`, { outcome: 'no_action' }, 404, /^params\.id: review flag 999999 does not exist/],
      [`${FLAGS}/999999/reopen`, { note: 'x' }, 404, /^params\.id: review flag 999999/],
    ];
    for (const [url, payload, status, message] of cases) {
      const response = await t.app.inject({ method: 'POST', url, headers: reviewer, payload: payload as object });
      expect(response.statusCode, url).toBe(status);
      expect(response.json().message).toMatch(message);
    }
    const missing = await t.app.inject({ method: 'GET', url: `${FLAGS}/999999`, headers: reviewer });
    expect(missing.statusCode).toBe(404);
    const badQuery = await t.app.inject({ method: 'GET', url: `${FLAGS}?status=closed`, headers: reviewer });
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.json().message).toMatch(/^querystring\.status/);
    // Still open: nothing a refused request did was stored.
    const read = (await t.app.inject({ method: 'GET', url: `${FLAGS}/${flag.id}`, headers: reviewer })).json();
    expect(read).toMatchObject({ status: 'open' });
    expect(read.history).toHaveLength(1);
  });

  it('is for reviewers and admins: members and ML engineers get 403, no token 401', async () => {
    for (const role of ['member', 'ml_engineer'] as const) {
      const headers = bearer(await t.token(role));
      expect((await t.app.inject({ method: 'GET', url: FLAGS, headers })).statusCode).toBe(403);
      expect((await createFlag({ viewerId: 'rq-viewer', note: 'x' }, headers)).statusCode).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: FLAGS })).statusCode).toBe(401);
  });

  it('drops a member’s flags when the member is removed', async () => {
    await memberWithProfile(t, 'rq-erased');
    const flag = (await createFlag({ viewerId: 'rq-erased', note: 'to be erased' })).json();
    await t.scratch.db.query(`DELETE FROM members WHERE id = 'rq-erased'`);
    const read = await t.app.inject({ method: 'GET', url: `${FLAGS}/${flag.id}`, headers: reviewer });
    expect(read.statusCode).toBe(404);
  });
});

// Member reports (issue 11): a `report` swipe opens a review item in the same queue, one per reported
// member while it is open; later reports join it (count and history) instead of opening another.
describe.each(databaseKinds)('member reports reach the review queue [%s]', (kind) => {
  let t: TestApp;
  let reviewer: Record<string, string>;
  const members: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    t = await startTestApp(kind, { config: { jobs: { enabled: false, dwellRefreshCron: '*/5 * * * *' } } });
    reviewer = bearer(await t.token('reviewer', 'rev-1'));
    for (const id of ['mr-target', 'mr-alice', 'mr-bob', 'mr-carol']) members[id] = await memberWithProfile(t, id);
  });
  afterAll(async () => {
    await t?.close();
  });

  const report = (reporter: string, targetId: string, reason: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v2/discovery/feedback',
      headers: members[reporter],
      payload: { targetId, action: 'report', reason },
    });
  const openReportsAbout = async (memberId: string): Promise<ReviewFlag[]> => {
    const page = await t.app.inject({ method: 'GET', url: `${FLAGS}?status=open&limit=200`, headers: reviewer });
    expect(page.statusCode).toBe(200);
    return page
      .json<ReviewFlagPage>()
      .flags.filter((flag) => flag.source === 'member_report' && flag.viewerId === memberId);
  };

  it("why: a member's report opens a review item with the reporter's reason (source member report)", async () => {
    expect((await report('mr-alice', 'mr-target', 'asked me for money')).statusCode).toBe(201);
    const items = await openReportsAbout('mr-target');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      source: 'member_report',
      viewerId: 'mr-target',
      candidateId: null,
      note: 'asked me for money',
      status: 'open',
      reportCount: 1,
      reporterIds: ['mr-alice'],
    });
    const read = await t.app.inject({ method: 'GET', url: `${FLAGS}/${items[0]!.id}`, headers: reviewer });
    expect(read.json<ReviewFlagWithHistory>().history.map((event) => [event.action, event.actor, event.note])).toEqual([
      ['opened', 'mr-alice', 'asked me for money'],
    ]);
  });

  it('why: a second report on the same target while its item is open joins that item, not a new one', async () => {
    expect((await report('mr-bob', 'mr-target', 'fake photos')).statusCode).toBe(201);
    const items = await openReportsAbout('mr-target');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ reportCount: 2, reporterIds: ['mr-alice', 'mr-bob'] });
    const read = (
      await t.app.inject({ method: 'GET', url: `${FLAGS}/${items[0]!.id}`, headers: reviewer })
    ).json<ReviewFlagWithHistory>();
    expect(read.history.map((event) => [event.action, event.actor, event.note])).toEqual([
      ['opened', 'mr-alice', 'asked me for money'],
      ['reported', 'mr-bob', 'fake photos'],
    ]);
  });

  it('why: after its item is resolved, a new report on the same target opens a new item', async () => {
    const [first] = await openReportsAbout('mr-target');
    const resolved = await t.app.inject({
      method: 'POST',
      url: `${FLAGS}/${first!.id}/resolve`,
      headers: reviewer,
      payload: { outcome: 'member_warned' },
    });
    expect(resolved.statusCode).toBe(200);
    expect(await openReportsAbout('mr-target')).toEqual([]);

    expect((await report('mr-carol', 'mr-target', 'threatening messages')).statusCode).toBe(201);
    const items = await openReportsAbout('mr-target');
    expect(items).toHaveLength(1);
    expect(items[0]!.id).not.toBe(first!.id);
    expect(items[0]).toMatchObject({ note: 'threatening messages', reportCount: 1, reporterIds: ['mr-carol'] });

    // Two open items about one member would split the reports: reopening the old one is refused.
    const reopened = await t.app.inject({
      method: 'POST',
      url: `${FLAGS}/${first!.id}/reopen`,
      headers: reviewer,
      payload: { note: 'second look' },
    });
    expect(reopened.statusCode).toBe(409);
    expect(reopened.json().message).toMatch(/^params\.id: .*open review item/);
  });

  it('why: a report is stored with its review item or not at all (one transaction)', async () => {
    // A reason the review queue cannot hold makes the whole report fail; no swipe is left without its item.
    await t.scratch.db.query(
      `ALTER TABLE review_flags ADD CONSTRAINT test_refuse_reports CHECK (note <> 'refused by the queue')`,
    );
    try {
      const refused = await report('mr-alice', 'mr-bob', 'refused by the queue');
      expect(refused.statusCode).toBe(500);
    } finally {
      await t.scratch.db.query(`ALTER TABLE review_flags DROP CONSTRAINT test_refuse_reports`);
    }
    const swipes = await t.scratch.db.query(
      `SELECT 1 FROM swipes WHERE viewer_id = 'mr-alice' AND target_id = 'mr-bob' AND action = 'report'`,
    );
    expect(swipes.rows).toHaveLength(0);
  });

  it('a plain reviewer flag says it came from a reviewer, with no reports', async () => {
    const flag = await t.app.inject({
      method: 'POST',
      url: FLAGS,
      headers: reviewer,
      payload: { viewerId: 'mr-target', note: 'reviewer flag' },
    });
    expect(flag.json()).toMatchObject({ source: 'reviewer', reportCount: 0, reporterIds: [] });
    const reportsOnly = await t.app.inject({
      method: 'GET',
      url: `${FLAGS}?status=open&source=member_report`,
      headers: reviewer,
    });
    expect(reportsOnly.statusCode).toBe(200);
    const listed = reportsOnly.json<ReviewFlagPage>();
    expect(listed.flags.length).toBeGreaterThan(0);
    expect(listed.flags.every((item) => item.source === 'member_report')).toBe(true);
    expect(listed.total).toBe(listed.flags.length);
    const badSource = await t.app.inject({ method: 'GET', url: `${FLAGS}?source=robot`, headers: reviewer });
    expect(badSource.statusCode).toBe(400);
    expect(badSource.json().message).toMatch(/^querystring\.source/);
  });
});
