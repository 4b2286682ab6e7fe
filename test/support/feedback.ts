// Labelled feedback for ranking tests: viewers who were shown candidates in a slate (logged with their
// pair features, as serving logs them) and swiped on them,
// with a rule a model can learn — a candidate who shares the viewer's hobby is liked (superliked when
// close by), others are passed — and a hand-built model that knows the rule.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../server/db/database.js';
import { PAIR_FEATURE_NAMES } from '../../server/features/pair-feature-spec.js';
import { writePastImpressions, type PastImpression } from '../../server/offline/demo/past-impressions.js';
import { oneSplitLightGbmModel } from './one-split-model.js';

export interface FeedbackSeed {
  viewers: number;
  candidates: number;
  /** Prefix of the seeded member ids, so several seeds can share a database. */
  prefix?: string;
  /** Profile set-up (favorites, taste vectors…) the members have by the time their slates were served. */
  beforeServing?: (seeded: SeededFeedback) => Promise<void>;
}

export interface SeededFeedback {
  viewerIds: string[];
  candidateIds: string[];
  /** Candidates who share the viewers' hobby (the ones a good model ranks first). */
  sharingHobby: string[];
}

export async function seedFeedback(db: Queryable, seed: FeedbackSeed): Promise<SeededFeedback> {
  const prefix = seed.prefix ?? 'fb';
  const viewerIds = Array.from({ length: seed.viewers }, (_, i) => `${prefix}-viewer-${i}`);
  const candidateIds = Array.from({ length: seed.candidates }, (_, i) => `${prefix}-candidate-${i}`);
  const sharingHobby = candidateIds.filter((_, i) => i % 2 === 0);
  const addMember = (id: string, gender: string, seeking: string, hobbies: string[], lat: number) =>
    db.query(
      `INSERT INTO members (id, display_name, gender, seeking, birthday, lat, lon, hobbies, last_active_at)
       VALUES ($1, $1, $2, ARRAY[$3], '1992-03-04', $4, 13.4, $5, now())`,
      [id, gender, seeking, lat, hobbies],
    );
  for (const id of viewerIds) await addMember(id, 'woman', 'man', ['climbing'], 52.5);
  for (const [i, id] of candidateIds.entries()) {
    await addMember(id, 'man', 'woman', sharingHobby.includes(id) ? ['climbing', 'chess'] : ['opera'], 52.5 + i * 0.01);
  }
  const servedAt = new Date(Date.now() - 2 * 86_400_000);
  const impressions: PastImpression[] = [];
  for (const viewer of viewerIds) {
    const slateId = randomUUID();
    for (const [position, candidate] of candidateIds.entries()) {
      impressions.push({ slateId, position, viewerId: viewer, candidateId: candidate, servedAt });
      const action = !sharingHobby.includes(candidate) ? 'pass' : position < 4 ? 'superlike' : 'like';
      await db.query(
        `INSERT INTO swipes (viewer_id, target_id, action, slate_id, created_at)
         VALUES ($1, $2, $3, $4, now() - interval '2 days' + interval '1 minute')`,
        [viewer, candidate, action, slateId],
      );
    }
  }
  const seeded = { viewerIds, candidateIds, sharingHobby };
  await seed.beforeServing?.(seeded);
  // Logged with the features serving computes for each pair, as a served slate logs them.
  await writePastImpressions(db, impressions, 'test');
  return seeded;
}

/**
 * A LightGBM model over the pair features that scores 1 when the pair shares hobbies (Jaccard > 0.1), else
 * 0; `prefers: 'unshared'` turns the rule upside down (a clearly worse model).
 */
export function hobbyRankerModel(prefers: 'shared' | 'unshared' = 'shared'): string {
  return oneSplitLightGbmModel({
    featureNames: PAIR_FEATURE_NAMES,
    feature: PAIR_FEATURE_NAMES.indexOf('hobbies_jaccard'),
    threshold: 0.1,
    leafValues: prefers === 'shared' ? [0, 1] : [1, 0],
    leafCovers: [5, 5],
    gain: 1,
    cover: 10,
    shrinkage: 1,
  });
}
