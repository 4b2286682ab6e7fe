// A small online estimate for the learner's API tests, computed from real shadow_rankings rows and the
// swipes that followed them: each model's like rate over its own top k of every shadow slate (every
// candidate of a shadow slate was shown, so each order's top k has an observed outcome), and the
// relative lift with a delta-method interval on the log ratio. Test-only, until the shadow-evaluation
// service (docs/shadow-evaluation.md) is merged into this tree; guardrails are not measured here, so
// both sides get the same figures.
import type { GuardrailFigures, ModelOutcomeEstimate, OnlineEstimate } from '../../shared/schemas/learning.js';
import type { Queryable } from '../../server/db/database.js';
import type { ShadowEvaluator } from '../../server/learning/shadow-evaluator.js';

const Z95 = 1.96;

export function shadowRankingsEvaluator(db: Queryable, k = 5): ShadowEvaluator {
  return {
    async evaluate(shadowModelId: string, since: Date): Promise<OnlineEstimate | null> {
      const { rows } = await db.query<{
        served_model: string;
        served_order: string[];
        shadow_order: string[];
        liked: string[];
      }>(
        `SELECT r.served_model, r.served_order, r.shadow_order,
                coalesce(array_agg(s.target_id) FILTER (WHERE s.target_id IS NOT NULL), '{}') AS liked
           FROM shadow_rankings r
           LEFT JOIN swipes s ON s.viewer_id = r.viewer_id AND s.target_id = ANY (r.served_order)
                             AND s.created_at >= r.created_at AND s.action IN ('like', 'superlike')
          WHERE r.shadow_model = $1 AND r.created_at >= $2::timestamptz
          GROUP BY r.slate_id, r.served_model, r.served_order, r.shadow_order`,
        [shadowModelId, since.toISOString()],
      );
      if (rows.length === 0) return null;
      let liveLikes = 0;
      let shadowLikes = 0;
      let shown = 0;
      let impressions = 0;
      for (const row of rows) {
        const liked = new Set(row.liked);
        const top = Math.min(k, row.served_order.length);
        liveLikes += row.served_order.slice(0, top).filter((id) => liked.has(id)).length;
        shadowLikes += row.shadow_order.slice(0, top).filter((id) => liked.has(id)).length;
        shown += top;
        impressions += row.served_order.length;
      }
      const live = outcome(rows[0]!.served_model, liveLikes, shown);
      const shadow = outcome(shadowModelId, shadowLikes, shown);
      const lift = live.likeRate > 0 ? shadow.likeRate / live.likeRate - 1 : 0;
      const logSe = Math.sqrt(varianceOfLog(live.likeRate, shown) + varianceOfLog(shadow.likeRate, shown));
      const guardrails: GuardrailFigures = {
        slates: rows.length,
        parityShortfallRate: 0,
        safetyRemovalsPerSlate: 0,
        rankMsP95: 1,
      };
      return {
        liveModelId: live.modelId,
        shadowModelId,
        since: since.toISOString(),
        slates: rows.length,
        impressions,
        topAgreement: { k, slates: 0, impressions: 0, likeRate: 0, matchRate: 0 },
        counterfactual: {
          method: `like rate of each order's top ${k} (test estimator)`,
          live,
          shadow,
          lift,
          liftLower: (1 + lift) * Math.exp(-Z95 * logSe) - 1,
          liftUpper: (1 + lift) * Math.exp(Z95 * logSe) - 1,
        },
        guardrails: { live: guardrails, shadow: guardrails },
      };
    },
  };
}

function outcome(modelId: string, likes: number, shown: number): ModelOutcomeEstimate {
  const likeRate = shown > 0 ? likes / shown : 0;
  const half = Z95 * Math.sqrt((likeRate * (1 - likeRate)) / Math.max(1, shown));
  return {
    modelId,
    impressions: shown,
    likeRate,
    likeRateLower: Math.max(0, likeRate - half),
    likeRateUpper: Math.min(1, likeRate + half),
    matchRate: 0,
  };
}

/** Var(ln p̂) ≈ (1 − p) / (n p); a rate of 0 is treated as half a like so the interval stays finite. */
function varianceOfLog(rate: number, n: number): number {
  const p = rate > 0 ? rate : 0.5 / Math.max(1, n);
  return (1 - p) / (Math.max(1, n) * p);
}
