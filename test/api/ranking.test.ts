// The re-ranker through the API on each database: POST /api/v2/discovery/rank with the live model
// (order, privacy masks, unknown ids, who may rank for whom), training-data export consistent with
// serving, and a training run queued over the API that registers a model which then ranks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelDetail, ModelList } from '../../shared/schemas/models.js';
import type { RankedList, TrainingDataExport } from '../../shared/schemas/ranking.js';
import { PAIR_FEATURE_COUNT, PAIR_FEATURE_NAMES } from '../../server/features/pair-feature-spec.js';
import { parseLibsvm, parseQueryFile } from '../../server/lib/ranker/libsvm.js';
import { PairFeaturesService } from '../../server/features/pair-features.service.js';
import { PairFeaturesRepository } from '../../server/features/pair-features.repository.js';
import { databaseKinds } from '../support/databases.js';
import { hobbyRankerModel, seedFeedback, type SeededFeedback } from '../support/feedback.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { registerRanker } from '../support/register-ranker.js';

const RANK = '/api/v2/discovery/rank';
describe.each(databaseKinds)('the re-ranker over the API [%s]', (kind) => {
  let t: TestApp;
  let seeded: SeededFeedback;
  let viewer: string;
  let viewerToken: string;
  /** A product back end ranks with a staff token and sees the scores. */
  let staffToken: string;

  async function rank(body: unknown, token = viewerToken) {
    const response = await t.app.inject({ method: 'POST', url: RANK, payload: body as object, headers: bearer(token) });
    return {
      status: response.statusCode,
      body: response.json<RankedList & { message?: string }>(),
      headers: response.headers,
    };
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { fastJobs: true });
    seeded = await seedFeedback(t.scratch.db, { viewers: 14, candidates: 8 });
    viewer = seeded.viewerIds[0]!;
    viewerToken = await t.token('member', viewer);
    staffToken = await t.token('ml_engineer', 'ranking-backend');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 503 naming what to do while no model is live', async () => {
    const { status, body } = await rank({ viewerId: viewer, candidateIds: seeded.candidateIds });
    expect(status).toBe(503);
    expect(body.message).toMatch(/^ranker: no live ranking model; train one/);
  });

  it('ranks with the live model, best first, and names the model in a header', async () => {
    await registerRanker(t.app.engine.models, 'hobby-model', hobbyRankerModel(), 'live');
    const { status, body, headers } = await rank({ viewerId: viewer, candidateIds: seeded.candidateIds }, staffToken);
    expect(status).toBe(200);
    expect(headers['x-sde-model-version']).toBe('hobby-model');
    expect(body).toHaveLength(seeded.candidateIds.length);
    const top = body.slice(0, seeded.sharingHobby.length).map((entry) => entry.userId);
    expect(new Set(top)).toEqual(new Set(seeded.sharingHobby));
    expect(body.slice(0, seeded.sharingHobby.length).every((entry) => entry.score === 1)).toBe(true);
    expect(body.slice(seeded.sharingHobby.length).every((entry) => entry.score === 0)).toBe(true);
  });

  it('masks the interests group when the candidate keeps interests private', async () => {
    const candidate = seeded.sharingHobby[0]!;
    await t.scratch.db.query('UPDATE members SET share_interests = false WHERE id = $1', [candidate]);
    try {
      const { body } = await rank({ viewerId: viewer, candidateIds: [candidate, seeded.sharingHobby[1]!] }, staffToken);
      expect(body.map((entry) => [entry.userId, entry.score])).toEqual([
        [seeded.sharingHobby[1], 1],
        [candidate, 0],
      ]);
    } finally {
      await t.scratch.db.query('UPDATE members SET share_interests = true WHERE id = $1', [candidate]);
    }
  });

  it('reports unknown candidate ids instead of dropping them', async () => {
    const { status, body } = await rank(
      { viewerId: viewer, candidateIds: [seeded.candidateIds[0], 'nobody-1', 'nobody-2'] },
      staffToken,
    );
    expect(status).toBe(422);
    expect(body.message).toBe(
      'body.candidateIds: 2 unknown member(s) "nobody-1", "nobody-2" (no saved attributes, or deleted)',
    );
  });

  it('rank: a member gets the order of members served to them, without scores', async () => {
    const { status, body } = await rank({ viewerId: viewer, candidateIds: seeded.candidateIds });
    expect(status).toBe(200);
    expect(new Set(body.slice(0, seeded.sharingHobby.length).map((entry) => entry.userId))).toEqual(
      new Set(seeded.sharingHobby),
    );
    expect(body.every((entry) => entry.score === undefined)).toBe(true);
  });

  it('rank: a member cannot rank a member never served to them (422, the same answer as an unknown id)', async () => {
    const stranger = seeded.viewerIds[2]!;
    const { status, body } = await rank({
      viewerId: viewer,
      candidateIds: [seeded.candidateIds[0], stranger, 'nobody'],
    });
    expect(status).toBe(422);
    expect(body.message).toBe(
      `body.candidateIds: 2 unknown member(s) "${stranger}", "nobody" (unknown, or not suggested to you in the last 30 days)`,
    );
  });

  it('rank: a block either way ends a member ranking the blocked member', async () => {
    const target = seeded.candidateIds[1]!;
    await t.scratch.db.query(`INSERT INTO swipes (viewer_id, target_id, action) VALUES ($1, $2, 'block')`, [
      target,
      viewer,
    ]);
    try {
      const { status } = await rank({ viewerId: viewer, candidateIds: [target] });
      expect(status).toBe(422);
    } finally {
      await t.scratch.db.query(`DELETE FROM swipes WHERE viewer_id = $1 AND target_id = $2 AND action = 'block'`, [
        target,
        viewer,
      ]);
    }
  });

  it.each<[string, unknown, number, string]>([
    ['no candidates', { viewerId: 'v', candidateIds: [] }, 400, 'body.candidateIds'],
    ['duplicate candidates', { viewerId: 'v', candidateIds: ['a', 'a'] }, 400, 'body.candidateIds'],
    [
      'too many candidates',
      { viewerId: 'v', candidateIds: Array.from({ length: 1001 }, (_, i) => `c${i}`) },
      400,
      'body.candidateIds',
    ],
    ['no viewer', { candidateIds: ['a'] }, 400, 'body'],
    ['an unknown field', { viewerId: 'v', candidateIds: ['a'], limit: 3 }, 400, 'body'],
  ])('rejects %s with a 400 naming the field', async (_name, body, status, field) => {
    const response = await rank(body);
    expect(response.status).toBe(status);
    expect(response.body.message?.startsWith(field)).toBe(true);
  });

  it('lets members rank only for themselves, staff for anyone, and 404s an unknown viewer', async () => {
    const other = seeded.viewerIds[1]!;
    const forbidden = await rank({ viewerId: other, candidateIds: [seeded.candidateIds[0]] });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toMatch(/^body\.viewerId: role "member" may only rank/);
    const reviewer = await rank(
      { viewerId: other, candidateIds: [seeded.candidateIds[0]] },
      await t.token('reviewer', 'rev'),
    );
    expect(reviewer.status).toBe(200);
    const unknown = await rank(
      { viewerId: 'ghost', candidateIds: [seeded.candidateIds[0]] },
      await t.token('admin', 'a'),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/^body\.viewerId: member "ghost"/);
  });

  it('exports training data whose rows are exactly the features serving computes', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v2/admin/training-data',
      headers: bearer(await t.token('ml_engineer', 'ml')),
    });
    expect(response.statusCode).toBe(200);
    const exported = response.json<TrainingDataExport>();
    expect(exported.featureNames).toEqual(PAIR_FEATURE_NAMES);
    expect(exported.groups).toBe(seeded.viewerIds.length);
    expect(exported.rows).toBe(seeded.viewerIds.length * seeded.candidateIds.length);
    expect(exported.labels).toEqual({
      pass: seeded.viewerIds.length * (seeded.candidateIds.length - seeded.sharingHobby.length),
      like: seeded.viewerIds.length * (seeded.sharingHobby.length - 2),
      strong: seeded.viewerIds.length * 2,
    });
    const data = parseLibsvm(exported.libsvm, { numFeatures: PAIR_FEATURE_COUNT });
    const groups = parseQueryFile(exported.query);
    expect(Array.from(groups)).toEqual(exported.viewers.map(() => seeded.candidateIds.length));
    // The first group's rows equal what the serving path computes for that viewer and those candidates.
    const firstViewer = exported.viewers[0]!;
    const served = await new PairFeaturesService(new PairFeaturesRepository(t.scratch.db)).featuresFor(
      firstViewer,
      seeded.candidateIds,
    );
    const byCandidate = new Map(
      served.candidateIds.map((id, i) => [
        id,
        served.rows.subarray(i * PAIR_FEATURE_COUNT, (i + 1) * PAIR_FEATURE_COUNT),
      ]),
    );
    const exportedRows = Array.from({ length: groups[0]! }, (_, i) =>
      Array.from(data.rows.subarray(i * PAIR_FEATURE_COUNT, (i + 1) * PAIR_FEATURE_COUNT)),
    );
    const servedRows = [...byCandidate.values()].map((row) => Array.from(row));
    // Candidates are exported in id order; compare as sets of rows (the days-inactive column moves with the clock).
    const inactive = PAIR_FEATURE_NAMES.indexOf('candidate_days_inactive');
    const strip = (rows: number[][]) =>
      rows.map((row) => row.filter((_, column) => column !== inactive).map((value) => value.toFixed(9))).sort();
    expect(strip(exportedRows)).toEqual(strip(servedRows));
  });

  it('refuses a malformed or reversed export window, naming the query field', async () => {
    const headers = bearer(await t.token('ml_engineer', 'ml'));
    const malformed = await t.app.inject({ method: 'GET', url: '/api/v2/admin/training-data?from=yesterday', headers });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json<{ message: string }>().message).toMatch(/^querystring\.from/);
    const reversed = await t.app.inject({
      method: 'GET',
      url: '/api/v2/admin/training-data?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      headers,
    });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json<{ message: string }>().message).toMatch(/^querystring\.from: must be before to/);
  });

  it('queues a training run that registers a candidate with offline metrics, which then ranks once promoted', async () => {
    const engineer = await t.token('ml_engineer', 'ml-engineer-1');
    const queued = await t.app.inject({
      method: 'POST',
      url: '/api/v2/admin/models/train',
      payload: { numIterations: 20, seed: 7, note: 'api test' },
      headers: bearer(engineer),
    });
    expect(queued.statusCode).toBe(202);
    const trained = await waitFor(
      async () => {
        const list = await t.app.inject({
          method: 'GET',
          url: '/api/v2/admin/models?status=candidate',
          headers: bearer(engineer),
        });
        return list.json<ModelList>().models.find((model) => model.createdBy === 'ml-engineer-1');
      },
      60_000,
      'the trained model to be registered',
    );
    const detail = (
      await t.app.inject({ method: 'GET', url: `/api/v2/admin/models/${trained.id}`, headers: bearer(engineer) })
    ).json<ModelDetail>();
    expect(detail.metrics['ndcg@10']).toBeGreaterThan(0.95);
    expect(detail.trainingWindow).not.toBeNull();
    expect((detail.featureSpec as { version: string }).version).toBe('pair-features-v1');
    const promoted = await t.app.inject({
      method: 'POST',
      url: `/api/v2/admin/models/${trained.id}/promote`,
      payload: { to: 'live' },
      headers: bearer(engineer),
    });
    expect(promoted.statusCode).toBe(200);
    const { body, headers } = await rank({ viewerId: viewer, candidateIds: seeded.candidateIds });
    expect(headers['x-sde-model-version']).toBe(trained.id);
    expect(new Set(body.slice(0, seeded.sharingHobby.length).map((entry) => entry.userId))).toEqual(
      new Set(seeded.sharingHobby),
    );
  });

  it('refuses a training run the window cannot support, and bad parameters', async () => {
    const admin = await t.token('admin', 'admin-1');
    const empty = await t.app.inject({
      method: 'POST',
      url: '/api/v2/admin/models/train',
      payload: { from: '2020-01-01T00:00:00Z', to: '2020-02-01T00:00:00Z' },
      headers: bearer(admin),
    });
    expect(empty.statusCode).toBe(422);
    expect(empty.json<{ message: string }>().message).toMatch(/^window: 0 viewer\(s\) with labelled impressions/);
    const reversed = await t.app.inject({
      method: 'POST',
      url: '/api/v2/admin/models/train',
      payload: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
      headers: bearer(admin),
    });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json<{ message: string }>().message).toMatch(/^body\.from: must be before to/);
    const badLeaves = await t.app.inject({
      method: 'POST',
      url: '/api/v2/admin/models/train',
      payload: { numLeaves: 1 },
      headers: bearer(admin),
    });
    expect(badLeaves.statusCode).toBe(400);
    expect(badLeaves.json<{ message: string }>().message).toMatch(/^body\.numLeaves/);
  });
});
