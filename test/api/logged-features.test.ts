// Features as the ranker saw them, on each database: a slate served through the API logs each entry's
// pair-feature row; the training export reads those rows back (not features recomputed from profiles
// changed since), re-applies the members' current privacy masks, leaves out and counts impressions
// without logged features, and the daily retention job clears old logs while keeping the impressions.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelList } from '../../shared/schemas/models.js';
import type { TrainingDataExport } from '../../shared/schemas/ranking.js';
import type { SlateResponse } from '../../shared/schemas/slate.js';
import {
  PAIR_FEATURE_COUNT,
  PAIR_FEATURE_NAMES,
  PAIR_FEATURES_VERSION,
} from '../../server/features/pair-feature-spec.js';
import { PairFeaturesRepository } from '../../server/features/pair-features.repository.js';
import { PairFeaturesService } from '../../server/features/pair-features.service.js';
import { QueueContracts } from '../../server/jobs/queues.js';
import { parseLibsvm, parseQueryFile } from '../../server/lib/ranker/libsvm.js';
import { databaseKinds } from '../support/databases.js';
import { seedFeedback } from '../support/feedback.js';
import { seedSlatePopulation, type SlatePopulation } from '../support/slate-population.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const HOBBIES = PAIR_FEATURE_NAMES.indexOf('hobbies_jaccard');
const COMMUNITIES = PAIR_FEATURE_NAMES.indexOf('communities_jaccard');
const DISTANCE = PAIR_FEATURE_NAMES.indexOf('distance_km');
/** The viewer's swipes on the first entries of her slate: two labels of each kind but one. */
const ACTIONS = ['like', 'pass', 'superlike', 'like', 'pass'] as const;

describe.each(databaseKinds)('features as the ranker saw them [%s]', (kind) => {
  let t: TestApp;
  let population: SlatePopulation;
  let viewer: string;
  let engineer: Record<string, string>;
  /** The slate's entries, and those the viewer swiped on, in the slate's order. */
  let served: string[];
  let swiped: string[];
  let slateId: string;

  /** The training export of the last 100 days (the default window is 90). */
  async function exportTraining(): Promise<TrainingDataExport> {
    const from = new Date(Date.now() - 100 * 86_400_000).toISOString();
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/v2/admin/training-data?from=${from}`,
      headers: engineer,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<TrainingDataExport>();
  }

  /** The viewer's exported rows by candidate (the export orders a group's candidates by id). */
  function rowsOf(exported: TrainingDataExport, memberId: string, candidates: string[]): Map<string, number[]> {
    const data = parseLibsvm(exported.libsvm, { numFeatures: PAIR_FEATURE_COUNT });
    const sizes = Array.from(parseQueryFile(exported.query));
    const group = exported.viewers.indexOf(memberId);
    expect(group).toBeGreaterThanOrEqual(0);
    const start = sizes.slice(0, group).reduce((sum, size) => sum + size, 0);
    expect(sizes[group]).toBe(candidates.length);
    return new Map(
      [...candidates].sort().map((candidate, i) => {
        const row = start + i;
        return [candidate, Array.from(data.rows.subarray(row * PAIR_FEATURE_COUNT, (row + 1) * PAIR_FEATURE_COUNT))];
      }),
    );
  }

  async function loggedRows(): Promise<Map<string, number[] | null>> {
    const { rows } = await t.scratch.db.query<{ candidate_id: string; features: number[] | null }>(
      'SELECT candidate_id, features FROM slate_impressions WHERE slate_id = $1',
      [slateId],
    );
    return new Map(rows.map((row) => [row.candidate_id, row.features]));
  }

  async function patchPrivacy(memberId: string, payload: Record<string, boolean>) {
    const response = await t.app.inject({
      method: 'PATCH',
      url: '/api/v2/discovery/privacy',
      headers: bearer(await t.token('member', memberId)),
      payload,
    });
    expect(response.statusCode, response.body).toBe(200);
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { fastJobs: true });
    population = await seedSlatePopulation(t.scratch.db);
    viewer = population.viewerId;
    engineer = bearer(await t.token('ml_engineer', 'logged-features-ml'));
    const memberToken = bearer(await t.token('member', viewer));
    // No model is live: the control arm serves in retrieval order, and still logs what it served from.
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v2/discovery/slate?limit=8',
      headers: memberToken,
    });
    expect(response.statusCode, response.body).toBe(200);
    const slate = response.json<SlateResponse>();
    expect(slate.model).toBeNull();
    slateId = slate.slateId;
    served = slate.slate.map((entry) => entry.userId);
    swiped = served.slice(0, ACTIONS.length);
    for (const [i, targetId] of swiped.entries()) {
      const swipe = await t.app.inject({
        method: 'POST',
        url: '/api/v2/discovery/feedback',
        headers: memberToken,
        payload: { targetId, action: ACTIONS[i], slateId },
      });
      expect(swipe.statusCode, swipe.body).toBeLessThan(300);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('logs, for every served entry, the feature row it was ranked on and the spec version', async () => {
    const { rows } = await t.scratch.db.query<{ features: number[] | null; feature_version: string | null }>(
      'SELECT features, feature_version FROM slate_impressions WHERE slate_id = $1',
      [slateId],
    );
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      expect(row.feature_version).toBe(PAIR_FEATURES_VERSION);
      expect(row.features).toHaveLength(PAIR_FEATURE_COUNT);
    }
  });

  it('exports the logged rows and keeps them when a profile changes, where recomputed features would differ', async () => {
    const before = rowsOf(await exportTraining(), viewer, swiped);
    const logged = await loggedRows();
    for (const candidate of swiped) expect(before.get(candidate)).toEqual(logged.get(candidate));
    expect(before.get(swiped[0]!)![HOBBIES]).toBe(1);

    // The viewer moves from Berlin to Munich and swaps her hobbies, through the attributes API.
    const moved = await t.app.inject({
      method: 'PUT',
      url: '/api/v2/users/me/attributes',
      headers: bearer(await t.token('member', viewer)),
      payload: {
        location: { lat: 48.137, lon: 11.575, place: 'Munich' },
        birthday: '1993-06-01',
        hobbies: ['opera'],
        communities: [],
        connectors: {},
        gender: 'woman',
        seeking: ['man', 'nonbinary'],
      },
    });
    expect(moved.statusCode, moved.body).toBe(200);

    const after = rowsOf(await exportTraining(), viewer, swiped);
    expect(after).toEqual(before);
    // Features computed now would be another row: the test above would catch a recomputing export.
    const now = await new PairFeaturesService(new PairFeaturesRepository(t.scratch.db)).featuresFor(viewer, swiped);
    const recomputed = now.rows.subarray(0, PAIR_FEATURE_COUNT);
    expect(now.candidateIds[0]).toBe(swiped[0]);
    expect(recomputed[HOBBIES]).toBe(0);
    expect(recomputed[DISTANCE]).toBeGreaterThan(before.get(swiped[0]!)![DISTANCE]! + 400);
  });

  it("masks a group a member opted out of after the impression, and only that member's rows", async () => {
    const [optingOut, other] = swiped as [string, string];
    await patchPrivacy(optingOut, { interests: false });
    try {
      const rows = rowsOf(await exportTraining(), viewer, swiped);
      expect(rows.get(optingOut)![HOBBIES]).toBe(0);
      expect(rows.get(optingOut)![COMMUNITIES]).toBe(0);
      expect(rows.get(other)![HOBBIES]).toBe(1);
      // The rest of the row is the logged one.
      const logged = (await loggedRows()).get(optingOut)!;
      expect(rows.get(optingOut)!.filter((_, i) => i !== HOBBIES && i !== COMMUNITIES)).toEqual(
        logged.filter((_, i) => i !== HOBBIES && i !== COMMUNITIES),
      );
    } finally {
      await patchPrivacy(optingOut, { interests: true });
    }
    expect(rowsOf(await exportTraining(), viewer, swiped).get(optingOut)![HOBBIES]).toBe(1);
  });

  it('leaves out and counts labelled impressions without logged features, in the export and in a trained model', async () => {
    expect((await exportTraining()).impressionsWithoutFeatures).toBe(0);
    // Two answered impressions from before feature logging (no row) and from another spec version.
    const [unlogged, otherVersion] = population.candidateIds.filter((id) => !served.includes(id));
    const oldSlate = randomUUID();
    await t.scratch.db.query(
      `INSERT INTO slate_impressions (slate_id, position, viewer_id, candidate_id, arm, served_at, features, feature_version)
       VALUES ($1, 0, $2, $3, 'control', now() - interval '1 hour', NULL, NULL),
              ($1, 1, $2, $4, 'control', now() - interval '1 hour', $5::double precision[], 'pair-features-v0')`,
      [oldSlate, viewer, unlogged, otherVersion, Array<number>(PAIR_FEATURE_COUNT).fill(1)],
    );
    await t.scratch.db.query(
      `INSERT INTO swipes (viewer_id, target_id, action, slate_id) VALUES ($1, $2, 'like', $4), ($1, $3, 'like', $4)`,
      [viewer, unlogged, otherVersion, oldSlate],
    );
    const exported = await exportTraining();
    expect(exported.impressionsWithoutFeatures).toBe(2);
    expect(rowsOf(exported, viewer, swiped).size).toBe(swiped.length);

    // A training run needs ten viewers: seeded feedback logged as served, beside the rows above.
    await seedFeedback(t.scratch.db, { viewers: 12, candidates: 6, prefix: 'lf' });
    const queued = await t.app.inject({
      method: 'POST',
      url: '/api/v2/admin/models/train',
      payload: { numIterations: 5, note: 'logged features' },
      headers: engineer,
    });
    expect(queued.statusCode, queued.body).toBe(202);
    const trained = await waitFor(
      async () => {
        const list = await t.app.inject({ method: 'GET', url: '/api/v2/admin/models', headers: engineer });
        return list.json<ModelList>().models.find((model) => model.createdBy === 'logged-features-ml');
      },
      60_000,
      'the trained model',
    );
    expect(trained.metrics).toMatchObject({ impressionsWithoutFeatures: 2, trainViewers: expect.any(Number) });
  });

  it('clears logged features past the retention daily, keeping the impressions', async () => {
    // The swiped slate is made old; everything else is recent.
    await t.scratch.db.query(
      `UPDATE slate_impressions SET served_at = now() - interval '91 days' WHERE slate_id = $1`,
      [slateId],
    );
    const count = async (where: string) =>
      (
        await t.scratch.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM slate_impressions WHERE ${where}`, [
          slateId,
        ])
      ).rows[0]!.n;
    const recentLogged = await count('slate_id <> $1 AND features IS NOT NULL');
    expect(recentLogged).toBeGreaterThan(0);

    const jobId = await t.app.engine.jobs.send(QueueContracts.featureLogRetention, {});
    await waitFor(
      async () => {
        const { rows } = await t.scratch.db.query<{ state: string }>(
          'SELECT state::text AS state FROM pgboss.job WHERE id = $1',
          [jobId],
        );
        return rows[0]?.state === 'completed' ? true : undefined;
      },
      60_000,
      'the retention job',
    );
    expect(await count('slate_id = $1')).toBe(8);
    expect(await count('slate_id = $1 AND (features IS NOT NULL OR feature_version IS NOT NULL)')).toBe(0);
    expect(await count('slate_id <> $1 AND features IS NOT NULL')).toBe(recentLogged);
    // The old slate's answered impressions are now counted as without features.
    const exported = await exportTraining();
    expect(exported.viewers).not.toContain(viewer);
    expect(exported.impressionsWithoutFeatures).toBe(2 + swiped.length);
  });
});
