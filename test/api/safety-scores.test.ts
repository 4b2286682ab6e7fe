// The safety-score admin API on real databases: batch upserts (all or nothing, change notices after
// commit), reads and idempotent deletes, the bulk lookup the slate uses, bad input naming the field,
// and who may call it (reviewers and admins only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemberChanges, type MemberChange } from '../../server/events/member-changes.js';
import { SafetyScoresService } from '../../server/safety/safety-scores.service.js';
import { databaseKinds } from '../support/databases.js';
import { bearer, memberWithProfile, startTestApp, type TestApp } from '../support/test-app.js';

const SCORES = '/api/v2/admin/safety-scores';

describe.each(databaseKinds)('safety scores [%s]', (kind) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let reviewer: Record<string, string>;
  // The service the app runs, built again over the same database with notices the test can see.
  const changes: MemberChange[] = [];
  let observed: SafetyScoresService;

  beforeAll(async () => {
    t = await startTestApp(kind);
    for (const id of ['safe-1', 'safe-2', 'safe-3', 'safe-4']) await memberWithProfile(t, id);
    admin = bearer(await t.token('admin', 'moderation-bot'));
    reviewer = bearer(await t.token('reviewer', 'tns-reviewer'));
    const memberChanges = new MemberChanges();
    memberChanges.subscribe((change) => changes.push(change));
    observed = new SafetyScoresService(t.scratch.db, t.app.engine.repositories.safetyScores, memberChanges);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function put(payload: unknown, headers = admin) {
    return t.app.inject({ method: 'PUT', url: SCORES, headers, payload: payload as object });
  }

  async function storedCount(): Promise<number> {
    const { rows } = await t.scratch.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM safety_scores`);
    return rows[0]!.n;
  }

  it('upserts a batch through the API and records who wrote it', async () => {
    const first = await put({
      scores: [
        { memberId: 'safe-1', harassmentScore: 0.93, source: 'perspective-v3' },
        { memberId: 'safe-2', harassmentScore: 0.1 },
      ],
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().scores).toMatchObject([
      { memberId: 'safe-1', harassmentScore: 0.93, source: 'perspective-v3', updatedBy: 'moderation-bot' },
      { memberId: 'safe-2', harassmentScore: 0.1, source: 'manual', updatedBy: 'moderation-bot' },
    ]);

    // A reviewer corrects one score: replaced, not duplicated.
    const corrected = await put({ scores: [{ memberId: 'safe-1', harassmentScore: 0.4, source: 'review' }] }, reviewer);
    expect(corrected.statusCode).toBe(200);
    const read = await t.app.inject({ method: 'GET', url: `${SCORES}/safe-1`, headers: reviewer });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({
      memberId: 'safe-1',
      harassmentScore: 0.4,
      source: 'review',
      updatedBy: 'tns-reviewer',
    });
    expect(Number.isNaN(Date.parse(read.json().updatedAt))).toBe(false);

    // The slate's bulk lookup: scored members only, unknown and unscored ids simply absent.
    const found = await t.app.engine.safetyScores.scoresFor(['safe-1', 'safe-2', 'safe-3', 'nobody']);
    expect([...found].sort()).toEqual([
      ['safe-1', 0.4],
      ['safe-2', 0.1],
    ]);
    expect((await t.app.engine.safetyScores.scoresFor([])).size).toBe(0);
  });

  it('announces each changed member after the commit, and nothing for a refused batch or a no-op delete', async () => {
    changes.length = 0;
    await observed.write(
      [
        { memberId: 'safe-3', harassmentScore: 0.5 },
        { memberId: 'safe-4', harassmentScore: 0.2 },
      ],
      'moderation-bot',
    );
    expect(changes).toEqual([
      { memberId: 'safe-3', reason: 'safety_score' },
      { memberId: 'safe-4', reason: 'safety_score' },
    ]);
    await expect(observed.write([{ memberId: 'ghost', harassmentScore: 0.5 }], 'moderation-bot')).rejects.toThrow(
      /names no member/,
    );
    expect(await observed.remove('safe-4')).toBe(true);
    expect(await observed.remove('safe-4')).toBe(false);
    expect(changes.slice(2)).toEqual([{ memberId: 'safe-4', reason: 'safety_score' }]);
  });

  it('deletes idempotently through the API and answers 404 for an unscored member', async () => {
    await put({ scores: [{ memberId: 'safe-3', harassmentScore: 0.5 }] });
    const removed = await t.app.inject({ method: 'DELETE', url: `${SCORES}/safe-3`, headers: admin });
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toEqual({ memberId: 'safe-3', deleted: true });

    const again = await t.app.inject({ method: 'DELETE', url: `${SCORES}/safe-3`, headers: admin });
    expect(again.json()).toEqual({ memberId: 'safe-3', deleted: false });

    const missing = await t.app.inject({ method: 'GET', url: `${SCORES}/safe-3`, headers: admin });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'memberId: "safe-3" has no safety score (unscored)',
    });
  });

  it('writes nothing when one member id is unknown, and names the item', async () => {
    const before = await storedCount();
    const response = await put({
      scores: [
        { memberId: 'safe-4', harassmentScore: 0.2 },
        { memberId: 'safe-2', harassmentScore: 0.3 },
        { memberId: 'safe-1', harassmentScore: 0.3 },
        { memberId: 'ghost', harassmentScore: 0.9 },
      ],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().message).toBe('body.scores[3].memberId: "ghost" names no member');
    expect(await storedCount()).toBe(before);
    expect((await t.app.engine.safetyScores.scoresFor(['safe-4', 'safe-2'])).get('safe-2')).toBe(0.1);
  });

  it('rejects duplicates in one batch with a 400 naming both items', async () => {
    const response = await put({
      scores: [
        { memberId: 'safe-4', harassmentScore: 0.2 },
        { memberId: 'safe-2', harassmentScore: 0.3 },
        { memberId: 'safe-4', harassmentScore: 0.9 },
      ],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^body\.scores\[2\]\.memberId: "safe-4" repeats scores\[0\]\.memberId/);
    expect(await t.app.engine.safetyScores.scoresFor(['safe-4'])).toEqual(new Map());
  });

  it.each([
    ['a score above 1', { scores: [{ memberId: 'safe-4', harassmentScore: 1.2 }] }, /harassmentScore/],
    ['a negative score', { scores: [{ memberId: 'safe-4', harassmentScore: -0.1 }] }, /harassmentScore/],
    ['a score as text', { scores: [{ memberId: 'safe-4', harassmentScore: '0.5' }] }, /harassmentScore/],
    ['an empty batch', { scores: [] }, /scores/],
    ['an unknown field', { scores: [{ memberId: 'safe-4', harassmentScore: 0.5, severity: 'high' }] }, /severity/],
    ['an empty member id', { scores: [{ memberId: '', harassmentScore: 0.5 }] }, /memberId/],
    ['an empty source', { scores: [{ memberId: 'safe-4', harassmentScore: 0.5, source: '' }] }, /source/],
    ['no scores field', {}, /scores/],
  ])('rejects %s with a 400 naming the field', async (_label, payload, field) => {
    const response = await put(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(response.json().message).toMatch(/^body/);
    expect(response.json().message).toMatch(field);
  });

  it('rejects a batch above 1000 items', async () => {
    const scores = Array.from({ length: 1001 }, (_, i) => ({ memberId: `m${i}`, harassmentScore: 0.1 }));
    const response = await put({ scores });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^body.*scores/);
  });

  it.each(['member', 'ml_engineer'] as const)('refuses a %s with 403', async (role) => {
    const headers = bearer(await t.token(role, 'safe-4'));
    const write = await put({ scores: [{ memberId: 'safe-4', harassmentScore: 0 }] }, headers);
    expect(write.statusCode).toBe(403);
    const read = await t.app.inject({ method: 'GET', url: `${SCORES}/safe-2`, headers });
    expect(read.statusCode).toBe(403);
    const remove = await t.app.inject({ method: 'DELETE', url: `${SCORES}/safe-2`, headers });
    expect(remove.statusCode).toBe(403);
    expect((await t.app.engine.safetyScores.scoresFor(['safe-2'])).get('safe-2')).toBe(0.1);
    expect((await t.app.engine.safetyScores.scoresFor(['safe-4'])).size).toBe(0);
  });
});
