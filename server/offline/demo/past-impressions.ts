// Past impressions written in bulk, each with the pair-feature row the ranker would have scored for it,
// computed through the serving PairFeaturesService when written. For the demo loader and test fixtures,
// which make up history rather than serve it: training reads only the features an impression logged.
import type { Queryable } from '../../db/database.js';
import { featureArrayLiteral } from '../../features/logged-features.js';
import { PAIR_FEATURES_VERSION } from '../../features/pair-feature-spec.js';
import { PairFeaturesRepository } from '../../features/pair-features.repository.js';
import { featureRow, PairFeaturesService } from '../../features/pair-features.service.js';

export interface PastImpression {
  slateId: string;
  position: number;
  viewerId: string;
  candidateId: string;
  servedAt: Date;
}

/** Slates whose features are computed from one load of facts (bounds the size of each query). */
const SLATES_PER_LOAD = 1_000;
const INSERT_BATCH = 2_000;

/** Writes the impressions under `arm` without a model; a candidate without features (not discoverable) logs none. */
export async function writePastImpressions(
  db: Queryable,
  impressions: readonly PastImpression[],
  arm: string,
): Promise<void> {
  const features = new PairFeaturesService(new PairFeaturesRepository(db));
  const slates = new Map<string, PastImpression[]>();
  for (const impression of impressions) {
    const slate = slates.get(impression.slateId);
    if (slate) slate.push(impression);
    else slates.set(impression.slateId, [impression]);
  }
  const rows: Array<{ impression: PastImpression; features: string | null }> = [];
  const all = [...slates.values()];
  for (let start = 0; start < all.length; start += SLATES_PER_LOAD) {
    const chunk = all.slice(start, start + SLATES_PER_LOAD);
    const batches = await features.featuresForGroups(
      chunk.map((slate) => ({ viewerId: slate[0]!.viewerId, candidateIds: slate.map((shown) => shown.candidateId) })),
    );
    chunk.forEach((slate, index) => {
      const batch = batches[index]!;
      const rowOf = new Map(batch.candidateIds.map((candidateId, row) => [candidateId, row]));
      for (const impression of slate) {
        const row = batch.viewerKnown ? rowOf.get(impression.candidateId) : undefined;
        rows.push({ impression, features: row === undefined ? null : featureArrayLiteral(featureRow(batch, row)) });
      }
    });
  }
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    const batch = rows.slice(start, start + INSERT_BATCH);
    await db.query(
      `INSERT INTO slate_impressions (slate_id, position, viewer_id, candidate_id, model_version, arm, served_at,
                                      features, feature_version)
       SELECT s, p, v, c, NULL, $7, t, f::double precision[], CASE WHEN f IS NOT NULL THEN $8 END
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::timestamptz[], $6::text[]) AS x (s, p, v, c, t, f)`,
      [
        batch.map(({ impression }) => impression.slateId),
        batch.map(({ impression }) => impression.position),
        batch.map(({ impression }) => impression.viewerId),
        batch.map(({ impression }) => impression.candidateId),
        batch.map(({ impression }) => impression.servedAt.toISOString()),
        batch.map((row) => row.features),
        arm,
        PAIR_FEATURES_VERSION,
      ],
    );
  }
}
