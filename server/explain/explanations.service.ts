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
import { SERVED_WINDOW_DAYS, type ServedMembersRepository } from '../access/served-members.repository.js';
import { requireViewerAccess } from '../access/viewer-access.js';
import type { Principal } from '../auth/tokens.js';
import { DomainError, invalid, notFound } from '../errors/domain-errors.js';
import { featureRow, type PairFeaturesService } from '../features/pair-features.service.js';
import type { LoadedModel } from '../models/loaded-model.js';
import type { ModelRegistry } from '../models/model-registry.service.js';
import { featuresMismatch, requireLiveModel } from '../ranking/serving-rankers.js';
import { coarseAgeGapBand, coarseDistanceBand } from './bands.js';
import type { ExplainMap } from './explain-map.js';
import type { ExplanationsCache, ExplanationView } from './explanations-cache.js';
import type { ExplanationsRepository } from './explanations.repository.js';
import { explainPair, optedOutGroups } from './reasons.js';

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
  private hitCount = 0;
  private missCount = 0;

  constructor(
    private readonly repository: ExplanationsRepository,
    private readonly served: ServedMembersRepository,
    private readonly features: PairFeaturesService,
    private readonly models: Pick<ModelRegistry, 'loadModel' | 'liveModel' | 'shadowModel'>,
    private readonly map: ExplainMap,
    private readonly cache: ExplanationsCache<WhyResponse>,
  ) {}

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
    const { viewerId, isStaff } = requireViewerAccess(caller, requestedViewerId, {
      field: 'viewerId',
      action: 'ask why a member was suggested to itself',
    });
    if (targetId === viewerId) {
      throw invalid('targetId', `is the viewer "${viewerId}"; explanations are about someone else`);
    }
    const [members, served] = await Promise.all([
      this.repository.members([viewerId, targetId]),
      isStaff ? Promise.resolve(true) : this.served.servedTo(viewerId, [targetId]).then((ids) => ids.has(targetId)),
    ]);
    if (!members.has(viewerId)) {
      // The caller's own profile is not an input of the call: a topic, not a field.
      throw new DomainError(
        'not_found',
        `member "${viewerId}" has no saved attributes (or is deleted); save a profile with PUT /api/v2/users/me/attributes first`,
        requestedViewerId === undefined ? { topic: 'viewer' } : { field: 'viewerId' },
      );
    }
    if (!isStaff && (!served || !members.has(targetId))) {
      throw notFound(
        'targetId',
        `no member "${targetId}" to explain: unknown, or not suggested to you in the last ${SERVED_WINDOW_DAYS} days`,
      );
    }
    if (!members.has(targetId)) {
      throw notFound('targetId', `no member "${targetId}" with saved attributes (unknown or deleted)`);
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
    if (!batch.viewerKnown || !viewer) {
      throw new DomainError('not_found', `member "${viewerId}" no longer exists`, { topic: 'viewer' });
    }
    if (batch.candidateIds.length !== 1 || !target) throw notFound('targetId', `member "${targetId}" no longer exists`);
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
      // A version deleted since it served is not an error here: the live model explains instead.
      const model = await this.models.loadModel(served).catch((error: unknown) => {
        if (error instanceof DomainError && error.kind === 'not_found') return null;
        throw error;
      });
      if (model && featuresMismatch(model) === null) return model;
    }
    return requireLiveModel(this.models, 'explain');
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
