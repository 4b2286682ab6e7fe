// The online learner (docs/learning.md): one cycle every SDE_LEARNER_CRON, in this order — nothing when
// paused; roll back a fresh learner promotion whose like rate dropped; judge the shadow model at the
// promotion gate; or, with no model in shadow, train a candidate on the recent feedback window and put
// it in shadow. Every decision is written to learner_decisions with the figures it was made on.
import { randomUUID } from 'node:crypto';
import type {
  LearnerDecision,
  LearnerState,
  LearnerStatus,
  LearnerStatusQuery,
  OnlineEstimate,
} from '../../shared/schemas/learning.js';
import { LEARNER_LIMITS } from '../../shared/schemas/learning.js';
import type { LearningConfig } from '../config/config.js';
import type { Database } from '../db/database.js';
import { conflict, DomainError } from '../errors/domain-errors.js';
import { ndcgAtK } from '../lib/ranker/ranking-metrics.js';
import type { ModelRegistry } from '../models/model-registry.service.js';
import { MIN_TRAINING_VIEWERS, VALID_SHARE, type RankerTrainingService } from '../ranking/ranker-training.service.js';
import type { TrainingWindow } from '../ranking/training-data.repository.js';
import { splitByViewer, type ViewerDataset } from '../ranking/training-dataset.js';
import type { LearnerRepository, NewLearnerDecision } from './learner.repository.js';
import { likeRateDrop } from './like-rate-drop.js';
import { promotionGate, type OfflineComparison } from './promotion-gate.js';
import type { ShadowEvaluator } from './shadow-evaluation.service.js';

/** The registry's history names the learner as the actor of every status change it makes. */
export const LEARNER_ACTOR = 'learner';
/** A run lease older than this belongs to a crashed cycle (the job's expiry is the same hour). */
export const LEARNER_RUN_STALE_SECONDS = 3600;
const HOUR_MS = 3_600_000;

export interface OnlineLearnerDeps {
  db: Database;
  repository: LearnerRepository;
  models: ModelRegistry;
  training: RankerTrainingService;
  evaluator: ShadowEvaluator;
  settings: LearningConfig;
  now?: () => Date;
}

export class OnlineLearner {
  private readonly now: () => Date;

  constructor(private readonly deps: OnlineLearnerDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** One cycle; [] when paused or when another cycle is running (the scheduled run's contract). */
  async runOnce({ actor }: { actor: string }): Promise<LearnerDecision[]> {
    const lease = randomUUID();
    if (!(await this.deps.repository.claimRun(lease, LEARNER_RUN_STALE_SECONDS))) return [];
    return this.cycleHoldingLease(lease, actor);
  }

  /** One cycle asked for by an operator: 409 when paused or when a cycle is already running. */
  async runNow({ actor }: { actor: string }): Promise<LearnerDecision[]> {
    const lease = randomUUID();
    if (!(await this.deps.repository.claimRun(lease, LEARNER_RUN_STALE_SECONDS))) {
      const { paused } = await this.deps.repository.state();
      throw new DomainError(
        'conflict',
        paused ? 'the learner is paused; resume it first' : 'a learner cycle is running; try again when it ends',
        { topic: 'learner' },
      );
    }
    return this.cycleHoldingLease(lease, actor);
  }

  async status(query: LearnerStatusQuery = {}): Promise<LearnerStatus> {
    const [state, decisions, shadowEvaluation] = await Promise.all([
      this.state(),
      this.deps.repository.decisions({
        limit: query.limit ?? LEARNER_LIMITS.defaultDecisionsPage,
        ...(query.before !== undefined ? { before: query.before } : {}),
      }),
      this.currentShadowEvaluation(),
    ]);
    return { state, shadowEvaluation, decisions };
  }

  async state(): Promise<LearnerState> {
    const { settings } = this.deps;
    return {
      ...(await this.deps.repository.state()),
      schedule: settings.enabled ? settings.cron : 'off (SDE_LEARNER_ENABLED=false)',
      settings: {
        windowHours: settings.windowHours,
        rollback: settings.rollback,
        gate: settings.gate,
      },
    };
  }

  /** Pauses or resumes; records who and why. 409 when it is already in that state. */
  async setPaused({ paused, note, actor }: { paused: boolean; note?: string; actor: string }): Promise<LearnerState> {
    const liveModelId = (await this.deps.models.liveModel('ranker'))?.id ?? null;
    await this.deps.db.transaction(async (tx) => {
      const changed = await this.deps.repository.setPaused(tx, paused, actor);
      if (!changed) throw conflict('paused', `the learner is already ${paused ? 'paused' : 'running'}`);
      await this.deps.repository.record(tx, {
        kind: paused ? 'paused' : 'resumed',
        modelId: null,
        liveModelId,
        reason: note ?? `${paused ? 'paused' : 'resumed'} by ${actor}`,
        figures: {},
        actor,
      });
    });
    return this.state();
  }

  private async cycleHoldingLease(lease: string, actor: string): Promise<LearnerDecision[]> {
    try {
      const live = await this.deps.models.liveModel('ranker');
      if (!live) {
        const skipped = await this.skip(
          actor,
          null,
          'no live model to compare a candidate with; train the first one',
          {},
        );
        return skipped ? [skipped] : [];
      }
      const rolledBack = await this.watchRollback(live.id, actor);
      if (rolledBack) return [rolledBack];
      const shadow = await this.deps.models.shadowModel('ranker');
      if (shadow) {
        const judged = await this.judgeShadow(shadow.id, live.id, actor);
        return judged ? [judged] : [];
      }
      return await this.trainCandidate(live.id, actor);
    } finally {
      await this.deps.repository.releaseRun(lease);
    }
  }

  /**
   * The learner's own promotion of the live model, while still watched: its like rate since promotion
   * against the previous live model's in an equally long window before. Judged once, when both sides
   * have enough impressions; a significant drop beyond the limit rolls back.
   */
  private async watchRollback(liveId: string, actor: string): Promise<LearnerDecision | null> {
    const { repository, settings } = this.deps;
    const promotion = await repository.unjudgedPromotion(liveId);
    if (!promotion?.liveModelId) return null;
    const promotedAt = new Date(promotion.createdAt);
    const now = this.now();
    const elapsedMs = now.getTime() - promotedAt.getTime();
    if (elapsedMs > settings.rollback.watchHours * HOUR_MS) return null;
    const current = await repository.likeCounts(liveId, promotedAt, now);
    const previous = await repository.likeCounts(
      promotion.liveModelId,
      new Date(promotedAt.getTime() - elapsedMs),
      promotedAt,
    );
    const test = likeRateDrop(previous, current, settings.rollback);
    if (test.verdict === 'too_few') return null;
    const figures = {
      promotionDecisionId: promotion.id,
      previousModelId: promotion.liveModelId,
      windowHours: round(elapsedMs / HOUR_MS),
      previous,
      current,
      ...test,
      thresholds: settings.rollback,
    };
    if (test.verdict === 'held') {
      await repository.markJudged(promotion.id, figures);
      return null;
    }
    const result = await this.deps.models.rollback(
      'ranker',
      LEARNER_ACTOR,
      `learner: like rate fell ${pct(-test.relativeChange)} after promotion`,
    );
    return this.deps.db.transaction(async (tx) => {
      await repository.markJudged(promotion.id, figures, tx);
      return repository.record(tx, {
        kind: 'rolled_back',
        modelId: liveId,
        liveModelId: result.live.id,
        reason: `like rate ${fmt(test.after)} vs ${fmt(test.before)} before promotion (${pct(-test.relativeChange)} lower, p=${fmt(test.pValue)})`,
        figures,
        actor,
      });
    });
  }

  /** The promotion gate on the shadow model: promote, refuse (retire), or wait for more traffic (no record). */
  private async judgeShadow(shadowId: string, liveId: string, actor: string): Promise<LearnerDecision | null> {
    const { settings } = this.deps;
    const now = this.now();
    const since = (await this.deps.repository.becameShadowAt(shadowId)) ?? now;
    const online = await this.deps.evaluator.evaluate(shadowId, since);
    const enoughTraffic = (online?.impressions ?? 0) >= settings.gate.minShadowImpressions;
    const offline = enoughTraffic
      ? await this.offlineComparison(shadowId, liveId, (await this.deps.training.dataset(this.window())).data)
      : null;
    const gate = promotionGate({
      offline,
      online,
      shadowHours: (now.getTime() - since.getTime()) / HOUR_MS,
      settings: settings.gate,
    });
    if (gate.verdict === 'wait') return null;
    const reason = gate.reasons.join('; ');
    if (gate.verdict === 'promote') {
      await this.deps.models.promote(shadowId, 'live', LEARNER_ACTOR, `learner: ${reason}`);
    } else {
      // Retired rather than back to candidate: the gate has judged it, and nothing would judge it again.
      await this.deps.models.promote(shadowId, 'retired', LEARNER_ACTOR, `learner refused: ${reason}`);
    }
    return this.decide({
      kind: gate.verdict === 'promote' ? 'promoted' : 'refused',
      modelId: shadowId,
      liveModelId: liveId,
      reason,
      figures: gate.figures,
      actor,
    });
  }

  /** Trains on the feedback window, registers the candidate with held-out figures, puts it in shadow. */
  private async trainCandidate(liveId: string, actor: string): Promise<LearnerDecision[]> {
    const window = this.window();
    const { data, impressionsWithoutFeatures } = await this.deps.training.dataset(window);
    const windowFigures = { from: window.from.toISOString(), to: window.to.toISOString() };
    if (data.groups.length < MIN_TRAINING_VIEWERS) {
      const skipped = await this.skip(
        actor,
        liveId,
        `too little feedback to train: fewer than ${MIN_TRAINING_VIEWERS} viewers with two or more labelled candidates in the last ${this.deps.settings.windowHours} h`,
        { viewers: data.groups.length, rows: data.numRows, impressionsWithoutFeatures, window: windowFigures },
      );
      return skipped ? [skipped] : [];
    }
    const version = await this.deps.training.train({
      window,
      actor: LEARNER_ACTOR,
      note: `learner cycle run by ${actor}`,
    });
    const offline = await this.offlineComparison(version.id, liveId, data);
    const trained = await this.decide({
      kind: 'trained',
      modelId: version.id,
      liveModelId: liveId,
      reason: `trained a full model on ${data.groups.length} viewers' feedback (${data.numRows} labelled impressions)`,
      figures: { window: windowFigures, metrics: version.metrics, heldOut: offline, warmStart: false },
      actor,
    });
    await this.deps.models.promote(version.id, 'shadow', LEARNER_ACTOR, 'learner: new candidate to shadow');
    const shadowed = await this.decide({
      kind: 'shadowed',
      modelId: version.id,
      liveModelId: liveId,
      reason: 'scored beside the live model on the shadow arm until the gate judges it',
      figures: { heldOut: offline },
      actor,
    });
    return [trained, shadowed];
  }

  /**
   * Both models' NDCG@10 on the same held-out viewers: the validation share of the window's viewers,
   * split by the same viewer hash as training, so a candidate the learner trained never saw them.
   */
  private async offlineComparison(
    candidateId: string,
    liveId: string,
    data: ViewerDataset,
  ): Promise<OfflineComparison | null> {
    const { valid } = splitByViewer(data, VALID_SHARE);
    if (valid.groups.length === 0) return null;
    const [candidate, live] = await Promise.all([
      this.deps.models.loadModel(candidateId),
      this.deps.models.loadModel(liveId),
    ]);
    const ndcg10 = (scores: Float64Array) => round(ndcgAtK(valid.labels, scores, valid.groups, 10), 5);
    return {
      candidateNdcg10: ndcg10(candidate.scorer.scoreRows(valid.rows, valid.numRows)),
      liveNdcg10: ndcg10(live.scorer.scoreRows(valid.rows, valid.numRows)),
      viewers: valid.groups.length,
      rows: valid.numRows,
    };
  }

  private async currentShadowEvaluation(): Promise<OnlineEstimate | null> {
    const shadow = await this.deps.models.shadowModel('ranker');
    if (!shadow) return null;
    const since = await this.deps.repository.becameShadowAt(shadow.id);
    return since ? this.deps.evaluator.evaluate(shadow.id, since) : null;
  }

  /** A `skipped` record, unless the latest decision is the same skip (the schedule would repeat it every run). */
  private async skip(
    actor: string,
    liveModelId: string | null,
    reason: string,
    figures: Record<string, unknown>,
  ): Promise<LearnerDecision | null> {
    const latest = await this.deps.repository.latestDecision();
    if (latest?.kind === 'skipped' && latest.reason === reason) return null;
    return this.decide({ kind: 'skipped', modelId: null, liveModelId, reason, figures, actor });
  }

  private decide(decision: NewLearnerDecision): Promise<LearnerDecision> {
    return this.deps.repository.record(this.deps.db, decision);
  }

  private window(): TrainingWindow {
    const to = this.now();
    return { from: new Date(to.getTime() - this.deps.settings.windowHours * HOUR_MS), to };
  }
}

function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function fmt(value: number): string {
  return String(round(value, 4));
}

function pct(share: number): string {
  return `${round(share * 100, 1)} %`;
}
