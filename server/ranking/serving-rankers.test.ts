// The one ranking path: the arms' rankers, the no-op ranker, the feature check and the one tie-break —
// proved the same for the slate (rankRetrieved) and the Rank API (RankService) on equal scores.
import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../shared/schemas/candidates.js';
import type { ServedMembersRepository } from '../access/served-members.repository.js';
import { DomainError } from '../errors/domain-errors.js';
import type { RerankerArm } from '../experiments/reranker-arms.js';
import { PAIR_FEATURE_COUNT, PAIR_FEATURE_NAMES } from '../features/pair-feature-spec.js';
import type { CandidateFacts } from '../features/pair-features.js';
import type { PairFeatureBatch, PairFeaturesService } from '../features/pair-features.service.js';
import type { LoadedModel } from '../models/loaded-model.js';
import { rankRetrieved } from '../slate/slate-pipeline.js';
import { RankService } from './rank.service.js';
import {
  bestFirst,
  ModelRanker,
  NoopRanker,
  requireLiveModel,
  servingRankers,
  type ServingModels,
} from './serving-rankers.js';

/** A model whose scores are given per row, in the batch's order. */
function fakeModel(
  id: string,
  scores: number[],
  status: LoadedModel['status'] = 'live',
  featureNames = PAIR_FEATURE_NAMES,
) {
  return {
    id,
    status,
    featureNames,
    scorer: { scoreRows: () => Float64Array.from(scores), score: () => 0 },
  } as unknown as LoadedModel;
}

function batchOf(ids: string[]): PairFeatureBatch {
  return {
    viewerId: 'viewer',
    candidateIds: ids,
    rows: new Float64Array(ids.length * PAIR_FEATURE_COUNT),
    unknownIds: [],
    viewerKnown: true,
    viewerShares: null,
    facts: new Map(ids.map((id) => [id, {} as CandidateFacts])),
  };
}

function registry(live: LoadedModel | null, shadow: LoadedModel | null = null): ServingModels {
  return { liveModel: async () => live, shadowModel: async () => shadow };
}

describe('the tie-break', () => {
  // Incoming order d, b, c, a; d, c and a tie.
  const ids = ['d', 'b', 'c', 'a'];
  const scores = [0.5, 0.9, 0.5, 0.5];
  const expected = ['b', 'd', 'c', 'a'];

  it('orders best first and keeps the incoming order among equal scores', () => {
    expect(bestFirst(ids, new Map(ids.map((id, index) => [id, scores[index]!])))).toEqual(expected);
  });

  it('is the same on the slate and on the Rank API', async () => {
    const model = fakeModel('m', scores);
    const batch = batchOf(ids);
    const retrieved: Candidate[] = ids.map((userId) => ({ userId, score: 0.1, sources: ['taste'] }));
    const slateOrder = rankRetrieved(retrieved, batch, new ModelRanker(model)).ranked.map((c) => c.userId);

    const features = { featuresFor: async () => batch } as unknown as PairFeaturesService;
    const rank = new RankService(features, registry(model), {} as ServedMembersRepository);
    const { ranked } = await rank.rank({ subject: 'ops', role: 'admin' }, 'viewer', ids);

    expect(slateOrder).toEqual(expected);
    expect(ranked.map((entry) => entry.userId)).toEqual(slateOrder);
    expect(ranked.map((entry) => entry.score)).toEqual([0.9, 0.5, 0.5, 0.5]);
  });
});

describe('NoopRanker', () => {
  it('keeps the incoming order and gives no scores', () => {
    expect(new NoopRanker().rank(batchOf(['c', 'a', 'b']))).toEqual({ order: ['c', 'a', 'b'], scores: null });
  });
});

describe('servingRankers', () => {
  const live = fakeModel('live-1', [], 'live');
  const candidate = fakeModel('cand-1', [], 'shadow');
  const ids = async (arm: RerankerArm, models: ServingModels) => {
    const { served, shadow, notes } = await servingRankers(models, arm);
    return { served: served.model?.id ?? null, shadow: shadow.model?.id ?? null, notes };
  };

  it.each<[RerankerArm, string | null, string | null]>([
    ['control', 'live-1', null],
    ['treatment', 'cand-1', null],
    ['shadow', 'live-1', 'cand-1'],
    ['holdout', null, null],
  ])('%s: served by %s, shadow %s', async (arm, served, shadow) => {
    expect(await ids(arm, registry(live, candidate))).toEqual({ served, shadow, notes: [] });
  });

  it('falls back to the live model without a candidate, and to retrieval order without a live one', async () => {
    expect(await ids('treatment', registry(live))).toEqual({
      served: 'live-1',
      shadow: null,
      notes: ['arm treatment: no candidate (shadow) model; served by the live model'],
    });
    expect(await ids('control', registry(null))).toEqual({
      served: null,
      shadow: null,
      notes: ['no live ranking model: served in retrieval order'],
    });
  });

  it('refuses (503) a model that reads other features than the engine computes', async () => {
    const stale = fakeModel('stale-1', [], 'live', ['only_one']);
    await expect(servingRankers(registry(stale), 'control')).rejects.toMatchObject({
      kind: 'unavailable',
      message: expect.stringMatching(/^ranker: live model stale-1 cannot rank the current pair features/),
    });
    await expect(requireLiveModel(registry(stale), 'rank')).rejects.toBeInstanceOf(DomainError);
  });

  it('names the missing live model as the Rank API and explanations have always said', async () => {
    await expect(requireLiveModel(registry(null), 'rank')).rejects.toThrow(/^ranker: no live ranking model; train one/);
    await expect(requireLiveModel(registry(null), 'explain')).rejects.toThrow(
      /^ranker: no live ranking model to explain with; train one/,
    );
  });
});
