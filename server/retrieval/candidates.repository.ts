// The SQL of candidate retrieval: the viewer's profile, the taste ANN over `user_taste_vectors`
// (HNSW, cosine), the community query over `members`, and the generic mode's proximity and popularity
// queries. Every source returns the facts the exclusion rules in candidate-selection.ts need; the rules
// themselves are applied there.
import type { Database, Queryable } from '../db/database.js';
import {
  boundingBox,
  type CommunityHit,
  type PopularityHit,
  type ProximityHit,
  type TasteHit,
  type ViewerProfile,
} from './candidate-selection.js';
import { discoverableMember } from '../db/active-members.js';

/** pgvector refuses hnsw.ef_search above 1000, so the ANN can never return more rows than this. */
export const MAX_EF_SEARCH = 1000;
/** pgvector's default ef_search; asking for fewer candidates does not make the search cheaper. */
const MIN_EF_SEARCH = 40;

/**
 * The HNSW candidate list for a scan that must return `limit` rows: at least `limit` (a scan returns at
 * most ef_search rows per pass), and twice that, because recall@k at ef_search = k is only ~0.9 on
 * taste vectors and ~0.98 at 2k (measured by `npm run bench -- candidates`).
 */
export function efSearchFor(limit: number): number {
  return Math.min(MAX_EF_SEARCH, Math.max(MIN_EF_SEARCH, 2 * limit));
}

interface ViewerRow extends Omit<ViewerProfile, 'shareInterests'> {
  share_interests: boolean;
  share_favorites: boolean;
  has_vector: boolean;
}

interface FactsRow {
  user_id: string;
  gender: string | null;
  seeking: string[];
  lat: number | null;
  lon: number | null;
  deleted: boolean;
  opted_out: boolean;
  blocked: boolean;
  swiped_recently: boolean;
}

/** The facts every source returns; `$1` is the viewer's id and `$2` the start of the recent-swipe window. */
const FACTS = `
  m.id AS user_id, m.gender, m.seeking, m.lat, m.lon,
  (m.deleted_at IS NOT NULL) AS deleted,
  NOT (m.share_interests OR m.share_behavioural OR m.share_connectors OR m.share_favorites) AS opted_out,
  (EXISTS (SELECT 1 FROM swipes s WHERE s.viewer_id = $1 AND s.target_id = m.id AND s.action IN ('block', 'report'))
   OR EXISTS (SELECT 1 FROM swipes s WHERE s.viewer_id = m.id AND s.target_id = $1 AND s.action IN ('block', 'report'))
  ) AS blocked,
  EXISTS (SELECT 1 FROM swipes s WHERE s.viewer_id = $1 AND s.target_id = m.id
            AND s.action IN ('like', 'pass', 'superlike') AND s.created_at > $2::timestamptz) AS swiped_recently`;

/**
 * The hard exclusions as a WHERE clause over `members m`, so a source never fetches rows it must drop:
 * in a real population gender preferences and distance rule out most members, and filtering after an
 * ANN scan would need ever larger scans. The same rules live in candidate-selection.ts, which still
 * checks every row (and measures exact distance; SQL only applies the bounding box).
 * Parameters: $1 viewer id, $2 recent-swipe window start, $3 viewer gender, $4 viewer seeking,
 * $5..$8 the box (minLat, maxLat, minLon, maxLon; NULL = no bound).
 */
const ELIGIBLE = `
  m.id <> $1 AND m.deleted_at IS NULL
  AND (m.share_interests OR m.share_behavioural OR m.share_connectors OR m.share_favorites)
  AND m.gender = ANY ($4::text[]) AND $3::text = ANY (m.seeking)
  AND ($5::float8 IS NULL OR m.lat BETWEEN $5::float8 AND $6::float8)
  AND ($7::float8 IS NULL OR m.lon BETWEEN $7::float8 AND $8::float8)
  AND NOT EXISTS (SELECT 1 FROM swipes s WHERE s.viewer_id = $1 AND s.target_id = m.id
                    AND (s.action IN ('block', 'report') OR s.created_at > $2::timestamptz))
  AND NOT EXISTS (SELECT 1 FROM swipes s WHERE s.viewer_id = m.id AND s.target_id = $1
                    AND s.action IN ('block', 'report'))`;

/** The parameters ELIGIBLE reads, for a viewer and a distance cap. */
function eligibleParams(viewer: ViewerProfile, swipedSince: Date, maxKm: number): unknown[] {
  const box =
    viewer.lat === null || viewer.lon === null
      ? { minLat: null, maxLat: null, minLon: null, maxLon: null }
      : boundingBox(viewer.lat, viewer.lon, maxKm);
  return [
    viewer.id,
    swipedSince.toISOString(),
    viewer.gender,
    viewer.seeking,
    box.minLat,
    box.maxLat,
    box.minLon,
    box.maxLon,
  ];
}

function toFacts(row: FactsRow) {
  return {
    userId: row.user_id,
    gender: row.gender,
    seeking: row.seeking,
    lat: row.lat,
    lon: row.lon,
    deleted: row.deleted,
    optedOut: row.opted_out,
    blocked: row.blocked,
    swipedRecently: row.swiped_recently,
  };
}

export class CandidatesRepository {
  constructor(private readonly db: Database) {}

  /**
   * A member who has saved attributes and is not deleted, whether they share favorites, and whether they
   * have a taste vector.
   */
  async findViewer(
    memberId: string,
  ): Promise<(ViewerProfile & { shareFavorites: boolean; hasVector: boolean }) | null> {
    const result = await this.db.query<ViewerRow>(
      `SELECT m.id, m.gender, m.seeking, m.lat, m.lon, m.hobbies, m.communities, m.share_interests, m.share_favorites,
              (v.user_id IS NOT NULL) AS has_vector
         FROM members m LEFT JOIN user_taste_vectors v ON v.user_id = m.id
        WHERE m.id = $1 AND ${discoverableMember('m')}`,
      [memberId],
    );
    const row = result.rows[0];
    if (!row) return null;
    return {
      id: row.id,
      gender: row.gender,
      seeking: row.seeking,
      lat: row.lat,
      lon: row.lon,
      hobbies: row.hobbies,
      communities: row.communities,
      shareInterests: row.share_interests,
      shareFavorites: row.share_favorites,
      hasVector: row.has_vector,
    };
  }

  /**
   * The `limit` eligible members nearest the viewer's taste vector within `maxKm`, with their facts.
   * pgvector's iterative scan (`relaxed_order`) keeps walking the HNSW graph until `limit` rows pass
   * the exclusions (or `hnsw.max_scan_tuples` is reached), instead of returning ef_search rows of which
   * the filters may keep none. ef_search is still raised to `limit`, for this transaction only, so each
   * pass of the scan is wide enough; rows come back re-sorted by exact distance.
   */
  async tasteNeighbours(viewer: ViewerProfile, swipedSince: Date, maxKm: number, limit: number): Promise<TasteHit[]> {
    const bounded = Math.min(limit, MAX_EF_SEARCH);
    const efSearch = efSearchFor(bounded);
    return this.db.transaction(async (tx: Queryable) => {
      // Parallel workers speed up one query on an idle server and slow down many concurrent ones.
      await tx.query(
        `SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'relaxed_order', true),
                set_config('max_parallel_workers_per_gather', '0', true)`,
        [String(efSearch)],
      );
      const result = await tx.query<FactsRow & { similarity: number }>(
        `WITH nearest AS MATERIALIZED (
           SELECT v.user_id, v.taste <=> (SELECT taste FROM user_taste_vectors WHERE user_id = $1) AS distance
             FROM user_taste_vectors v JOIN members m ON m.id = v.user_id
            WHERE ${ELIGIBLE}
            ORDER BY v.taste <=> (SELECT taste FROM user_taste_vectors WHERE user_id = $1)
            LIMIT $9
         )
         SELECT ${FACTS}, 1 - n.distance AS similarity
           FROM nearest n JOIN members m ON m.id = n.user_id
          ORDER BY n.distance, m.id`,
        [...eligibleParams(viewer, swipedSince, maxKm), bounded],
      );
      return result.rows.map((row) => ({ ...toFacts(row), similarity: Number(row.similarity) }));
    });
  }

  /**
   * Up to `limit` members within `maxKm` of the viewer who share at least one hobby or community with
   * them, most overlapping first (Jaccard over both groups). A lat/lon box narrows the rows before the
   * haversine distance is computed. Members who keep their interests private are not matched on them.
   */
  async communityNeighbours(
    viewer: ViewerProfile,
    swipedSince: Date,
    maxKm: number,
    limit: number,
  ): Promise<CommunityHit[]> {
    if (viewer.lat === null || viewer.lon === null) return [];
    const result = await this.db.query<
      FactsRow & { hobbies: string[]; communities: string[]; share_interests: boolean }
    >(
      `WITH nearby AS (
         SELECT m.*,
                (SELECT count(DISTINCT h) FROM unnest(m.hobbies) AS h WHERE h = ANY ($9::text[]))
                + (SELECT count(DISTINCT c) FROM unnest(m.communities) AS c WHERE c = ANY ($10::text[])) AS shared
           FROM members m
          WHERE ${ELIGIBLE} AND m.share_interests
            AND (m.hobbies && $9::text[] OR m.communities && $10::text[])
            AND 2 * 6371.0088 * asin(least(1, sqrt(
                  power(sin(radians(m.lat - $11::float8) / 2), 2)
                  + cos(radians($11::float8)) * cos(radians(m.lat)) * power(sin(radians(m.lon - $12::float8) / 2), 2)
                ))) <= $13::float8
       )
       SELECT ${FACTS}, m.hobbies, m.communities, m.share_interests
         FROM nearby m
        ORDER BY m.shared::float8
                 / (cardinality(m.hobbies) + cardinality(m.communities)
                    + cardinality($9::text[]) + cardinality($10::text[]) - m.shared) DESC,
                 m.id
        LIMIT $14`,
      [
        ...eligibleParams(viewer, swipedSince, maxKm),
        viewer.hobbies,
        viewer.communities,
        viewer.lat,
        viewer.lon,
        maxKm,
        limit,
      ],
    );
    return result.rows.map((row) => ({
      ...toFacts(row),
      hobbies: row.hobbies,
      communities: row.communities,
      shareInterests: row.share_interests,
    }));
  }

  /**
   * Generic mode: up to `limit` eligible members within `maxKm` of the viewer, nearest first (the order
   * only narrows the fetch; candidate-selection.ts scores by coarse band, never by distance).
   */
  async proximityNeighbours(
    viewer: ViewerProfile,
    swipedSince: Date,
    maxKm: number,
    limit: number,
  ): Promise<ProximityHit[]> {
    if (viewer.lat === null || viewer.lon === null) return [];
    const result = await this.db.query<FactsRow>(
      `WITH nearby AS (
         SELECT m.*, 2 * 6371.0088 * asin(least(1, sqrt(
                  power(sin(radians(m.lat - $9::float8) / 2), 2)
                  + cos(radians($9::float8)) * cos(radians(m.lat)) * power(sin(radians(m.lon - $10::float8) / 2), 2)
                ))) AS km
           FROM members m
          WHERE ${ELIGIBLE} AND m.lat IS NOT NULL AND m.lon IS NOT NULL
       )
       SELECT ${FACTS} FROM nearby m WHERE m.km <= $11::float8 ORDER BY m.km, m.id LIMIT $12`,
      [...eligibleParams(viewer, swipedSince, maxKm), viewer.lat, viewer.lon, maxKm, limit],
    );
    return result.rows.map(toFacts);
  }

  /**
   * Generic mode: up to `limit` eligible members within `maxKm` (anywhere when the viewer has no
   * location) with the most likes and superlikes received since `likedSince`. Likes received are the
   * candidate's behavioural data, so only members who share that group are counted.
   */
  async popularNeighbours(
    viewer: ViewerProfile,
    swipedSince: Date,
    maxKm: number,
    likedSince: Date,
    limit: number,
  ): Promise<PopularityHit[]> {
    const result = await this.db.query<FactsRow & { likes: number }>(
      `WITH liked AS (
         SELECT s.target_id, count(*)::int AS likes FROM swipes s
          WHERE s.action IN ('like', 'superlike') AND s.created_at > $9::timestamptz
          GROUP BY s.target_id
       )
       SELECT ${FACTS}, l.likes
         FROM liked l JOIN members m ON m.id = l.target_id
        WHERE ${ELIGIBLE} AND m.share_behavioural
          AND ($10::float8 IS NULL OR 2 * 6371.0088 * asin(least(1, sqrt(
                power(sin(radians(m.lat - $10::float8) / 2), 2)
                + cos(radians($10::float8)) * cos(radians(m.lat)) * power(sin(radians(m.lon - $11::float8) / 2), 2)
              ))) <= $12::float8)
        ORDER BY l.likes DESC, m.id
        LIMIT $13`,
      [...eligibleParams(viewer, swipedSince, maxKm), likedSince.toISOString(), viewer.lat, viewer.lon, maxKm, limit],
    );
    return result.rows.map((row) => ({ ...toFacts(row), likes: Number(row.likes) }));
  }
}
