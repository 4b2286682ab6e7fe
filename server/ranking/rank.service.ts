// The Rank API's logic: who may rank for whom, pair features for the viewer's candidates, and the live
// model's scores, best first. Ids that name no member are reported, never silently dropped: a
// caller that sends 200 ids and gets 199 back would not know which one vanished or why.
// A member ranks only members the engine served them (server/access/served-members.repository.ts) and
// gets the order without scores: with the model known, a stranger's score as one moves one's own
// location would reveal their distance. Staff rank anyone and see the scores.
import { STAFF } from '../../shared/schemas/roles.js';
import type { RankedList } from '../../shared/schemas/ranking.js';
import type { Principal } from '../auth/tokens.js';
import { PAIR_FEATURE_COUNT } from '../features/pair-feature-spec.js';
import type { PairFeaturesService } from '../features/pair-features.service.js';
import { HttpError } from '../http/errors.js';
import { UnavailableError } from '../errors/domain-errors.js';
import type { LoadedModel } from '../models/loaded-model.js';
import type { ModelRegistry } from '../models/model-registry.service.js';
import { SERVED_WINDOW_DAYS, type ServedMembersRepository } from '../access/served-members.repository.js';

export interface RankResult {
  model: string;
  ranked: RankedList;
}

/** At most this many unknown ids are quoted in the error message; the count is always given. */
const QUOTED_UNKNOWN_IDS = 10;

export class RankService {
  constructor(
    private readonly features: PairFeaturesService,
    private readonly models: ModelRegistry,
    private readonly served: ServedMembersRepository,
  ) {}

  async rank(caller: Principal, viewerId: string, candidateIds: readonly string[]): Promise<RankResult> {
    const isStaff = STAFF.includes(caller.role);
    if (viewerId !== caller.subject && !isStaff) {
      throw new HttpError(403, `body.viewerId: role "${caller.role}" may only rank candidates for itself`);
    }
    const model = await this.liveRanker();
    if (!isStaff) {
      const served = await this.served.servedTo(viewerId, candidateIds);
      // Never served and unknown read the same, so the answer never tells a stranger's id from no one's.
      refuseUnknown(
        candidateIds.filter((id) => !served.has(id)),
        `unknown, or not suggested to you in the last ${SERVED_WINDOW_DAYS} days`,
      );
    }
    const batch = await this.features.featuresFor(viewerId, candidateIds);
    if (!batch.viewerKnown) {
      throw new HttpError(404, `body.viewerId: member "${viewerId}" has no saved attributes (or is deleted)`);
    }
    refuseUnknown(batch.unknownIds, 'no saved attributes, or deleted');
    const scores = model.scorer.scoreRows(batch.rows, batch.candidateIds.length);
    const ranked = batch.candidateIds
      .map((userId, index) => ({ userId, score: scores[index]! }))
      .sort((a, b) => b.score - a.score || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
    return { model: model.id, ranked: isStaff ? ranked : ranked.map(({ userId }) => ({ userId })) };
  }

  private async liveRanker(): Promise<LoadedModel> {
    const model = await this.models.liveModel('ranker');
    if (!model) {
      throw new UnavailableError(
        'ranker: no live ranking model; train one (POST /api/v2/admin/models/train) or promote one (POST /api/v2/admin/models/:id/promote)',
      );
    }
    // The registry refuses to promote a model with other columns; this guards a spec change since.
    if (model.featureNames.length !== PAIR_FEATURE_COUNT) {
      throw new UnavailableError(
        `ranker: live model ${model.id} reads ${model.featureNames.length} features, the engine computes ${PAIR_FEATURE_COUNT}; promote a model trained on the current features`,
      );
    }
    return model;
  }
}

function refuseUnknown(ids: readonly string[], why: string): void {
  if (ids.length === 0) return;
  const quoted = ids.slice(0, QUOTED_UNKNOWN_IDS).map((id) => `"${id}"`);
  const more = ids.length > QUOTED_UNKNOWN_IDS ? ` and ${ids.length - QUOTED_UNKNOWN_IDS} more` : '';
  throw new HttpError(422, `body.candidateIds: ${ids.length} unknown member(s) ${quoted.join(', ')}${more} (${why})`);
}
