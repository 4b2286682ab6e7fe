// Trains a ranking model from the product's own feedback: labelled impressions in a window → the pair
// features each impression logged when it was served (current privacy masks on top) → LambdaMART on a
// worker thread (the API stays responsive) → offline metrics on held-out viewers → a new version in the
// model registry (live only for a fresh install's first model). Also clears feature logs past retention.
import { performance } from 'node:perf_hooks';
import type { ModelVersion } from '../../shared/schemas/models.js';
import type { TrainingDataExport } from '../../shared/schemas/ranking.js';
import { DomainError, malformed } from '../errors/domain-errors.js';
import { featureSpecRecord, PAIR_FEATURE_NAMES } from '../features/pair-feature-spec.js';
import type { ModelRegistry } from '../models/model-registry.service.js';
import { resolveParams, type LambdaMartParams, type RankingDataset } from '../lib/ranker/lambdamart-trainer.js';
import { formatLibsvm, formatQueryFile } from '../lib/ranker/libsvm.js';
import { writeLightGbmModel } from '../lib/ranker/lightgbm-format.js';
import { meanAveragePrecision, ndcgAtK } from '../lib/ranker/ranking-metrics.js';
import { compileScorer } from '../lib/ranker/scorer.js';
import { trainInWorker } from '../lib/ranker/train-in-worker.js';
import type { TrainingDataRepository, TrainingWindow } from './training-data.repository.js';
import { buildRankingDataset, splitByViewer, type LoggedDataset } from './training-dataset.js';

/** Default window: the last 90 days of feedback. */
const DEFAULT_WINDOW_DAYS = 90;
/** Share of viewers held out to measure the model and stop training early. */
export const VALID_SHARE = 0.2;
/** Fewer labelled viewers than this cannot train and measure a ranking model meaningfully. */
export const MIN_TRAINING_VIEWERS = 10;
const DAY_MS = 86_400_000;
/** The most feature logs one retention run clears; a larger backlog is finished by the next runs. */
const MAX_CLEARED_PER_RUN = 200_000;

/** The engine's training defaults on top of LightGBM's: reproducible, and stop when validation stalls. */
const PRODUCT_DEFAULTS: Partial<LambdaMartParams> = { seed: 42, earlyStoppingRounds: 20, minDataInLeaf: 20 };

export interface TrainRequest {
  window?: Partial<TrainingWindow>;
  params?: Partial<LambdaMartParams>;
  actor: string;
  note?: string;
  /** A fresh install's first model: registered live when no model is live yet. */
  bootstrap?: boolean;
}

export class RankerTrainingService {
  constructor(
    private readonly impressions: TrainingDataRepository,
    private readonly models: ModelRegistry,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The window asked for, defaults filled in. */
  resolveWindow(window: Partial<TrainingWindow> = {}): TrainingWindow {
    const to = window.to ?? this.now();
    const from = window.from ?? new Date(to.getTime() - DEFAULT_WINDOW_DAYS * DAY_MS);
    if (from >= to) throw malformed('from', `must be before to (${from.toISOString()} ≥ ${to.toISOString()})`);
    return { from, to };
  }

  /** The window's labelled impressions as a ranking dataset, one query group per viewer, from their logged features. */
  async dataset(window: TrainingWindow): Promise<LoggedDataset> {
    return buildRankingDataset(await this.impressions.labelledImpressions(window));
  }

  /** Clears logged features of impressions older than `retentionDays` (a bounded amount per run); returns how many. */
  async clearExpiredFeatureLogs(retentionDays: number): Promise<number> {
    return this.impressions.clearFeaturesServedBefore(
      new Date(this.now().getTime() - retentionDays * DAY_MS),
      MAX_CLEARED_PER_RUN,
    );
  }

  /** LibSVM + query files of the window, as LightGBM, XGBoost and RankLib read them. */
  async exportTrainingData(window: TrainingWindow): Promise<TrainingDataExport> {
    const { data, impressionsWithoutFeatures } = await this.dataset(window);
    return {
      window: { from: window.from.toISOString(), to: window.to.toISOString() },
      featureNames: [...PAIR_FEATURE_NAMES],
      rows: data.numRows,
      groups: data.groups.length,
      labels: countLabels(data.labels),
      libsvm: formatLibsvm(data.labels, data.rows, data.numRows, data.numFeatures),
      query: formatQueryFile(data.groups),
      viewers: data.viewers,
      impressionsWithoutFeatures,
    };
  }

  /** Checks parameters and that the window has enough feedback, before a training job is queued. */
  async checkTrainable(window: TrainingWindow, params: Partial<LambdaMartParams>): Promise<void> {
    try {
      resolveParams({ ...PRODUCT_DEFAULTS, ...params });
    } catch (error) {
      throw malformed('', error instanceof Error ? error.message : String(error));
    }
    const labelled = await this.impressions.labelledImpressions(window);
    const viewers = new Set(
      labelled.filter((impression) => impression.features !== null).map((impression) => impression.viewerId),
    );
    if (viewers.size < MIN_TRAINING_VIEWERS) {
      const without = labelled.filter((impression) => impression.features === null).length;
      throw new DomainError(
        'invalid',
        `${viewers.size} viewer(s) with labelled impressions that logged features between ${window.from.toISOString()} and ${window.to.toISOString()}; at least ${MIN_TRAINING_VIEWERS} are needed` +
          (without > 0 ? ` (${without} labelled impression(s) without logged features left out)` : ''),
        { topic: 'window' },
      );
    }
  }

  async train(request: TrainRequest): Promise<ModelVersion> {
    const window = this.resolveWindow(request.window);
    const { data, impressionsWithoutFeatures } = await this.dataset(window);
    if (data.groups.length < MIN_TRAINING_VIEWERS) {
      throw new Error(
        `ranker training: ${data.groups.length} viewer(s) with two or more labelled candidates in the window; at least ${MIN_TRAINING_VIEWERS} are needed`,
      );
    }
    const { train, valid } = splitByViewer(data, VALID_SHARE);
    const useValid = valid.groups.length >= 2 && train.groups.length >= 2;
    const params = { ...PRODUCT_DEFAULTS, ...(useValid ? {} : { earlyStoppingRounds: 0 }), ...request.params };
    const started = performance.now();
    const result = await trainInWorker(useValid ? train : data, params, useValid ? valid : undefined, {
      transferData: false,
    });
    const trainingMs = Math.round(performance.now() - started);
    const measuredOn = useValid ? valid : data;
    const metrics = {
      ...offlineMetrics(compileScorer(result.model).scoreRows(measuredOn.rows, measuredOn.numRows), measuredOn),
      measuredOn: useValid ? 'validation viewers' : 'training viewers (too few to hold any out)',
      trainRows: (useValid ? train : data).numRows,
      trainViewers: (useValid ? train : data).groups.length,
      validRows: useValid ? valid.numRows : 0,
      validViewers: useValid ? valid.groups.length : 0,
      labels: countLabels(data.labels),
      impressionsWithoutFeatures,
      trees: result.model.trees.length,
      bestIteration: result.bestIteration,
      trainingMs,
    };
    const version = {
      kind: 'ranker' as const,
      format: 'lightgbm' as const,
      artifact: writeLightGbmModel(result.model),
      params: { ...resolveParams(params) },
      metrics,
      featureSpec: featureSpecRecord(),
      trainingWindow: { from: window.from.toISOString(), to: window.to.toISOString() },
      createdBy: request.actor,
      ...(request.note !== undefined ? { note: request.note } : {}),
    };
    if (request.bootstrap && (await this.models.liveModel('ranker')) === null) {
      try {
        return await this.models.register({ ...version, status: 'live', note: request.note ?? 'first model' });
      } catch (error) {
        // Another replica's first model went live in the meantime: keep this one as a candidate.
        if (!(error instanceof DomainError && error.kind === 'conflict')) throw error;
      }
    }
    return this.models.register({ ...version, status: 'candidate' });
  }
}

/** NDCG@1/3/5/10 and MAP of `scores` on a dataset, as the registry and the console show them. */
export function offlineMetrics(scores: Float64Array, data: RankingDataset): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const k of [1, 3, 5, 10]) metrics[`ndcg@${k}`] = round(ndcgAtK(data.labels, scores, data.groups, k));
  metrics.map = round(meanAveragePrecision(data.labels, scores, data.groups));
  return metrics;
}

function countLabels(labels: Float64Array) {
  const counts = { pass: 0, like: 0, strong: 0 };
  for (const label of labels) {
    if (label >= 2) counts.strong++;
    else if (label >= 1) counts.like++;
    else counts.pass++;
  }
  return counts;
}

function round(value: number): number {
  return Math.round(value * 1e5) / 1e5;
}
