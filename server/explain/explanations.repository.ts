// What explanations read beyond the pair features: the two members' traits, privacy choices and what their bands are
// measured from, the model that served the viewer the target most recently, and the favorites both
// hold, with titles and rarity.
import type { Queryable } from '../db/database.js';
import type { MaskableGroup } from '../features/pair-feature-spec.js';
import type { SharedFavorite } from './reasons.js';
import { discoverableMember } from '../db/active-members.js';
import { memberShares, type MemberSharesRow } from '../db/member-shares.js';

export interface MemberTraits {
  id: string;
  hobbies: string[];
  communities: string[];
  shares: Record<MaskableGroup, boolean>;
  /** Only for the coarse bands (bands.ts); never sent to a member. */
  lat: number | null;
  lon: number | null;
  /** `YYYY-MM-DD`. */
  birthday: string | null;
}

/** Shared favorites beyond this many never make it into a reason or a chip. */
const SHARED_FAVORITES_READ = 20;

export class ExplanationsRepository {
  constructor(private readonly db: Queryable) {}

  /** Members with saved attributes (the same rule pair features use); others are absent. */
  async members(ids: readonly string[]): Promise<Map<string, MemberTraits>> {
    const result = await this.db.query<Omit<MemberTraits, 'shares'> & MemberSharesRow>(
      `SELECT id, hobbies, communities, share_interests, share_behavioural, share_connectors, share_favorites,
              lat, lon, to_char(birthday, 'YYYY-MM-DD') AS birthday
         FROM members
        WHERE id = ANY ($1::text[]) AND ${discoverableMember()}`,
      [ids],
    );
    return new Map(
      result.rows.map((row) => [
        row.id,
        {
          id: row.id,
          hobbies: row.hobbies,
          communities: row.communities,
          shares: memberShares(row),
          lat: row.lat,
          lon: row.lon,
          birthday: row.birthday,
        },
      ]),
    );
  }

  /** The model version of the viewer's most recent impression of the target; null when never shown or unranked. */
  async lastServedModel(viewerId: string, targetId: string): Promise<string | null> {
    const result = await this.db.query<{ model_version: string | null }>(
      `SELECT model_version FROM slate_impressions
        WHERE viewer_id = $1 AND candidate_id = $2
        ORDER BY served_at DESC, slate_id DESC LIMIT 1`,
      [viewerId, targetId],
    );
    return result.rows[0]?.model_version ?? null;
  }

  /** Favorites both hold, rarest first (fewest holders), with how each came in on either side. */
  async sharedFavorites(viewerId: string, targetId: string): Promise<SharedFavorite[]> {
    const result = await this.db.query<{
      title: string;
      holders: number;
      viewer_via_connector: boolean;
      target_via_connector: boolean;
    }>(
      `SELECT m.title, (SELECT count(*)::int FROM favorites h WHERE h.media_id = m.id) AS holders,
              v.source <> 'manual' AS viewer_via_connector, t.source <> 'manual' AS target_via_connector
         FROM favorites v
         JOIN favorites t ON t.media_id = v.media_id AND t.member_id = $2
         JOIN media m ON m.id = v.media_id
        WHERE v.member_id = $1
        ORDER BY holders, m.title, m.id
        LIMIT $3`,
      [viewerId, targetId, SHARED_FAVORITES_READ],
    );
    return result.rows.map((row) => ({
      title: row.title,
      holders: row.holders,
      viewerViaConnector: row.viewer_via_connector,
      targetViaConnector: row.target_via_connector,
    }));
  }
}
