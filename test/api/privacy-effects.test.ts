// Proof, not promises (issue 12): each privacy toggle diffed before and after, on each database, through
// PATCH /api/v2/discovery/privacy. The taste vector changes only by the withheld group's blocks; a masked
// group's pair features are zero in serving and in the training export; TreeSHAP explanations never name
// a masked group; a re-enabled group returns; favorites off serves a generic slate (no taste ANN) whose
// trace says so, and the nightly builder leaves such a member without a vector until they turn it back on.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaText } from '../../server/embeddings/media-text.js';
import {
  MASKABLE_GROUPS,
  PAIR_FEATURES,
  PAIR_FEATURE_COUNT,
  PAIR_FEATURE_NAMES,
  type MaskableGroup,
} from '../../server/features/pair-feature-spec.js';
import { PairFeaturesService } from '../../server/features/pair-features.service.js';
import { PairFeaturesRepository } from '../../server/features/pair-features.repository.js';
import { writeLightGbmModel } from '../../server/lib/ranker/lightgbm-format.js';
import { parseLibsvm, parseQueryFile } from '../../server/lib/ranker/libsvm.js';
import { TasteBuilderService } from '../../server/taste/taste-builder.service.js';
import {
  FACTOR_RANK,
  blockRanges,
  composeTasteBlocks,
  composeTasteVector,
  type TasteInputs,
} from '../../server/taste/taste-model.js';
import { TasteRepository } from '../../server/taste/taste.repository.js';
import type { Candidate } from '../../shared/schemas/candidates.js';
import type { Explanation } from '../../shared/schemas/explanations.js';
import type { TrainingDataExport } from '../../shared/schemas/ranking.js';
import type { SlateResponse } from '../../shared/schemas/slate.js';
import { databaseKinds } from '../support/databases.js';
import { dataDirWithSharedWordVectors } from '../support/embeddings-data-dir.js';
import { seedFeedback, type SeededFeedback } from '../support/feedback.js';
import { stump } from '../support/profile-ranker-model.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';
import { registerRanker } from '../support/register-ranker.js';

const PRIVACY = '/api/v2/discovery/privacy';
/** One feature per group that the seeded pairs have non-zero, so a mask is visible. */
const WITNESS: Record<MaskableGroup, string> = {
  interests: 'hobbies_jaccard',
  behavioural: 'candidate_like_rate',
  connectors: 'shared_connector_favorites',
  favorites: 'shared_favorites',
};
const columnsOf = (group: MaskableGroup) =>
  PAIR_FEATURES.flatMap((feature, index) => (feature.group === group ? [index] : []));

/** A ranker whose only positive TreeSHAP contribution is the group's witness feature: its top reason. */
function groupRankerModel(group: MaskableGroup): string {
  return writeLightGbmModel({
    featureNames: [...PAIR_FEATURE_NAMES],
    objective: 'lambdarank',
    comparison: 'le',
    baseScore: 0,
    // Absent (≤ 0) scores −1; present scores 0: presence pushes the pair up by +0.75.
    trees: [stump(WITNESS[group], 0, -1, 15, 5)],
  });
}

describe.each(databaseKinds)('privacy effects, proven [%s]', (kind) => {
  let t: TestApp;
  let seeded: SeededFeedback;
  let viewer: string;
  /** The candidate who shares a hobby, favorites (one through a connector on both sides) with the viewer. */
  let target: string;

  /** Switches groups the way a member does; asserts the route took it. */
  async function setShared(memberId: string, patch: Partial<Record<MaskableGroup, boolean>>) {
    const response = await t.app.inject({
      method: 'PATCH',
      url: PRIVACY,
      headers: bearer(await t.token('member', memberId)),
      payload: patch,
    });
    expect(response.statusCode, response.body).toBe(200);
  }

  async function storedVector(memberId: string): Promise<number[] | null> {
    const { rows } = await t.scratch.db.query<{ taste: string }>(
      'SELECT taste::text AS taste FROM user_taste_vectors WHERE user_id = $1',
      [memberId],
    );
    return rows[0] ? (JSON.parse(rows[0].taste) as number[]) : null;
  }

  async function slate(memberId: string) {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/v2/discovery/slate?limit=10&viewerId=${memberId}`,
      headers: bearer(await t.token('reviewer', 'privacy-reviewer')),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<SlateResponse>();
  }

  async function runNightlyBuilder() {
    const { repositories, jobs, embeddings, taste } = t.app.engine;
    await new TasteBuilderService(repositories.taste, repositories.mediaEmbeddings, jobs, embeddings, taste).run(
      randomUUID(),
    );
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { config: { dataDir: await dataDirWithSharedWordVectors() } });
    const db = t.scratch.db;
    // The profiles are complete before the seeded slates were served, so their logged features see them.
    const beforeServing = async (fresh: SeededFeedback) => {
      viewer = fresh.viewerIds[0]!;
      target = fresh.sharingHobby[0]!;
      await db.query(
        `INSERT INTO media (id, kind, title) VALUES ('pe-film-1', 'film', 'Blade Runner'), ('pe-film-2', 'film', 'Alien'),
                ('pe-song-1', 'recording', 'Teardrop')`,
      );
      const favorites: Array<[string, string, string]> = [
        [viewer, 'pe-film-1', 'manual'],
        [viewer, 'pe-film-2', 'manual'],
        [viewer, 'pe-song-1', 'spotify'],
        [target, 'pe-film-1', 'manual'],
        [target, 'pe-song-1', 'spotify'],
      ];
      for (const [member, media, source] of favorites) {
        await db.query('INSERT INTO favorites (member_id, media_id, source) VALUES ($1, $2, $3)', [
          member,
          media,
          source,
        ]);
      }
      await db.query(`UPDATE members SET communities = ARRAY['Berlin Techno'] WHERE id = $1`, [viewer]);
      // Everyone gets a taste vector the product way, so the slate's normal path has a taste ANN to use.
      for (const member of [...fresh.viewerIds, ...fresh.candidateIds]) await t.app.engine.taste.rebuildMember(member);
    };
    seeded = await seedFeedback(db, { viewers: 3, candidates: 6, prefix: 'pe', beforeServing });
    // Members the viewer has not swiped yet (seedFeedback's candidates were all swiped two days ago, so
    // no source may offer them): nearby, sharing the hobby, with taste vectors, liked by other viewers.
    for (let i = 0; i < 6; i++) {
      const id = `pe-fresh-${i}`;
      await db.query(
        `INSERT INTO members (id, display_name, gender, seeking, birthday, lat, lon, hobbies, last_active_at)
         VALUES ($1, $1, 'man', ARRAY['woman'], '1991-02-03', $2, 13.4, $3, now())`,
        [id, 52.5 + i * 0.02, i % 2 === 0 ? ['climbing'] : ['opera']],
      );
      await db.query(`INSERT INTO favorites (member_id, media_id) VALUES ($1, 'pe-film-2')`, [id]);
      if (i < 3) {
        await db.query(`INSERT INTO swipes (viewer_id, target_id, action) VALUES ($1, $2, 'like')`, [
          seeded.viewerIds[1],
          id,
        ]);
      }
      await t.app.engine.taste.rebuildMember(id);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the taste vector changes only by the withheld group’s blocks: interests off zeroes the interests and communities blocks, favorites stay', async () => {
    // The inputs the builder reads, rebuilt here from the same provider, so the stored vector can be
    // compared with the model's own blocks (the projection to 256-d is not invertible for this layout).
    const provider = await t.app.engine.embeddings.provider('privacy_effects_test');
    const favorites = await new TasteRepository(t.scratch.db).favoritesOf(viewer, true);
    const hobbies = ['climbing'];
    const { vectors } = await provider.embed([...hobbies, ...favorites.map((favorite) => mediaText(favorite))]);
    const layout = { factorRank: FACTOR_RANK, contentDimensions: provider.dimensions };
    const inputs = (shareInterests: boolean): TasteInputs => ({
      favorites: favorites.map((_, i) => ({ content: vectors[hobbies.length + i]! })),
      interests: shareInterests ? vectors.slice(0, hobbies.length) : [],
      communities: shareInterests ? ['Berlin Techno'] : [],
    });
    const before = composeTasteBlocks(inputs(true), layout).concatenated!;
    const storedBefore = await storedVector(viewer);
    expect(storedBefore).not.toBeNull();
    Array.from(composeTasteVector(inputs(true), layout)!.vector).forEach((value, d) =>
      expect(storedBefore![d]).toBeCloseTo(value, 5),
    );

    await setShared(viewer, { interests: false });
    await t.app.engine.taste.rebuildMember(viewer);
    const after = composeTasteBlocks(inputs(false), layout).concatenated!;
    const storedAfter = await storedVector(viewer);
    Array.from(composeTasteVector(inputs(false), layout)!.vector).forEach((value, d) =>
      expect(storedAfter![d]).toBeCloseTo(value, 5),
    );
    const ranges = blockRanges(layout);
    const slice = (blocks: Float64Array, [from, to]: [number, number]) => Array.from(blocks.subarray(from, to));
    expect(slice(after, ranges.favorites)).toEqual(slice(before, ranges.favorites));
    expect(slice(before, ranges.interests).some((value) => value !== 0)).toBe(true);
    expect(slice(after, ranges.interests).every((value) => value === 0)).toBe(true);
    expect(slice(after, ranges.communities).every((value) => value === 0)).toBe(true);
    expect(storedAfter).not.toEqual(storedBefore);

    // Re-enabled, the group returns: the rebuilt vector is the one from before.
    await setShared(viewer, { interests: true });
    await t.app.engine.taste.rebuildMember(viewer);
    (await storedVector(viewer))!.forEach((value, d) => expect(value).toBeCloseTo(storedBefore![d]!, 5));
  });

  it.each(MASKABLE_GROUPS)(
    'pair features of a masked group (%s) are zero in serving and in the training export, and return when re-enabled',
    async (group) => {
      const features = new PairFeaturesService(new PairFeaturesRepository(t.scratch.db));
      const exportRow = async () => {
        const response = await t.app.inject({
          method: 'GET',
          url: '/api/v2/admin/training-data',
          headers: bearer(await t.token('ml_engineer', 'privacy-ml')),
        });
        expect(response.statusCode).toBe(200);
        const exported = response.json<TrainingDataExport>();
        const data = parseLibsvm(exported.libsvm, { numFeatures: PAIR_FEATURE_COUNT });
        const sizes = Array.from(parseQueryFile(exported.query));
        const groupIndex = exported.viewers.indexOf(viewer);
        // Rows come grouped by viewer, candidates in id order.
        const start = sizes.slice(0, groupIndex).reduce((sum, size) => sum + size, 0);
        const row = start + [...seeded.candidateIds].sort().indexOf(target);
        return Array.from(data.rows.subarray(row * PAIR_FEATURE_COUNT, (row + 1) * PAIR_FEATURE_COUNT));
      };
      const servedRow = async () => Array.from((await features.featuresFor(viewer, [target])).rows);
      const witness = PAIR_FEATURE_NAMES.indexOf(WITNESS[group]);

      expect((await servedRow())[witness]).not.toBe(0);
      expect((await exportRow())[witness]).not.toBe(0);
      await setShared(target, { [group]: false });
      try {
        const served = await servedRow();
        const exported = await exportRow();
        for (const column of columnsOf(group)) {
          expect([PAIR_FEATURE_NAMES[column], served[column]]).toEqual([PAIR_FEATURE_NAMES[column], 0]);
          expect([PAIR_FEATURE_NAMES[column], exported[column]]).toEqual([PAIR_FEATURE_NAMES[column], 0]);
        }
      } finally {
        await setShared(target, { [group]: true });
      }
      expect((await servedRow())[witness]).not.toBe(0);
      expect((await exportRow())[witness]).not.toBe(0);
    },
  );

  it.each(MASKABLE_GROUPS)(
    'TreeSHAP explanations never name a masked group (%s), for staff or the member, and name it again once re-enabled',
    async (group) => {
      const why = async (role: 'reviewer' | 'member') => {
        const response = await t.app.inject({
          method: 'GET',
          url:
            role === 'reviewer'
              ? `/api/v2/discovery/why/${target}?viewerId=${viewer}`
              : `/api/v2/discovery/why/${target}`,
          headers: bearer(await t.token(role, role === 'member' ? viewer : 'privacy-reviewer')),
        });
        expect(response.statusCode, response.body).toBe(200);
        return response.json<Explanation>();
      };
      await registerRanker(t.app.engine.models, `privacy-${group}-model`, groupRankerModel(group), 'candidate');
      await t.app.engine.models.promote(`privacy-${group}-model`, 'live', 'privacy-test');
      const named = (explanation: Explanation) => explanation.features.map((feature) => feature.group);
      expect(named(await why('reviewer'))).toContain(group);
      await setShared(target, { [group]: false });
      try {
        for (const role of ['reviewer', 'member'] as const) {
          const explanation = await why(role);
          expect(named(explanation)).not.toContain(group);
          const text = JSON.stringify(explanation);
          for (const column of columnsOf(group)) expect(text).not.toContain(`"${PAIR_FEATURE_NAMES[column]}"`);
          if (group === 'favorites') {
            // The favorites-derived chips go with the group.
            expect(text).not.toContain('Blade Runner');
            expect(text).not.toContain('Teardrop');
          }
        }
      } finally {
        await setShared(target, { [group]: true });
      }
      expect(named(await why('reviewer'))).toContain(group);
    },
  );

  it('favorites off: the member is served a generic slate (community, proximity, popularity) whose trace says so, never the taste ANN', async () => {
    const normal = await slate(viewer);
    expect(normal.retrieval).toEqual({ mode: 'taste', reason: null });
    expect(normal.trace.some((entry) => entry.sources.includes('taste'))).toBe(true);

    await setShared(viewer, { favorites: false });
    expect(await storedVector(viewer)).toBeNull();
    const generic = await slate(viewer);
    expect(generic.retrieval).toEqual({ mode: 'generic', reason: 'favorites_opt_out' });
    expect(generic.slate.length).toBeGreaterThan(0);
    const sources = new Set(generic.trace.flatMap((entry) => entry.sources));
    expect(sources.has('taste')).toBe(false);
    expect(sources).toEqual(new Set(['community', 'proximity', 'popularity']));
    // The member's own view and the candidates endpoint say the same.
    const own = await t.app.inject({
      method: 'GET',
      url: '/api/v2/discovery/slate?limit=10',
      headers: bearer(await t.token('member', viewer)),
    });
    expect(own.json<SlateResponse>().retrieval).toEqual({ mode: 'generic', reason: 'favorites_opt_out' });
    const listed = await t.app.inject({
      method: 'GET',
      url: '/api/v2/discovery/candidates?k=50',
      headers: bearer(await t.token('member', viewer)),
    });
    expect(listed.headers['x-sde-retrieval-mode']).toBe('generic');
    expect(listed.headers['x-sde-retrieval-reason']).toBe('favorites_opt_out');
    expect(listed.json<Candidate[]>().every((candidate) => !candidate.sources.includes('taste'))).toBe(true);
  });

  it('favorites off: the nightly taste builder writes no vector for the member, and includes them again once back on', async () => {
    await setShared(viewer, { favorites: false });
    await runNightlyBuilder();
    expect(await storedVector(viewer)).toBeNull();
    expect(await storedVector(seeded.viewerIds[1]!)).not.toBeNull();
    expect((await slate(viewer)).retrieval.mode).toBe('generic');

    await setShared(viewer, { favorites: true });
    await runNightlyBuilder();
    expect(await storedVector(viewer)).not.toBeNull();
    t.app.engine.candidates.invalidateCandidates(viewer);
    const back = await slate(viewer);
    expect(back.retrieval).toEqual({ mode: 'taste', reason: null });
    expect(back.trace.some((entry) => entry.sources.includes('taste'))).toBe(true);
  });
});
