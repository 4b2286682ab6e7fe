// Why a member was suggested: checks who may ask and what they may see (`authorize`, the one access
// check), picks the model that ranked the pair (the one of the viewer's latest impression of the target,
// else the live one), computes the pair's features with the serving code, explains them with exact
// TreeSHAP and turns that into reasons and chips (reasons.ts).
// Two views: staff (reviewer, ml_engineer, admin) get exact values, contributions and scores; members get
// reasons, coarse bands and chips only, and only about members the engine served them in the last
// SERVED_WINDOW_DAYS with no block either way — anything else reads exactly like an unknown id.
// Explanations are cached per (viewer, target, model version, view); the module drops a member's entries
// when a change to them is published.
import type {
  Explanation,
  ExplainedFeature,
  MemberExplanation,
  WhyResponse,
} from '../../shared/schemas/explanations.js';
import { STAFF } from '../../shared/schemas/roles.js';
import type { Principal } from '../auth/tokens.js';
import type { Queryable } from '../db/database.js';
import { PAIR_FEATURE_NAMES } from '../features/pair-feature-spec.js';
import { featureRow, type PairFeaturesService } from '../features/pair-features.service.js';
import { HttpError } from '../http/errors.js';
import { UnavailableError } from '../errors/domain-errors.js';
import { featureMismatch, type LoadedModel } from '../models/loaded-model.js';
import type { ModelRegistry } from '../models/model-registry.service.js';
import { coarseAgeGapBand, coarseDistanceBand } from './bands.js';
import type { ExplainMap } from './explain-map.js';
import type { ExplanationsCache, ExplanationView } from './explanations-cache.js';
import { ExplanationsRepository } from './explanations.repository.js';
import { explainPair, optedOutGroups } from './reasons.js';
import { SERVED_WINDOW_DAYS, ServedMembersRepository } from '../access/served-members.repository.js';

export interface WhyResult {
  explanation: WhyResponse;
  /** Whether the explanation came from the cache (sent as the `x-sde-cache` header). */
  cache: 'hit' | 'miss';
}

/** Who the explanation is for, decided once by `authorize`. */
interface Access {
  viewerId: string;
  view: ExplanationView;
}

export class ExplanationsService {
  private readonly repository: ExplanationsRepository;
  private readonly served: ServedMembersRepository;
  private hitCount = 0;
  private missCount = 0;

  constructor(
    db: Queryable,
    private readonly features: PairFeaturesService,
    private readonly models: ModelRegistry,
    private readonly map: ExplainMap,
    private readonly cache: ExplanationsCache<WhyResponse>,
  ) {
    this.repository = new ExplanationsRepository(db);
    this.served = new ServedMembersRepository(db);
  }

  /** Cache hits and misses since start (benchmarks and the console read them). */
  get cacheStats(): { hits: number; misses: number; entries: number } {
    return { hits: this.hitCount, misses: this.missCount, entries: this.cache.size };
  }

  /** The API's entry: the caller explains their own suggestion; staff may name another viewer. */
  async why(caller: Principal, targetId: string, requestedViewerId?: string): Promise<WhyResult> {
    const { viewerId, view } = await this.authorize(caller, targetId, requestedViewerId);
    return this.explainWith(viewerId, targetId, await this.modelFor(viewerId, targetId), view);
  }

  /** The member-view explanations this replica has cached for the viewer (the member export). */
  cachedFor(viewerId: string): Array<{ targetId: string; modelVersion: string; explanation: WhyResponse }> {
    return this.cache
      .entriesForViewer(viewerId, 'member')
      .map((entry) => ({ targetId: entry.targetId, modelVersion: entry.modelId, explanation: entry.value }))
      .sort((a, b) => a.targetId.localeCompare(b.targetId) || a.modelVersion.localeCompare(b.modelVersion));
  }

  /** For in-process callers (slates, the console) that already checked access: the staff view. */
  async explain(viewerId: string, targetId: string): Promise<WhyResult> {
    return this.explainWith(viewerId, targetId, await this.modelFor(viewerId, targetId), 'staff');
  }

  /**
   * The one access check. Staff may explain any pair (naming the viewer with `viewerId`) and see the
   * staff view. A member asks for themselves, only about a member served to them in the last
   * SERVED_WINDOW_DAYS with no block or report either way, and sees the member view; every refusal
   * about the target is the same 404 as an unknown id, so the answer never tells "exists" from "unknown".
   */
  private async authorize(caller: Principal, targetId: string, requestedViewerId?: string): Promise<Access> {
    const isStaff = STAFF.includes(caller.role);
    if (requestedViewerId !== undefined && requestedViewerId !== caller.subject && !isStaff) {
      throw new HttpError(
        403,
        `querystring.viewerId: role "${caller.role}" may only ask why a member was suggested to itself`,
      );
    }
    const viewerId = requestedViewerId ?? caller.subject;
    if (targetId === viewerId) {
      throw new HttpError(422, `params.targetId: is the viewer "${viewerId}"; explanations are about someone else`);
    }
    const [members, served] = await Promise.all([
      this.repository.members([viewerId, targetId]),
      isStaff ? Promise.resolve(true) : this.served.servedTo(viewerId, [targetId]).then((ids) => ids.has(targetId)),
    ]);
    if (!members.has(viewerId)) {
      const viewerField = requestedViewerId === undefined ? 'viewer' : 'querystring.viewerId';
      throw new HttpError(
        404,
        `${viewerField}: member "${viewerId}" has no saved attributes (or is deleted); save a profile with PUT /api/v2/users/me/attributes first`,
      );
    }
    if (!isStaff && (!served || !members.has(targetId))) {
      throw new HttpError(
        404,
        `params.targetId: no member "${targetId}" to explain: unknown, or not suggested to you in the last ${SERVED_WINDOW_DAYS} days`,
      );
    }
    if (!members.has(targetId)) {
      throw new HttpError(404, `params.targetId: no member "${targetId}" with saved attributes (unknown or deleted)`);
    }
    return { viewerId, view: isStaff ? 'staff' : 'member' };
  }

  private async explainWith(
    viewerId: string,
    targetId: string,
    model: LoadedModel,
    view: ExplanationView,
  ): Promise<WhyResult> {
    // The view is part of the key: a staff view is never served to a member, nor the other way round.
    const cached = this.cache.get(viewerId, targetId, model.id, view);
    if (cached) {
      this.hitCount++;
      return { explanation: cached, cache: 'hit' };
    }
    this.missCount++;
    const explanation = await this.compute(viewerId, targetId, model, view);
    this.cache.set(viewerId, targetId, model.id, view, explanation);
    return { explanation, cache: 'miss' };
  }

  /** Drops cached explanations involving the member (subscribed to member changes). */
  invalidateMember(memberId: string): void {
    this.cache.invalidateMember(memberId);
  }

  private async compute(
    viewerId: string,
    targetId: string,
    model: LoadedModel,
    view: ExplanationView,
  ): Promise<WhyResponse> {
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
      bands: {
        distance: coarseDistanceBand(viewer, target),
        ageGap: coarseAgeGapBand(viewer.birthday, target.birthday),
      },
      wording: view === 'staff' ? 'exact' : 'banded',
    });
    const common = {
      targetId,
      viewerId,
      model: model.id,
      reason_en: reasons.reason_en,
      reason_es: reasons.reason_es,
      reasons: reasons.reasons,
      chips: reasons.chips,
    };
    if (view === 'member') return { view: 'member', ...common, features: reasons.features.map(memberFeature) };
    const staff: Explanation = {
      view: 'staff',
      ...common,
      features: reasons.features,
      expectedValue: shap.expectedValue,
      score: model.scorer.score(row),
    };
    return staff;
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

/** A feature as a member sees it: built field by field, so no value or contribution can slip through. */
function memberFeature(feature: ExplainedFeature): MemberExplanation['features'][number] {
  return {
    name: feature.name,
    group: feature.group,
    reason_en: feature.reason_en,
    reason_es: feature.reason_es,
    reasons: feature.reasons,
    ...(feature.band ? { band: feature.band } : {}),
  };
}
