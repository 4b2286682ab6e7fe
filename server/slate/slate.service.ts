// A viewer's slate, end to end: retrieve 200 candidates → pair features (privacy masks applied) →
// rank with the model the viewer's experiment arm calls for → safety → diversity → parity, then log
// the impressions (and, in the shadow arm, both rankings) and return the slate with its trace (members:
// their served candidates only, without ranker scores — slate-view.ts).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { STAFF } from '../../shared/schemas/roles.js';
import { SLATE_LIMITS, type SlateResponse } from '../../shared/schemas/slate.js';
import type { Principal } from '../auth/tokens.js';
import type { DiscoveryConfig, Gender } from '../config/config.js';
import type { Queryable } from '../db/database.js';
import type { ExperimentsService } from '../experiments/experiments.service.js';
import type { RerankerArm } from '../experiments/reranker-arms.js';
import type { PairFeaturesService } from '../features/pair-features.service.js';
import { HttpError } from '../http/errors.js';
import type { LoadedModel } from '../models/loaded-model.js';
import type { ModelRegistry } from '../models/model-registry.service.js';
import { diversityStage } from '../postrank/dpp.js';
import { parityStage } from '../postrank/parity.js';
import type { PostRankCandidate } from '../postrank/postrank-types.js';
import { safetyStage } from '../postrank/safety.js';
import type { CandidatesService } from '../retrieval/candidates.service.js';
import { buildTrace } from './slate-trace.js';
import { memberSlateView } from './slate-view.js';
import { SlateRepository } from './slate.repository.js';

/** The DPP orders this many times the slate size; parity then picks the slate from that order. */
const DIVERSITY_POOL_FACTOR = 3;
const GENDERS: readonly string[] = ['woman', 'man', 'nonbinary'];

/** What the slate needs of the safety module. */
export interface SafetyScores {
  scoresFor(memberIds: string[]): Promise<Map<string, number>>;
}

export interface SlateDependencies {
  candidates: CandidatesService;
  features: PairFeaturesService;
  models: ModelRegistry;
  experiments: ExperimentsService;
  safetyScores: SafetyScores;
  discovery: DiscoveryConfig;
}

export class SlateService {
  private readonly repository: SlateRepository;

  constructor(
    db: Queryable,
    private readonly deps: SlateDependencies,
  ) {
    this.repository = new SlateRepository(db);
  }

  async slateFor(caller: Principal, limit: number, viewerId?: string): Promise<SlateResponse> {
    const viewer = viewerId ?? caller.subject;
    const isStaff = STAFF.includes(caller.role);
    if (viewer !== caller.subject && !isStaff) {
      throw new HttpError(403, `querystring.viewerId: role "${caller.role}" may only see its own slate`);
    }
    const clock = stopwatch();
    // Generic mode (favorites off, or no taste vector) comes back with the candidates; the trace says so.
    const { retrieval, candidates: retrieved } = await this.deps.candidates.retrievalFor(
      caller,
      SLATE_LIMITS.candidates,
      viewer,
    );
    const retrieveMs = clock.lap();

    const { arm, experimentKey } = await this.deps.experiments.rerankerArm(viewer);
    const notes: string[] = [];
    const { served, shadow } = await this.modelsFor(arm, notes);
    const ids = retrieved.map((candidate) => candidate.userId);
    const batch = await this.deps.features.featuresFor(viewer, ids);
    const harassment = await this.deps.safetyScores.scoresFor(batch.candidateIds);
    const featuresMs = clock.lap();

    // Retrieval may return a member deleted since; features are only computed for those still there.
    const present = retrieved.filter((candidate) => batch.facts.has(candidate.userId));
    const rankerScores = served ? scoresBy(served, batch.rows, batch.candidateIds) : null;
    const ranked = rankerScores
      ? [...present].sort((a, b) => rankerScores.get(b.userId)! - rankerScores.get(a.userId)!)
      : present;
    const rankMs = clock.lap();

    const postRank: PostRankCandidate[] = ranked.map((candidate) => {
      const facts = batch.facts.get(candidate.userId)!;
      return {
        userId: candidate.userId,
        score: rankerScores?.get(candidate.userId) ?? candidate.score,
        gender: GENDERS.includes(facts.gender ?? '') ? (facts.gender as Gender) : null,
        taste: facts.taste,
        harassmentScore: harassment.get(candidate.userId) ?? null,
      };
    });
    const { discovery } = this.deps;
    const safety = safetyStage(postRank, discovery.safety);
    const safetyMs = clock.lap();
    const diversity = diversityStage(safety.kept, {
      tradeoff: discovery.diversity.tradeoff,
      select: Math.min(safety.kept.length, DIVERSITY_POOL_FACTOR * limit),
    });
    const diversityMs = clock.lap();
    const parity = parityStage(diversity.ordered, {
      limit,
      band: discovery.parity.band,
      target: discovery.parity.target,
    });
    const parityMs = clock.lap();

    const slateId = randomUUID();
    const byId = new Map(present.map((candidate) => [candidate.userId, candidate]));
    const slate = parity.slate.map((candidate, index) => ({
      userId: candidate.userId,
      position: index + 1,
      score: candidate.score,
      sources: byId.get(candidate.userId)!.sources,
    }));
    await this.repository.logImpressions(
      slateId,
      viewer,
      slate.map((entry) => ({ candidateId: entry.userId, position: entry.position - 1 })),
      served?.id ?? null,
      arm,
    );
    if (shadow && served) {
      const shadowScores = scoresBy(shadow, batch.rows, batch.candidateIds);
      await this.repository.logShadowRanking({
        slateId,
        viewerId: viewer,
        servedModel: served.id,
        shadowModel: shadow.id,
        servedOrder: ranked.map((candidate) => candidate.userId),
        shadowOrder: [...present]
          .sort((a, b) => shadowScores.get(b.userId)! - shadowScores.get(a.userId)!)
          .map((candidate) => candidate.userId),
        shadowScores: ranked.map((candidate) => shadowScores.get(candidate.userId)!),
      });
    }
    const logMs = clock.lap();

    const trace = buildTrace({
      retrieved: present,
      rankerScores,
      rankedOrder: ranked.map((candidate) => candidate.userId),
      safety,
      diversity,
      parity,
      shares: { viewer: batch.viewerShares, candidates: batch.facts },
    });
    const servedIds = new Set(slate.map((entry) => entry.userId));
    const response: SlateResponse = {
      slateId,
      viewerId: viewer,
      arm,
      experimentKey,
      model: served?.id ?? null,
      shadowModel: shadow?.id ?? null,
      retrieval,
      slate,
      // Members see how their own slate was ordered, never who was removed for safety or why.
      trace: isStaff ? trace : trace.filter((entry) => servedIds.has(entry.userId)),
      parity: { targetShares: parity.targetShares, shares: parity.shares, shortfall: parity.shortfall },
      notes,
      timings: {
        retrieveMs: round(retrieveMs),
        featuresMs: round(featuresMs),
        rankMs: round(rankMs),
        safetyMs: round(safetyMs),
        diversityMs: round(diversityMs),
        parityMs: round(parityMs),
        logMs: round(logMs),
        totalMs: round(clock.total()),
      },
    };
    return isStaff ? response : memberSlateView(response);
  }

  /** The model that serves the arm, and the one scored on the side in the shadow arm. */
  private async modelsFor(
    arm: RerankerArm,
    notes: string[],
  ): Promise<{ served: LoadedModel | null; shadow: LoadedModel | null }> {
    if (arm === 'holdout') return { served: null, shadow: null };
    const live = await this.deps.models.liveModel('ranker');
    const candidate = arm === 'control' ? null : await this.deps.models.shadowModel('ranker');
    if (arm !== 'control' && !candidate)
      notes.push(`arm ${arm}: no candidate (shadow) model; served by the live model`);
    const served = arm === 'treatment' && candidate ? candidate : live;
    if (!served) notes.push('no live ranking model: served in retrieval order');
    return { served, shadow: arm === 'shadow' ? candidate : null };
  }
}

function scoresBy(model: LoadedModel, rows: Float64Array, ids: readonly string[]): Map<string, number> {
  const scores = model.scorer.scoreRows(rows, ids.length);
  return new Map(ids.map((id, index) => [id, scores[index]!]));
}

function stopwatch() {
  const start = performance.now();
  let last = start;
  return {
    lap() {
      const now = performance.now();
      const elapsed = now - last;
      last = now;
      return elapsed;
    },
    total: () => performance.now() - start,
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
