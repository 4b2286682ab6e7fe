// What the shadow evaluation reads: the shadow arm's logged slates for one shadow model since a time
// (newest first, capped), each with what the shadow would have served, both models' guardrail figures,
// and the served impressions' outcomes — the viewer's first swipe after serving (like or superlike:
// a like; a like answered by a like: a match, as ranking/training-data.repository.ts labels them).
import type { Queryable } from '../db/database.js';
import type { ImpressionOutcome } from './counterfactual-estimate.js';

/** One model's guardrail figures for one logged slate. */
export interface LoggedGuardrails {
  parityShortfall: number;
  safetyRemovals: number;
  rankMs: number;
}

export interface ShadowSlateRow {
  slateId: string;
  servedModel: string;
  /** The served slate's impressions in position order, each with its outcome. */
  served: ImpressionOutcome[];
  /** What the shadow's order would have served after the post-rank stages. */
  shadowSlate: string[];
  /** The shadow model's whole ranking of the slate's candidates, best first. */
  shadowOrder: string[];
  live: LoggedGuardrails;
  shadow: LoggedGuardrails;
}

export class ShadowEvaluationRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * The newest `maxSlates` slates the shadow model scored since `since`, beside the live model of the
   * newest one (a promotion in the window changes the live model: slates of an older one compare the
   * shadow against something no longer serving, so they are left out). Rows logged before the shadow
   * slate was (migration 021) have no shadow slate and are left out too.
   */
  async shadowSlates(shadowModelId: string, since: Date, maxSlates: number): Promise<ShadowSlateRow[]> {
    const { rows } = await this.db.query<{
      slate_id: string;
      served_model: string;
      shadow_slate: string[];
      shadow_order: string[];
      served_parity_shortfall: number;
      shadow_parity_shortfall: number;
      served_safety_removals: number;
      shadow_safety_removals: number;
      served_rank_ms: number;
      shadow_rank_ms: number;
      served: ImpressionOutcome[] | string;
    }>(
      `WITH latest AS (
         SELECT served_model FROM shadow_rankings
          WHERE shadow_model = $1 AND created_at >= $2::timestamptz AND shadow_slate IS NOT NULL
          ORDER BY created_at DESC LIMIT 1
       ), chosen AS (
         SELECT r.* FROM shadow_rankings r JOIN latest USING (served_model)
          WHERE r.shadow_model = $1 AND r.created_at >= $2::timestamptz AND r.shadow_slate IS NOT NULL
          ORDER BY r.created_at DESC LIMIT $3
       )
       SELECT c.slate_id, c.served_model, c.shadow_slate, c.shadow_order,
              c.served_parity_shortfall, c.shadow_parity_shortfall,
              c.served_safety_removals, c.shadow_safety_removals, c.served_rank_ms, c.shadow_rank_ms,
              COALESCE((
                SELECT json_agg(json_build_object(
                         'candidateId', i.candidate_id,
                         'liked', COALESCE(f.liked, false),
                         'matched', COALESCE(f.liked, false) AND EXISTS (
                           SELECT 1 FROM swipes back
                            WHERE back.viewer_id = i.candidate_id AND back.target_id = i.viewer_id
                              AND back.action IN ('like', 'superlike')))
                       ORDER BY i.position)
                  FROM slate_impressions i
                  LEFT JOIN LATERAL (
                    SELECT s.action IN ('like', 'superlike') AS liked FROM swipes s
                     WHERE s.viewer_id = i.viewer_id AND s.target_id = i.candidate_id AND s.created_at >= i.served_at
                     ORDER BY s.created_at LIMIT 1
                  ) f ON true
                 WHERE i.slate_id = c.slate_id
              ), '[]'::json) AS served
         FROM chosen c
        ORDER BY c.created_at DESC`,
      [shadowModelId, since.toISOString(), maxSlates],
    );
    return rows.map((row) => ({
      slateId: row.slate_id,
      servedModel: row.served_model,
      served: typeof row.served === 'string' ? (JSON.parse(row.served) as ImpressionOutcome[]) : row.served,
      shadowSlate: row.shadow_slate,
      shadowOrder: row.shadow_order,
      live: {
        parityShortfall: row.served_parity_shortfall,
        safetyRemovals: row.served_safety_removals,
        rankMs: Number(row.served_rank_ms),
      },
      shadow: {
        parityShortfall: row.shadow_parity_shortfall,
        safetyRemovals: row.shadow_safety_removals,
        rankMs: Number(row.shadow_rank_ms),
      },
    }));
  }
}
