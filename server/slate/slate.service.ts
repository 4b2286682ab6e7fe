// A viewer's slate, end to end: retrieve 200 candidates → pair features (privacy masks applied) →
// rank with the model the viewer's experiment arm calls for → safety → diversity → parity (the stages
// are plain functions: slate-pipeline.ts, ranking/serving-rankers.ts), then log the impressions (and,
// in the shadow arm, both rankings and what each would have served) and return the slate with its
// trace (members: their served candidates only, without ranker scores — slate-view.ts).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { SLATE_LIMITS, type SlateResponse } from '../../shared/schemas/slate.js';
import { requireViewerAccess } from '../access/viewer-access.js';
import type { Principal } from '../auth/tokens.js';
import type { DiscoveryConfig } from '../config/config.js';
import type { ExperimentsService } from '../experiments/experiments.service.js';
import type { RerankerArm } from '../experiments/reranker-arms.js';
import { featureRow, type PairFeatureBatch, type PairFeaturesService } from '../features/pair-features.service.js';
import { servingRankers, type Ranker, type ServingModels } from '../ranking/serving-rankers.js';
import type { CandidatesService } from '../retrieval/candidates.service.js';
import {
  postRank,
  postRankInputs,
  rankRetrieved,
  slateEntries,
  type PostRanked,
  type RankedCandidates,
} from './slate-pipeline.js';
import { buildTrace } from './slate-trace.js';
import { memberSlateView } from './slate-view.js';
import type { ShadowGuardrails, SlateRepository } from './slate.repository.js';

/** What the slate needs of the safety module. */
export interface SafetyScores {
  scoresFor(memberIds: string[]): Promise<Map<string, number>>;
}

export interface SlateDependencies {
  repository: SlateRepository;
  candidates: CandidatesService;
  features: PairFeaturesService;
  models: ServingModels;
  experiments: ExperimentsService;
  safetyScores: SafetyScores;
  discovery: DiscoveryConfig;
}

/** What one slate served and how it was ranked, as the impression and shadow logs record it. */
interface ServedSlate {
  slateId: string;
  viewerId: string;
  arm: RerankerArm;
  slate: SlateResponse['slate'];
  ranking: RankedCandidates;
  batch: PairFeatureBatch;
  served: Ranker;
  shadow: Ranker;
}

/** What the shadow arm's log adds: the served order's post-rank outcome and the inputs to run the shadow's. */
interface ShadowedSlate extends Omit<ServedSlate, 'arm' | 'slate'> {
  servedPostRank: PostRanked;
  /** How long the served model took to score the candidates. */
  rankMs: number;
  harassment: ReadonlyMap<string, number>;
  limit: number;
}

export class SlateService {
  constructor(private readonly deps: SlateDependencies) {}

  async slateFor(caller: Principal, limit: number, viewerId?: string): Promise<SlateResponse> {
    // Checked once here: retrieval below is asked for an already-authorised viewer.
    const { viewerId: viewer, isStaff } = requireViewerAccess(caller, viewerId, {
      field: 'viewerId',
      action: 'see its own slate',
    });
    const clock = stopwatch();
    // Generic mode (favorites off, or no taste vector) comes back with the candidates; the trace says so.
    const { retrieval, candidates: retrieved } = await this.deps.candidates.retrievalForViewer(
      viewer,
      SLATE_LIMITS.candidates,
    );
    const retrieveMs = clock.lap();

    const { arm, experimentKey } = await this.deps.experiments.rerankerArm(viewer);
    const { served, shadow, notes } = await servingRankers(this.deps.models, arm);
    const batch = await this.deps.features.featuresFor(
      viewer,
      retrieved.map((candidate) => candidate.userId),
    );
    const harassment = await this.deps.safetyScores.scoresFor(batch.candidateIds);
    const featuresMs = clock.lap();

    const ranking = rankRetrieved(retrieved, batch, served);
    const rankMs = clock.lap();

    const { safety, diversity, parity, timings } = postRank(
      postRankInputs(ranking, batch, harassment),
      this.deps.discovery,
      limit,
      () => clock.lap(),
    );

    const slateId = randomUUID();
    const slate = slateEntries(parity.slate, ranking.present);
    await this.log({ slateId, viewerId: viewer, arm, slate, ranking, batch, served, shadow });
    await this.logShadowRanking({
      slateId,
      viewerId: viewer,
      ranking,
      batch,
      served,
      shadow,
      servedPostRank: { safety, diversity, parity, timings },
      rankMs,
      harassment,
      limit,
    });
    const logMs = clock.lap();

    const trace = buildTrace({
      retrieved: ranking.present,
      rankerScores: ranking.scores,
      rankedOrder: ranking.ranked.map((candidate) => candidate.userId),
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
      model: served.model?.id ?? null,
      shadowModel: shadow.model?.id ?? null,
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
        safetyMs: round(timings.safetyMs),
        diversityMs: round(timings.diversityMs),
        parityMs: round(timings.parityMs),
        logMs: round(logMs),
        totalMs: round(clock.total()),
      },
    };
    return isStaff ? response : memberSlateView(response);
  }

  /** The impressions of the served slate, each with the feature row it was ranked on. */
  private async log({ slateId, viewerId, arm, slate, batch, served }: ServedSlate): Promise<void> {
    // Every arm logs the rows it served from (the batch is computed with or without a model): training
    // learns from the features as the ranker saw them, not as they read later.
    const rowOf = new Map(batch.candidateIds.map((candidateId, index) => [candidateId, index]));
    await this.deps.repository.logImpressions(
      slateId,
      viewerId,
      slate.map((entry) => ({
        candidateId: entry.userId,
        position: entry.position - 1,
        features: featureRow(batch, rowOf.get(entry.userId)!),
      })),
      served.model?.id ?? null,
      arm,
    );
  }

  /**
   * In the shadow arm (a model serving, another beside it): both rankings, and the guardrail figures of
   * each. The shadow order runs through the same (pure, cheap) post-rank stages as the served one, so the
   * evaluation compares the slates each would have served (docs/shadow-evaluation.md); other arms pay
   * nothing for it.
   */
  private async logShadowRanking({
    slateId,
    viewerId,
    ranking,
    batch,
    served,
    shadow,
    servedPostRank,
    rankMs,
    harassment,
    limit,
  }: ShadowedSlate): Promise<void> {
    if (!served.model || !shadow.model) return;
    const clock = stopwatch();
    const shadowRanking = shadow.rank(batch);
    const shadowRankMs = clock.lap();
    const byId = new Map(ranking.present.map((candidate) => [candidate.userId, candidate]));
    const shadowRanked: RankedCandidates = {
      present: ranking.present,
      ranked: shadowRanking.order.map((userId) => byId.get(userId)!),
      scores: shadowRanking.scores,
    };
    const shadowPostRank = postRank(
      postRankInputs(shadowRanked, batch, harassment),
      this.deps.discovery,
      limit,
      () => 0,
    );
    await this.deps.repository.logShadowRanking({
      slateId,
      viewerId,
      servedModel: served.model.id,
      shadowModel: shadow.model.id,
      servedOrder: ranking.ranked.map((candidate) => candidate.userId),
      shadowOrder: shadowRanking.order,
      shadowScores: ranking.ranked.map((candidate) => shadowRanking.scores!.get(candidate.userId)!),
      shadowSlate: shadowPostRank.parity.slate.map((candidate) => candidate.userId),
      served: guardrailsOf(servedPostRank, rankMs),
      shadow: guardrailsOf(shadowPostRank, shadowRankMs),
    });
  }
}

/** One model's guardrail figures for one slate. */
function guardrailsOf({ safety, parity }: PostRanked, rankMs: number): ShadowGuardrails {
  return {
    parityShortfall: parity.shortfall.reduce((sum, gap) => sum + Math.abs(gap.missing), 0),
    safetyRemovals: safety.removed.length,
    rankMs,
  };
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
