// Which members a member may ask about: those the engine served them recently (every served slate is
// logged as impressions, so the current slate counts) with no block or report either way. Explanations
// and the Rank API share this one rule, so a member can never probe a stranger through either — with
// the model known, a stranger's score or SHAP values as one moves one's own location would reveal
// their distance.
import { BLOCKING_ACTIONS } from '../../shared/schemas/feedback.js';
import type { Queryable } from '../db/database.js';

/** A member may ask about members the engine served them this recently. */
export const SERVED_WINDOW_DAYS = 30;

export class ServedMembersRepository {
  constructor(private readonly db: Queryable) {}

  /** The subset of `candidateIds` served to the viewer in the last SERVED_WINDOW_DAYS, with no block either way. */
  async servedTo(viewerId: string, candidateIds: readonly string[]): Promise<Set<string>> {
    const result = await this.db.query<{ candidate_id: string }>(
      `SELECT DISTINCT i.candidate_id
         FROM slate_impressions i
        WHERE i.viewer_id = $1 AND i.candidate_id = ANY ($2::text[])
          AND i.served_at > now() - make_interval(days => $3::int)
          AND NOT EXISTS (SELECT 1 FROM swipes s
                           WHERE s.action = ANY ($4::text[])
                             AND ((s.viewer_id = $1 AND s.target_id = i.candidate_id)
                               OR (s.viewer_id = i.candidate_id AND s.target_id = $1)))`,
      [viewerId, candidateIds, SERVED_WINDOW_DAYS, BLOCKING_ACTIONS],
    );
    return new Set(result.rows.map((row) => row.candidate_id));
  }
}
