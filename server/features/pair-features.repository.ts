// Loads, in a fixed handful of queries whatever the batch size, the facts pair features need about a
// set of members (a viewer and their candidates, or everyone in a training window): profiles and
// privacy choices, taste vectors, favorites and how common each is, dwell averages, swipes received,
// the taste of whom each member liked, and the swipes among the set (so pairs can leave theirs out).
import type { Queryable } from '../db/database.js';
import {
  pairKey,
  type CandidateFacts,
  type FeatureContext,
  type MemberFacts,
  type PairSwipe,
} from './pair-features.js';
import { discoverableMember } from '../db/active-members.js';
import { memberShares, type MemberSharesRow } from '../db/member-shares.js';

/** Swipes on a candidate older than this do not count towards their like rate. */
const LIKE_RATE_WINDOW_DAYS = 90;

interface MemberRow
  extends Pick<MemberFacts, 'id' | 'gender' | 'birthday' | 'lat' | 'lon' | 'hobbies' | 'communities'>, MemberSharesRow {
  completeness: number;
  last_active_at: Date | string | null;
  taste: string | null;
}

export interface LoadedFacts {
  members: Map<string, CandidateFacts>;
  context: Omit<FeatureContext, 'now'>;
}

export class PairFeaturesRepository {
  constructor(private readonly db: Queryable) {}

  /** Facts for every id that names a member with saved attributes who is not deleted; others are absent. */
  async load(ids: readonly string[]): Promise<LoadedFacts> {
    const unique = [...new Set(ids)];
    const members = await this.db.query<MemberRow>(
      `SELECT m.id, m.gender, to_char(m.birthday, 'YYYY-MM-DD') AS birthday, m.lat, m.lon, m.hobbies, m.communities,
              m.share_interests, m.share_behavioural, m.share_connectors, m.share_favorites,
              ((m.display_name IS NOT NULL)::int + (m.birthday IS NOT NULL)::int + (m.gender IS NOT NULL)::int
               + (cardinality(m.seeking) > 0)::int + (m.lat IS NOT NULL)::int + (m.place IS NOT NULL)::int
               + (cardinality(m.hobbies) > 0)::int + (cardinality(m.communities) > 0)::int
               + EXISTS (SELECT 1 FROM favorites f WHERE f.member_id = m.id)::int) / 9.0 AS completeness,
              m.last_active_at, v.taste::text AS taste
         FROM members m LEFT JOIN user_taste_vectors v ON v.user_id = m.id
        WHERE m.id = ANY ($1::text[]) AND ${discoverableMember('m')}`,
      [unique],
    );
    const found = members.rows.map((row) => row.id);
    const [favorites, dwell, swipes, liked, totals, among] = await Promise.all([
      this.db.query<{ member_id: string; media_id: string; via_connector: boolean; holders: number }>(
        // A member who turned connectors off keeps only the favorites they added themselves: those that
        // came from a connector stop counting (docs/privacy.md).
        `SELECT f.member_id, f.media_id, f.source <> 'manual' AS via_connector,
                (SELECT count(*)::int FROM favorites h WHERE h.media_id = f.media_id) AS holders
           FROM favorites f JOIN members m ON m.id = f.member_id
          WHERE f.member_id = ANY ($1::text[]) AND (f.source = 'manual' OR m.share_connectors)`,
        [found],
      ),
      this.db.query<{ user_id: string; avg_dwell_ms: number }>(
        `SELECT user_id, avg_dwell_ms FROM user_dwell_avg WHERE user_id = ANY ($1::text[])`,
        [found],
      ),
      this.db.query<{ target_id: string; likes: number; swipes: number }>(
        `SELECT target_id, count(*) FILTER (WHERE action IN ('like', 'superlike'))::int AS likes,
                count(*) FILTER (WHERE action IN ('like', 'superlike', 'pass'))::int AS swipes
           FROM swipes
          WHERE target_id = ANY ($1::text[]) AND created_at > now() - make_interval(days => $2::int)
          GROUP BY target_id`,
        [found, LIKE_RATE_WINDOW_DAYS],
      ),
      this.db.query<{ viewer_id: string; liked_taste: string; liked: number }>(
        `SELECT s.viewer_id, sum(v.taste)::text AS liked_taste, count(*)::int AS liked
           FROM (SELECT DISTINCT viewer_id, target_id FROM swipes
                  WHERE viewer_id = ANY ($1::text[]) AND action IN ('like', 'superlike')) s
           JOIN user_taste_vectors v ON v.user_id = s.target_id
          GROUP BY s.viewer_id`,
        [found],
      ),
      this.db.query<{ members: number }>(`SELECT count(DISTINCT member_id)::int AS members FROM favorites`),
      this.db.query<{ viewer_id: string; target_id: string; action: PairSwipe['action']; recent: boolean }>(
        `SELECT viewer_id, target_id, action, created_at > now() - make_interval(days => $2::int) AS recent
           FROM swipes
          WHERE viewer_id = ANY ($1::text[]) AND target_id = ANY ($1::text[])
            AND action IN ('like', 'superlike', 'pass')`,
        [found, LIKE_RATE_WINDOW_DAYS],
      ),
    ]);

    const favoriteHolders = new Map<string, number>();
    const favoritesOf = new Map<string, Map<string, { viaConnector: boolean }>>();
    for (const row of favorites.rows) {
      favoriteHolders.set(row.media_id, row.holders);
      let own = favoritesOf.get(row.member_id);
      if (!own) favoritesOf.set(row.member_id, (own = new Map<string, { viaConnector: boolean }>()));
      own.set(row.media_id, { viaConnector: row.via_connector });
    }
    const dwellOf = new Map(dwell.rows.map((row) => [row.user_id, Number(row.avg_dwell_ms)]));
    const swipesOf = new Map(swipes.rows.map((row) => [row.target_id, row]));
    const likedOf = new Map(liked.rows.map((row) => [row.viewer_id, row]));
    const pairSwipes = new Map<string, PairSwipe[]>();
    for (const row of among.rows) {
      const key = pairKey(row.viewer_id, row.target_id);
      const swipe: PairSwipe = { from: row.viewer_id, to: row.target_id, action: row.action, recent: row.recent };
      const existing = pairSwipes.get(key);
      if (existing) existing.push(swipe);
      else pairSwipes.set(key, [swipe]);
    }

    const facts = new Map<string, CandidateFacts>();
    for (const row of members.rows) {
      const received = swipesOf.get(row.id);
      const member: MemberFacts = {
        id: row.id,
        gender: row.gender,
        birthday: row.birthday,
        lat: row.lat,
        lon: row.lon,
        hobbies: row.hobbies,
        communities: row.communities,
        shares: memberShares(row),
        completeness: Number(row.completeness),
        lastActiveAt: row.last_active_at === null ? null : new Date(row.last_active_at).toISOString(),
        taste: row.taste === null ? null : parseVector(row.taste),
        favorites: favoritesOf.get(row.id) ?? new Map<string, { viaConnector: boolean }>(),
      };
      facts.set(row.id, {
        ...member,
        dwellAvgMs: dwellOf.get(row.id) ?? null,
        likesReceived: received?.likes ?? 0,
        swipesReceived: received?.swipes ?? 0,
        likedTasteSum: likedOf.has(row.id) ? parseVector(likedOf.get(row.id)!.liked_taste) : null,
        likedCount: likedOf.get(row.id)?.liked ?? 0,
      });
    }
    return {
      members: facts,
      context: { membersWithFavorites: totals.rows[0]?.members ?? 0, favoriteHolders, pairSwipes },
    };
  }
}

/** pgvector's text form `[0.1,0.2,…]`. */
function parseVector(text: string): Float32Array {
  return Float32Array.from(text.slice(1, -1).split(','), Number);
}
