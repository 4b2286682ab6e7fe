// What the slate writes: the impressions of every served slate (joined back to feedback for training)
// and, in the shadow arm, both rankings with what each would have served (the shadow evaluation's input).
import type { Queryable } from '../db/database.js';
import { featureArrayLiteral } from '../features/logged-features.js';
import { PAIR_FEATURES_VERSION } from '../features/pair-feature-spec.js';

export interface Impression {
  candidateId: string;
  position: number;
  /** The pair-feature row the ranker scored for this candidate (privacy masks applied), logged for training. */
  features: ArrayLike<number>;
}

/** One model's guardrail figures for one shadow-arm slate (docs/shadow-evaluation.md). */
export interface ShadowGuardrails {
  /** Members missing from the parity band, summed over genders (0 = within the band). */
  parityShortfall: number;
  safetyRemovals: number;
  /** The model's scoring time for the slate's candidates. */
  rankMs: number;
}

export class SlateRepository {
  constructor(private readonly db: Queryable) {}

  async logImpressions(
    slateId: string,
    viewerId: string,
    impressions: readonly Impression[],
    modelVersion: string | null,
    arm: string,
  ): Promise<void> {
    if (impressions.length === 0) return;
    await this.db.query(
      `INSERT INTO slate_impressions (slate_id, position, viewer_id, candidate_id, model_version, arm, features, feature_version)
       SELECT $1, p, $2, c, $3, $4, f::double precision[], $8
         FROM unnest($5::int[], $6::text[], $7::text[]) AS x (p, c, f)`,
      [
        slateId,
        viewerId,
        modelVersion,
        arm,
        impressions.map((impression) => impression.position),
        impressions.map((impression) => impression.candidateId),
        impressions.map((impression) => featureArrayLiteral(impression.features)),
        PAIR_FEATURES_VERSION,
      ],
    );
  }

  async logShadowRanking(entry: {
    slateId: string;
    viewerId: string;
    servedModel: string;
    shadowModel: string;
    servedOrder: string[];
    shadowOrder: string[];
    shadowScores: number[];
    /** What the shadow order would have served after the post-rank stages. */
    shadowSlate: string[];
    served: ShadowGuardrails;
    shadow: ShadowGuardrails;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO shadow_rankings (slate_id, viewer_id, served_model, shadow_model, served_order, shadow_order, shadow_scores,
                                    shadow_slate, served_parity_shortfall, shadow_parity_shortfall,
                                    served_safety_removals, shadow_safety_removals, served_rank_ms, shadow_rank_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        entry.slateId,
        entry.viewerId,
        entry.servedModel,
        entry.shadowModel,
        entry.servedOrder,
        entry.shadowOrder,
        entry.shadowScores,
        entry.shadowSlate,
        entry.served.parityShortfall,
        entry.shadow.parityShortfall,
        entry.served.safetyRemovals,
        entry.shadow.safetyRemovals,
        entry.served.rankMs,
        entry.shadow.rankMs,
      ],
    );
  }
}
