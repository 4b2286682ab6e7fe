// The one ranking path: which model ranks for an experiment arm (or the Rank API, or an explanation),
// the one check that a model reads the features the engine computes, and the one order every caller
// serves — the slate, POST /api/v2/discovery/rank (and gRPC Rank), the shadow ranking the slate logs.
// "No model" is a ranker too (NoopRanker, as in metarank): it keeps the incoming order, so callers
// never branch on a missing model to decide how to order.
import { UnavailableError } from '../errors/domain-errors.js';
import type { RerankerArm } from '../experiments/reranker-arms.js';
import { PAIR_FEATURE_NAMES } from '../features/pair-feature-spec.js';
import type { PairFeatureBatch } from '../features/pair-features.service.js';
import { featureMismatch, type LoadedModel } from '../models/loaded-model.js';
import type { ModelRegistry } from '../models/model-registry.service.js';

/** What choosing a ranker needs of the model registry. */
export type ServingModels = Pick<ModelRegistry, 'liveModel' | 'shadowModel'>;

/** A batch's candidates in serving order. */
export interface Ranking {
  /** Candidate ids, best first. */
  order: string[];
  /** Each candidate's score; null from a ranker that does not score (the no-op). */
  scores: Map<string, number> | null;
}

export interface Ranker {
  /** The model that scores (logged with the impressions, named in responses); null for the no-op. */
  readonly model: LoadedModel | null;
  /** The batch's found candidates (`batch.candidateIds`, in their incoming order), ranked. */
  rank(batch: PairFeatureBatch): Ranking;
}

/** Ranks by a model's scores. */
export class ModelRanker implements Ranker {
  constructor(readonly model: LoadedModel) {}

  rank(batch: PairFeatureBatch): Ranking {
    const values = this.model.scorer.scoreRows(batch.rows, batch.candidateIds.length);
    const scores = new Map(batch.candidateIds.map((id, index) => [id, values[index]!]));
    return { order: bestFirst(batch.candidateIds, scores), scores };
  }
}

/** No model: the candidates keep the order they came in (retrieval order on the slate). */
export class NoopRanker implements Ranker {
  readonly model = null;

  rank(batch: PairFeatureBatch): Ranking {
    return { order: [...batch.candidateIds], scores: null };
  }
}

/**
 * The one tie-break: highest score first, and equal scores keep the incoming order (retrieval order on
 * the slate, the caller's order on the Rank API). Tree ensembles give many candidates exactly the same
 * score, and the incoming order still carries the upstream signal (retrieval's relevance) that a by-id
 * tie-break would throw away; it is also what NoopRanker does when every score ties. The slate already
 * broke ties this way; the Rank API used to order them by user id. Array#sort is stable.
 */
export function bestFirst(ids: readonly string[], scores: ReadonlyMap<string, number>): string[] {
  return [...ids].sort((a, b) => scores.get(b)! - scores.get(a)!);
}

/** The one feature check: null when the model reads the pair features as the engine computes them. */
export function featuresMismatch(model: LoadedModel): string | null {
  return featureMismatch(model.featureNames, PAIR_FEATURE_NAMES);
}

/** The registry refuses to promote a model with other columns; this guards a spec change since. */
function requireCurrentFeatures(model: LoadedModel): LoadedModel {
  const mismatch = featuresMismatch(model);
  if (mismatch) {
    throw new UnavailableError(
      `ranker: ${model.status} model ${model.id} cannot rank the current pair features (${mismatch}); promote a model trained on them`,
    );
  }
  return model;
}

const TRAIN_OR_PROMOTE =
  'train one (POST /api/v2/admin/models/train) or promote one (POST /api/v2/admin/models/:id/promote)';

/** The live model for a caller that cannot do without one (the Rank API ranks, explanations explain). */
export async function requireLiveModel(models: ServingModels, use: 'rank' | 'explain'): Promise<LoadedModel> {
  const live = await models.liveModel('ranker');
  if (!live) {
    const what = use === 'rank' ? 'no live ranking model' : 'no live ranking model to explain with';
    throw new UnavailableError(`ranker: ${what}; ${TRAIN_OR_PROMOTE}`);
  }
  return requireCurrentFeatures(live);
}

/** The rankers of an experiment arm: the one that serves, the one scored on the side (shadow arm). */
export interface ServingRankers {
  served: Ranker;
  shadow: Ranker;
  /** What the slate's response says about a fallback. */
  notes: string[];
}

const NOOP = new NoopRanker();

/** The arm's rankers (reranker-arms.ts says what each arm means). */
export async function servingRankers(models: ServingModels, arm: RerankerArm): Promise<ServingRankers> {
  if (arm === 'holdout') return { served: NOOP, shadow: NOOP, notes: [] };
  const notes: string[] = [];
  const live = await models.liveModel('ranker');
  const candidate = arm === 'control' ? null : await models.shadowModel('ranker');
  if (arm !== 'control' && !candidate) notes.push(`arm ${arm}: no candidate (shadow) model; served by the live model`);
  const served = arm === 'treatment' && candidate ? candidate : live;
  if (!served) notes.push('no live ranking model: served in retrieval order');
  const shadow = arm === 'shadow' ? candidate : null;
  return { served: rankerFor(served), shadow: rankerFor(shadow), notes };
}

function rankerFor(model: LoadedModel | null): Ranker {
  return model ? new ModelRanker(requireCurrentFeatures(model)) : NOOP;
}
