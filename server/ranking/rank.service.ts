// The Rank API's logic: who may rank for whom, pair features for the viewer's candidates, and the live
// model's scores, best first (serving-rankers.ts: the slate's order and tie-break). Ids that name no
// member are reported, never silently dropped: a caller that sends 200 ids and gets 199 back would not
// know which one vanished or why.
// A member ranks only members the engine served them (server/access/served-members.repository.ts) and
// gets the order without scores: with the model known, a stranger's score as one moves one's own
// location would reveal their distance. Staff rank anyone and see the scores.
import type { RankedList } from '../../shared/schemas/ranking.js';
import { SERVED_WINDOW_DAYS, type ServedMembersRepository } from '../access/served-members.repository.js';
import { requireViewerAccess } from '../access/viewer-access.js';
import type { Principal } from '../auth/tokens.js';
import { invalid, notFound } from '../errors/domain-errors.js';
import type { PairFeaturesService } from '../features/pair-features.service.js';
import { ModelRanker, requireLiveModel, type ServingModels } from './serving-rankers.js';

export interface RankResult {
  model: string;
  ranked: RankedList;
}

/** At most this many unknown ids are quoted in the error message; the count is always given. */
const QUOTED_UNKNOWN_IDS = 10;

export class RankService {
  constructor(
    private readonly features: PairFeaturesService,
    private readonly models: ServingModels,
    private readonly served: ServedMembersRepository,
  ) {}

  async rank(caller: Principal, viewerId: string, candidateIds: readonly string[]): Promise<RankResult> {
    const { isStaff } = requireViewerAccess(caller, viewerId, {
      field: 'viewerId',
      action: 'rank candidates for itself',
    });
    const ranker = new ModelRanker(await requireLiveModel(this.models, 'rank'));
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
      throw notFound('viewerId', `member "${viewerId}" has no saved attributes (or is deleted)`);
    }
    refuseUnknown(batch.unknownIds, 'no saved attributes, or deleted');
    const { order, scores } = ranker.rank(batch);
    const ranked = order.map((userId) => ({ userId, score: scores!.get(userId)! }));
    return { model: ranker.model.id, ranked: isStaff ? ranked : ranked.map(({ userId }) => ({ userId })) };
  }
}

function refuseUnknown(ids: readonly string[], why: string): void {
  if (ids.length === 0) return;
  const quoted = ids.slice(0, QUOTED_UNKNOWN_IDS).map((id) => `"${id}"`);
  const more = ids.length > QUOTED_UNKNOWN_IDS ? ` and ${ids.length - QUOTED_UNKNOWN_IDS} more` : '';
  throw invalid('candidateIds', `${ids.length} unknown member(s) ${quoted.join(', ')}${more} (${why})`);
}
