// The labelled impressions training data is made of: every candidate a viewer was shown in a time
// window, with the viewer's first swipe on them after the impression. Labels follow the issue's
// grading: pass (and block / report) 0, like 1, superlike or a like answered by a like (a match) 2.
// Impressions nobody answered carry no label and are left out. Each comes with the feature row logged
// when it was served (null when it has none of the current spec: older rows, past retention, another
// version) and both members' privacy choices as they are now, which training applies on top.
import type { Queryable } from '../db/database.js';
import { discoverableMember } from '../db/active-members.js';
import { memberShares, type MemberSharesRow } from '../db/member-shares.js';
import { PAIR_FEATURES_VERSION, type MaskableGroup } from '../features/pair-feature-spec.js';
import { loggedFeatureRow } from '../features/logged-features.js';

export interface LabelledImpression {
  viewerId: string;
  candidateId: string;
  label: 0 | 1 | 2;
  servedAt: string;
  /** The row the ranker scored, or null when the impression logged none of the current feature spec. */
  features: Float64Array | null;
  viewerShares: Record<MaskableGroup, boolean>;
  candidateShares: Record<MaskableGroup, boolean>;
}

export interface TrainingWindow {
  from: Date;
  to: Date;
}

/** Feature logs past their retention are cleared this many rows per statement. */
const CLEAR_BATCH = 5_000;

export class TrainingDataRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Labelled impressions served in [from, to), grouped by viewer (viewers in id order, then candidates).
   * A pair shown more than once counts once: its earliest impression with a logged row, else its earliest.
   */
  async labelledImpressions(window: TrainingWindow): Promise<LabelledImpression[]> {
    const { rows } = await this.db.query<{
      viewer_id: string;
      candidate_id: string;
      label: number;
      served_at: Date | string;
      features: number[] | null;
      viewer_shares: MemberSharesRow;
      candidate_shares: MemberSharesRow;
    }>(
      `SELECT DISTINCT ON (i.viewer_id, i.candidate_id)
              i.viewer_id, i.candidate_id, i.served_at,
              CASE WHEN i.feature_version = $3 THEN i.features END AS features,
              ${sharesOf('viewer')} AS viewer_shares, ${sharesOf('candidate')} AS candidate_shares,
              CASE
                WHEN f.action = 'superlike' THEN 2
                WHEN f.action = 'like' AND EXISTS (
                  SELECT 1 FROM swipes back
                   WHERE back.viewer_id = i.candidate_id AND back.target_id = i.viewer_id
                     AND back.action IN ('like', 'superlike')) THEN 2
                WHEN f.action = 'like' THEN 1
                ELSE 0
              END AS label
         FROM slate_impressions i
         JOIN members viewer ON viewer.id = i.viewer_id AND ${discoverableMember('viewer')}
         JOIN members candidate ON candidate.id = i.candidate_id AND ${discoverableMember('candidate')}
         JOIN LATERAL (
           SELECT s.action FROM swipes s
            WHERE s.viewer_id = i.viewer_id AND s.target_id = i.candidate_id AND s.created_at >= i.served_at
            ORDER BY s.created_at LIMIT 1
         ) f ON true
        WHERE i.served_at >= $1::timestamptz AND i.served_at < $2::timestamptz
        ORDER BY i.viewer_id, i.candidate_id, i.feature_version IS DISTINCT FROM $3, i.served_at`,
      [window.from.toISOString(), window.to.toISOString(), PAIR_FEATURES_VERSION],
    );
    return rows.map((row) => ({
      viewerId: row.viewer_id,
      candidateId: row.candidate_id,
      label: row.label as 0 | 1 | 2,
      servedAt: new Date(row.served_at).toISOString(),
      features: loggedFeatureRow(row.features),
      viewerShares: memberShares(row.viewer_shares),
      candidateShares: memberShares(row.candidate_shares),
    }));
  }

  /**
   * Clears the logged features of impressions served before `before`, oldest first, at most `maxRows`
   * (in statements of CLEAR_BATCH rows): the impressions themselves stay. Returns how many were cleared.
   */
  async clearFeaturesServedBefore(before: Date, maxRows: number): Promise<number> {
    let cleared = 0;
    while (cleared < maxRows) {
      const { rowCount } = await this.db.query(
        `UPDATE slate_impressions i SET features = NULL, feature_version = NULL
           FROM (SELECT slate_id, position FROM slate_impressions
                  WHERE features IS NOT NULL AND served_at < $1::timestamptz
                  ORDER BY served_at LIMIT $2) old
          WHERE i.slate_id = old.slate_id AND i.position = old.position`,
        [before.toISOString(), Math.min(CLEAR_BATCH, maxRows - cleared)],
      );
      cleared += rowCount;
      if (rowCount < CLEAR_BATCH) break;
    }
    return cleared;
  }
}

/** A member's share_* columns as one JSON object (the shape `memberShares` reads). */
function sharesOf(alias: string): string {
  return `json_build_object(${(['share_interests', 'share_behavioural', 'share_connectors', 'share_favorites'] as const)
    .map((column) => `'${column}', ${alias}.${column}`)
    .join(', ')})`;
}
