// The SQL of the online learner: its decisions (the audit timeline), its one-row state with the run
// lease that serialises cycles across replicas, and the like counts the rollback watch compares.
import type { LearnerDecision, LearnerDecisionKind } from '../../shared/schemas/learning.js';
import type { Queryable } from '../db/database.js';
import { isoTimestamp, isoTimestampOrNull } from '../db/timestamps.js';

export interface NewLearnerDecision {
  kind: LearnerDecisionKind;
  modelId: string | null;
  liveModelId: string | null;
  reason: string;
  figures: Record<string, unknown>;
  actor: string;
}

export interface LearnerStateRow {
  paused: boolean;
  changedBy: string | null;
  changedAt: string | null;
}

interface DecisionRow {
  id: string | number;
  kind: LearnerDecisionKind;
  model_id: string | null;
  live_model_id: string | null;
  reason: string;
  figures: Record<string, unknown>;
  actor: string;
  created_at: Date | string;
}

interface StateRow {
  paused: boolean;
  changed_by: string | null;
  changed_at: Date | string | null;
}

const DECISION_COLUMNS = 'id, kind, model_id, live_model_id, reason, figures, actor, created_at';

function toDecision(row: DecisionRow): LearnerDecision {
  return {
    id: Number(row.id),
    kind: row.kind,
    modelId: row.model_id,
    liveModelId: row.live_model_id,
    reason: row.reason,
    figures: row.figures ?? {},
    actor: row.actor,
    createdAt: isoTimestamp(row.created_at),
  };
}

function toState(row: StateRow): LearnerStateRow {
  return {
    paused: row.paused,
    changedBy: row.changed_by,
    changedAt: isoTimestampOrNull(row.changed_at),
  };
}

export class LearnerRepository {
  constructor(private readonly db: Queryable) {}

  async state(): Promise<LearnerStateRow> {
    const { rows } = await this.db.query<StateRow>('SELECT paused, changed_by, changed_at FROM learner_state');
    return toState(rows[0]!);
  }

  /** Sets `paused`; null when it already had that value (nothing changed). */
  async setPaused(q: Queryable, paused: boolean, actor: string): Promise<LearnerStateRow | null> {
    const { rows } = await q.query<StateRow>(
      `UPDATE learner_state SET paused = $1, changed_by = $2, changed_at = now()
        WHERE paused <> $1 RETURNING paused, changed_by, changed_at`,
      [paused, actor],
    );
    return rows[0] ? toState(rows[0]) : null;
  }

  /**
   * Takes the run lease `lease` when the learner is not paused and no cycle holds it (or the holder's
   * lease is older than `staleSeconds`, i.e. it crashed). One UPDATE, so two replicas cannot both take it.
   */
  async claimRun(lease: string, staleSeconds: number): Promise<boolean> {
    const { rows } = await this.db.query(
      `UPDATE learner_state SET run_lease = $1, run_started_at = now()
        WHERE NOT paused AND (run_started_at IS NULL OR run_started_at < now() - make_interval(secs => $2))
        RETURNING 1`,
      [lease, staleSeconds],
    );
    return rows.length > 0;
  }

  /** Releases `lease` if it is still the one held (a cycle taken over as stale releases nothing). */
  async releaseRun(lease: string): Promise<void> {
    await this.db.query('UPDATE learner_state SET run_lease = NULL, run_started_at = NULL WHERE run_lease = $1', [
      lease,
    ]);
  }

  async record(q: Queryable, decision: NewLearnerDecision): Promise<LearnerDecision> {
    const { rows } = await q.query<DecisionRow>(
      `INSERT INTO learner_decisions (kind, model_id, live_model_id, reason, figures, actor)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING ${DECISION_COLUMNS}`,
      [
        decision.kind,
        decision.modelId,
        decision.liveModelId,
        decision.reason,
        JSON.stringify(decision.figures),
        decision.actor,
      ],
    );
    return toDecision(rows[0]!);
  }

  /** Newest first; `before` pages on by id. */
  async decisions(page: { limit: number; before?: number }): Promise<LearnerDecision[]> {
    const { rows } = await this.db.query<DecisionRow>(
      `SELECT ${DECISION_COLUMNS} FROM learner_decisions
        WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
      [page.before ?? null, page.limit],
    );
    return rows.map(toDecision);
  }

  /** The latest decision of any kind, or null. */
  async latestDecision(): Promise<LearnerDecision | null> {
    return (await this.decisions({ limit: 1 }))[0] ?? null;
  }

  /** The learner's latest promotion of `modelId`, when the rollback watch has not judged it yet. */
  async unjudgedPromotion(modelId: string): Promise<LearnerDecision | null> {
    const { rows } = await this.db.query<DecisionRow & { judged_at: Date | string | null }>(
      `SELECT ${DECISION_COLUMNS}, judged_at FROM learner_decisions
        WHERE model_id = $1 AND kind = 'promoted' ORDER BY id DESC LIMIT 1`,
      [modelId],
    );
    const row = rows[0];
    return row && row.judged_at === null ? toDecision(row) : null;
  }

  /** Closes a promotion's rollback watch, keeping the verdict's figures on the promotion's record. */
  async markJudged(decisionId: number, verdict: Record<string, unknown>, q: Queryable = this.db): Promise<void> {
    await q.query(
      `UPDATE learner_decisions SET judged_at = now(), figures = figures || jsonb_build_object('rollbackWatch', $2::jsonb)
        WHERE id = $1`,
      [decisionId, JSON.stringify(verdict)],
    );
  }

  /** When `modelId` last became shadow (model_status_changes), or null. */
  async becameShadowAt(modelId: string): Promise<Date | null> {
    const { rows } = await this.db.query<{ changed_at: Date | string }>(
      `SELECT changed_at FROM model_status_changes WHERE model_id = $1 AND to_status = 'shadow'
        ORDER BY id DESC LIMIT 1`,
      [modelId],
    );
    return rows[0] ? new Date(rows[0].changed_at) : null;
  }

  /**
   * Impressions `modelId` served in [from, to) and how many of them the viewer then liked or superliked
   * (the first swipe on that candidate after the impression, as training labels it).
   */
  async likeCounts(modelId: string, from: Date, to: Date): Promise<{ impressions: number; likes: number }> {
    const { rows } = await this.db.query<{ impressions: string | number; likes: string | number }>(
      `SELECT count(*) AS impressions,
              count(*) FILTER (WHERE f.action IN ('like', 'superlike')) AS likes
         FROM slate_impressions i
         LEFT JOIN LATERAL (
           SELECT s.action FROM swipes s
            WHERE s.viewer_id = i.viewer_id AND s.target_id = i.candidate_id AND s.created_at >= i.served_at
            ORDER BY s.created_at LIMIT 1
         ) f ON true
        WHERE i.model_version = $1 AND i.served_at >= $2::timestamptz AND i.served_at < $3::timestamptz`,
      [modelId, from.toISOString(), to.toISOString()],
    );
    return { impressions: Number(rows[0]?.impressions ?? 0), likes: Number(rows[0]?.likes ?? 0) };
  }
}
