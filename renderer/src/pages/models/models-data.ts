// Data shaping for the Models page: offline metrics over versions (chart series in creation order), the
// side-by-side comparison of two versions (metric rows with differences, feature importance as shares
// of each model's total gain), and what a promotion or rollback will change, as an i18n key with its
// values so the confirmation dialog can say it in the viewer's language. Pure, unit-tested functions.
import type { ModelDetail, ModelStatus, ModelVersion } from '../../../../shared/schemas/models.js';

/** The offline metrics a training run records (server/ranking/ranker-training.service.ts), in display order. */
export const OFFLINE_METRICS = [
  { metric: 'ndcg@1', dataKey: 'ndcg1', label: 'NDCG@1' },
  { metric: 'ndcg@3', dataKey: 'ndcg3', label: 'NDCG@3' },
  { metric: 'ndcg@5', dataKey: 'ndcg5', label: 'NDCG@5' },
  { metric: 'ndcg@10', dataKey: 'ndcg10', label: 'NDCG@10' },
  { metric: 'map', dataKey: 'map', label: 'MAP' },
] as const;

export type MetricDataKey = (typeof OFFLINE_METRICS)[number]['dataKey'];

/** The statuses a version can be promoted to from the console (retiring happens by displacement or rollback). */
export const PROMOTION_TARGETS = ['live', 'shadow'] as const satisfies readonly ModelStatus[];
export type PromotionTarget = (typeof PROMOTION_TARGETS)[number];

export function metricValue(metrics: Record<string, unknown> | undefined, key: string): number | null {
  const value = metrics?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Oldest first (ties by id), the order versions were made in. */
export function byCreation<T extends Pick<ModelVersion, 'id' | 'createdAt'>>(models: readonly T[]): T[] {
  return [...models].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id.localeCompare(b.id));
}

export type MetricPoint = { id: string } & Record<MetricDataKey, number | null>;

/** One point per version in creation order; a metric the version did not record is null (a gap). */
export function metricSeries(models: readonly ModelVersion[]): MetricPoint[] {
  return byCreation(models).map((model) => {
    const point = { id: model.id } as MetricPoint;
    for (const { metric, dataKey } of OFFLINE_METRICS) point[dataKey] = metricValue(model.metrics, metric);
    return point;
  });
}

/** Whether any version recorded any offline metric (else the chart has nothing to draw). */
export function hasMetrics(series: readonly MetricPoint[]): boolean {
  return series.some((point) => OFFLINE_METRICS.some(({ dataKey }) => point[dataKey] !== null));
}

export interface ComparisonRow {
  metric: string;
  label: string;
  a: number | null;
  b: number | null;
  /** b − a when both are known. */
  delta: number | null;
}

/**
 * The offline metrics first, in their usual order, then every other numeric metric either version
 * recorded (training rows, trees, …) by name. Non-numeric entries (`measuredOn`, `labels`) are left out.
 */
export function comparisonRows(a: Pick<ModelVersion, 'metrics'>, b: Pick<ModelVersion, 'metrics'>): ComparisonRow[] {
  const row = (metric: string, label: string): ComparisonRow => {
    const left = metricValue(a.metrics, metric);
    const right = metricValue(b.metrics, metric);
    return { metric, label, a: left, b: right, delta: left !== null && right !== null ? right - left : null };
  };
  const offline = new Set<string>(OFFLINE_METRICS.map(({ metric }) => metric));
  const others = new Set<string>();
  for (const metrics of [a.metrics, b.metrics])
    for (const [key, value] of Object.entries(metrics ?? {}))
      if (!offline.has(key) && typeof value === 'number') others.add(key);
  return [
    ...OFFLINE_METRICS.map(({ metric, label }) => row(metric, label)),
    ...[...others].sort((x, y) => x.localeCompare(y)).map((metric) => row(metric, metric)),
  ];
}

/** "+0.0123", "−0.0040", "0.0000"; "—" when unknown. */
export function formatDelta(delta: number | null, language: string, fractionDigits = 4): string {
  if (delta === null || !Number.isFinite(delta)) return '—';
  return new Intl.NumberFormat(language, {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
    signDisplay: 'exceptZero',
  }).format(delta);
}

export interface ImportanceRow {
  feature: string;
  /** Share (0..1) of model A's total gain, null when the feature is not in A's top list. */
  a: number | null;
  b: number | null;
}

/**
 * Feature importance of both versions as shares of each one's total gain — raw gains are not
 * comparable across models (they scale with data size and tree count), shares are. Features by the
 * larger of the two shares, at most `top`.
 */
export function importanceComparison(
  a: Pick<ModelDetail, 'featureImportance'>,
  b: Pick<ModelDetail, 'featureImportance'>,
  top = 20,
): ImportanceRow[] {
  const shares = (detail: Pick<ModelDetail, 'featureImportance'>) => {
    const total = detail.featureImportance.reduce((sum, entry) => sum + Math.max(0, entry.importance), 0);
    return new Map(
      detail.featureImportance.map((entry) => [entry.feature, total > 0 ? Math.max(0, entry.importance) / total : 0]),
    );
  };
  const left = shares(a);
  const right = shares(b);
  const features = new Set([...left.keys(), ...right.keys()]);
  return [...features]
    .map((feature) => ({ feature, a: left.get(feature) ?? null, b: right.get(feature) ?? null }))
    .sort((x, y) => Math.max(y.a ?? 0, y.b ?? 0) - Math.max(x.a ?? 0, x.b ?? 0) || x.feature.localeCompare(y.feature))
    .slice(0, top);
}

/** The pair compared when the page opens: the live version against the newest other one. */
export function defaultComparison(models: readonly ModelVersion[]): [string, string] | null {
  if (models.length < 2) return null;
  const newestFirst = [...byCreation(models)].reverse();
  const first = models.find((model) => model.status === 'live') ?? newestFirst[1]!;
  const second = newestFirst.find((model) => model.id !== first.id)!;
  return [first.id, second.id];
}

/** A sentence to show, as an i18n key (namespace `models`) and its interpolation values. */
export interface ChangeDescription {
  key: string;
  values: Record<string, string>;
}

/**
 * What promoting `id` to `to` will change, mirroring the registry (docs/model-registry.md): to live,
 * the current live version of the kind is retired; to shadow, the current shadow goes back to candidate.
 */
export function describePromotion(models: readonly ModelVersion[], id: string, to: PromotionTarget): ChangeDescription {
  const model = models.find((candidate) => candidate.id === id);
  const displaced = models.find(
    (candidate) => candidate.status === to && candidate.kind === (model?.kind ?? 'ranker') && candidate.id !== id,
  );
  const prefix = to === 'live' ? 'confirm.promoteLive' : 'confirm.promoteShadow';
  return displaced
    ? { key: `${prefix}Displacing`, values: { model: id, current: displaced.id } }
    : { key: prefix, values: { model: id } };
}

export function liveModel(models: readonly ModelVersion[], kind = 'ranker'): ModelVersion | null {
  return models.find((model) => model.kind === kind && model.status === 'live') ?? null;
}

/**
 * The version a rollback will make live again: the registry picks the version most recently made live
 * other than the current one. When the current live version was made live (by a promotion or an earlier
 * rollback), its predecessor was retired in the same transaction, so both carry the same status-change
 * time: exactly one retired version with the live one's `statusChangedAt` is that predecessor. Anything
 * else (a first model, history lost with a deleted version) is unknown — null.
 */
export function previousLive(models: readonly ModelVersion[], kind = 'ranker'): ModelVersion | null {
  const live = liveModel(models, kind);
  if (!live) return null;
  const at = Date.parse(live.statusChangedAt);
  const retiredThen = models.filter(
    (model) => model.kind === kind && model.status === 'retired' && Date.parse(model.statusChangedAt) === at,
  );
  return retiredThen.length === 1 ? retiredThen[0]! : null;
}

export function describeRollback(models: readonly ModelVersion[], kind = 'ranker'): ChangeDescription {
  const live = liveModel(models, kind);
  if (!live) return { key: 'confirm.rollbackNoLive', values: {} };
  const previous = previousLive(models, kind);
  return previous
    ? { key: 'confirm.rollback', values: { current: live.id, previous: previous.id } }
    : { key: 'confirm.rollbackUnknown', values: { current: live.id } };
}
