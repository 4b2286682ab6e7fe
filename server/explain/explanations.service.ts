// Why a member was suggested: checks who may ask, picks the model that ranked the pair (the one of the
// viewer's latest impression of the target, else the live one), computes the pair's features with the
// serving code, explains them with exact TreeSHAP and turns that into reasons and chips (reasons.ts).
// Explanations are cached per (viewer, target, model version); the module drops a member's entries when
// a change to them is published.
import type { Explanation } from '../../shared/schemas/explanations.js';
import { STAFF } from '../../shared/schemas/roles.js';
import type { Principal } from '../auth/tokens.js';
import { PAIR_FEATURE_NAMES } from '../features/pair-feature-spec.js';
import { featureRow, type PairFeaturesService } from '../features/pair-features.service.js';
import { HttpError, UnavailableError } from '../http/errors.js';
import { featureMismatch, type LoadedModel } from '../models/loaded-model.js';
import type { ModelRegistry } from '../models/model-registry.service.js';
import type { ExplainMap } from './explain-map.js';
import type { ExplanationsCache } from './explanations-cache.js';
import { ExplanationsRepository } from './explanations.repository.js';
import { explainPair, optedOutGroups } from './reasons.js';
import type { Queryable } from '../db/database.js';

export interface WhyResult {
  explanation: Explanation;
  /** Whether the explanation came from the cache (sent as the `x-sde-cache` header). */
  cache: 'hit' | 'miss';
}

export class ExplanationsService {
  private readonly repository: ExplanationsRepository;
  private hitCount = 0;
  private missCount = 0;

  constructor(
    db: Queryable,
    private readonly features: PairFeaturesService,
    private readonly models: ModelRegistry,
    private readonly map: ExplainMap,
    private readonly cache: ExplanationsCache<Explanation>,
  ) {
    this.repository = new ExplanationsRepository(db);
  }

  /** Cache hits and misses since start (benchmarks and the console read them). */
  get cacheStats(): { hits: number; misses: number; entries: number } {
    return { hits: this.hitCount, misses: this.missCount, entries: this.cache.size };
  }

  /** The API's entry: the caller explains their own suggestion; staff may name another viewer. */
  async why(caller: Principal, targetId: string, requestedViewerId?: string): Promise<WhyResult> {
    if (requestedViewerId !== undefined && requestedViewerId !== caller.subject && !STAFF.includes(caller.role)) {
      throw new HttpError(
        403,
        `querystring.viewerId: role "${caller.role}" may only ask why a member was suggested to itself`,
      );
    }
    const viewerId = requestedViewerId ?? caller.subject;
    const viewerField = requestedViewerId === undefined ? 'viewer' : 'querystring.viewerId';
    if (targetId === viewerId) {
      throw new HttpError(422, `params.targetId: is the viewer "${viewerId}"; explanations are about someone else`);
    }
    // The members check and the model lookup are independent: run them together (a cache hit needs
    // nothing else), then report a missing member before a missing model.
    const [members, model] = await Promise.allSettled([
      this.repository.members([viewerId, targetId]),
      this.modelFor(viewerId, targetId),
    ]);
    if (members.status === 'rejected') throw members.reason;
    if (!members.value.has(viewerId)) {
      throw new HttpError(
        404,
        `${viewerField}: member "${viewerId}" has no saved attributes (or is deleted); save a profile with PUT /api/v2/users/me/attributes first`,
      );
    }
    if (!members.value.has(targetId)) {
      throw new HttpError(404, `params.targetId: no member "${targetId}" with saved attributes (unknown or deleted)`);
    }
    if (model.status === 'rejected') throw model.reason;
    return this.explainWith(viewerId, targetId, model.value);
  }

  /** For in-process callers (slates, the console) that already checked access; answers from the cache when it can. */
  async explain(viewerId: string, targetId: string): Promise<WhyResult> {
    return this.explainWith(viewerId, targetId, await this.modelFor(viewerId, targetId));
  }

  private async explainWith(viewerId: string, targetId: string, model: LoadedModel): Promise<WhyResult> {
    const cached = this.cache.get(viewerId, targetId, model.id);
    if (cached) {
      this.hitCount++;
      return { explanation: cached, cache: 'hit' };
    }
    this.missCount++;
    const explanation = await this.compute(viewerId, targetId, model);
    this.cache.set(viewerId, targetId, model.id, explanation);
    return { explanation, cache: 'miss' };
  }

  /** Drops cached explanations involving the member (subscribed to member changes). */
  invalidateMember(memberId: string): void {
    this.cache.invalidateMember(memberId);
  }

  private async compute(viewerId: string, targetId: string, model: LoadedModel): Promise<Explanation> {
    const [batch, members, sharedFavorites] = await Promise.all([
      this.features.featuresFor(viewerId, [targetId]),
      this.repository.members([viewerId, targetId]),
      this.repository.sharedFavorites(viewerId, targetId),
    ]);
    const viewer = members.get(viewerId);
    const target = members.get(targetId);
    // Checked by the caller; a member deleted in between is still a 404, not a 500.
    if (!batch.viewerKnown || !viewer) throw new HttpError(404, `viewer: member "${viewerId}" no longer exists`);
    if (batch.candidateIds.length !== 1 || !target) {
      throw new HttpError(404, `params.targetId: member "${targetId}" no longer exists`);
    }
    const row = featureRow(batch, 0);
    const shap = model.explainer.explain(row);
    const targetHobbies = new Set(target.hobbies);
    const targetCommunities = new Set(target.communities);
    const reasons = explainPair({
      values: row,
      contributions: shap.contributions,
      masked: optedOutGroups(viewer.shares, target.shares),
      traits: {
        sharedHobbies: viewer.hobbies.filter((hobby) => targetHobbies.has(hobby)),
        sharedCommunities: viewer.communities.filter((community) => targetCommunities.has(community)),
        sharedFavorites,
      },
      map: this.map,
    });
    return {
      targetId,
      viewerId,
      model: model.id,
      ...reasons,
      expectedValue: shap.expectedValue,
      score: model.scorer.score(row),
    };
  }

  /** The model that ranked the pair when it still exists and reads today's features, else the live one. */
  private async modelFor(viewerId: string, targetId: string): Promise<LoadedModel> {
    const served = await this.repository.lastServedModel(viewerId, targetId);
    if (served) {
      const model = await this.models.loadModel(served).catch((error: unknown) => {
        if (error instanceof HttpError && error.statusCode === 404) return null;
        throw error;
      });
      if (model && featureMismatch(model.featureNames, PAIR_FEATURE_NAMES) === null) return model;
    }
    const live = await this.models.liveModel('ranker');
    if (!live) {
      throw new UnavailableError(
        'ranker: no live ranking model to explain with; train one (POST /api/v2/admin/models/train) or promote one (POST /api/v2/admin/models/:id/promote)',
      );
    }
    const mismatch = featureMismatch(live.featureNames, PAIR_FEATURE_NAMES);
    if (mismatch) {
      throw new UnavailableError(
        `ranker: live model ${live.id} cannot be explained on the current pair features (${mismatch}); promote a model trained on them`,
      );
    }
    return live;
  }
}
