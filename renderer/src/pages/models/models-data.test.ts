// Unit tests of the Models page's data shaping: metric series in creation order, comparison rows with
// differences, importance shares, and what a promotion or rollback will change.
import { describe, expect, it } from 'vitest';
import type { ModelVersion } from '../../../../shared/schemas/models.js';
import {
  comparisonRows,
  defaultComparison,
  describePromotion,
  describeRollback,
  formatDelta,
  hasMetrics,
  importanceComparison,
  metricSeries,
  previousLive,
} from './models-data.js';

function version(id: string, overrides: Partial<ModelVersion> = {}): ModelVersion {
  return {
    id,
    kind: 'ranker',
    status: 'candidate',
    format: 'lightgbm',
    artifactBytes: 100,
    params: {},
    metrics: {},
    trainingWindow: null,
    createdBy: 'ml',
    createdAt: '2025-01-01T00:00:00.000Z',
    statusChangedBy: 'ml',
    statusChangedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('metricSeries', () => {
  it('orders versions by creation time and leaves unrecorded metrics as gaps', () => {
    const series = metricSeries([
      version('newer', {
        createdAt: '2025-02-01T00:00:00Z',
        metrics: { 'ndcg@10': 0.7, map: 0.6, measuredOn: 'validation viewers' },
      }),
      version('older', { createdAt: '2025-01-01T00:00:00Z', metrics: { 'ndcg@1': 0.5, 'ndcg@10': '0.6' } }),
    ]);
    expect(series).toEqual([
      { id: 'older', ndcg1: 0.5, ndcg3: null, ndcg5: null, ndcg10: null, map: null },
      { id: 'newer', ndcg1: null, ndcg3: null, ndcg5: null, ndcg10: 0.7, map: 0.6 },
    ]);
    expect(hasMetrics(series)).toBe(true);
    expect(hasMetrics(metricSeries([version('bare')]))).toBe(false);
  });
});

describe('comparisonRows', () => {
  it('lists the offline metrics first with b − a, then other numeric metrics by name', () => {
    const rows = comparisonRows(
      { metrics: { 'ndcg@10': 0.7, map: 0.5, trees: 80, measuredOn: 'validation viewers' } },
      { metrics: { 'ndcg@10': 0.72, trees: 100, trainRows: 5000 } },
    );
    expect(rows.map((row) => row.metric)).toEqual([
      'ndcg@1',
      'ndcg@3',
      'ndcg@5',
      'ndcg@10',
      'map',
      'trainRows',
      'trees',
    ]);
    expect(rows[3]).toMatchObject({ label: 'NDCG@10', a: 0.7, b: 0.72 });
    expect(rows[3]!.delta).toBeCloseTo(0.02, 10);
    expect(rows[4]).toEqual({ metric: 'map', label: 'MAP', a: 0.5, b: null, delta: null });
    expect(rows[6]).toEqual({ metric: 'trees', label: 'trees', a: 80, b: 100, delta: 20 });
  });

  it('formats differences with a sign', () => {
    expect(formatDelta(0.0123, 'en')).toBe('+0.0123');
    expect(formatDelta(-0.004, 'es')).toBe('-0,0040');
    expect(formatDelta(0, 'en')).toBe('0.0000');
    expect(formatDelta(null, 'en')).toBe('—');
  });
});

describe('importanceComparison', () => {
  it('compares shares of each model’s total gain, biggest first (ties by name), features missing on one side as null', () => {
    const rows = importanceComparison(
      {
        featureImportance: [
          { feature: 'taste_cosine', importance: 300 },
          { feature: 'distance_km', importance: 100 },
        ],
      },
      {
        featureImportance: [
          { feature: 'distance_km', importance: 10 },
          { feature: 'age_gap_years', importance: 30 },
        ],
      },
    );
    expect(rows).toEqual([
      { feature: 'age_gap_years', a: null, b: 0.75 },
      { feature: 'taste_cosine', a: 0.75, b: null },
      { feature: 'distance_km', a: 0.25, b: 0.25 },
    ]);
    expect(
      importanceComparison({ featureImportance: [] }, { featureImportance: [{ feature: 'x', importance: 0 }] }),
    ).toEqual([{ feature: 'x', a: null, b: 0 }]);
  });
});

describe('defaultComparison', () => {
  it('compares the live version with the newest other one', () => {
    const models = [
      version('a', { createdAt: '2025-01-01T00:00:00Z', status: 'live' }),
      version('b', { createdAt: '2025-01-02T00:00:00Z' }),
      version('c', { createdAt: '2025-01-03T00:00:00Z' }),
    ];
    expect(defaultComparison(models)).toEqual(['a', 'c']);
    expect(defaultComparison(models.map((model) => ({ ...model, status: 'candidate' as const })))).toEqual(['b', 'c']);
    expect(defaultComparison([version('only')])).toBeNull();
  });
});

describe('describePromotion', () => {
  const models = [
    version('ranker-new'),
    version('ranker-live', { status: 'live' }),
    version('ranker-shadow', { status: 'shadow' }),
  ];

  it('names the version that becomes live and the live one that will be retired', () => {
    expect(describePromotion(models, 'ranker-new', 'live')).toEqual({
      key: 'confirm.promoteLiveDisplacing',
      values: { model: 'ranker-new', current: 'ranker-live' },
    });
  });

  it('names the shadow version that goes back to candidate', () => {
    expect(describePromotion(models, 'ranker-new', 'shadow')).toEqual({
      key: 'confirm.promoteShadowDisplacing',
      values: { model: 'ranker-new', current: 'ranker-shadow' },
    });
  });

  it('says nothing is displaced when no version holds the status (or the version itself does)', () => {
    expect(describePromotion([version('x')], 'x', 'live')).toEqual({
      key: 'confirm.promoteLive',
      values: { model: 'x' },
    });
    expect(describePromotion(models, 'ranker-shadow', 'shadow')).toEqual({
      key: 'confirm.promoteShadow',
      values: { model: 'ranker-shadow' },
    });
  });
});

describe('describeRollback', () => {
  const promotedAt = '2025-02-01T10:00:00.123Z';

  it('names the live version and its predecessor, retired in the same transaction', () => {
    const models = [
      version('ranker-b', { status: 'live', statusChangedAt: promotedAt }),
      version('ranker-a', { status: 'retired', statusChangedAt: promotedAt }),
      version('ranker-old', { status: 'retired', statusChangedAt: '2025-01-01T00:00:00Z' }),
    ];
    expect(previousLive(models)?.id).toBe('ranker-a');
    expect(describeRollback(models)).toEqual({
      key: 'confirm.rollback',
      values: { current: 'ranker-b', previous: 'ranker-a' },
    });
  });

  it('falls back to a general sentence when the predecessor cannot be told, and says when nothing is live', () => {
    const ambiguous = [
      version('ranker-b', { status: 'live', statusChangedAt: promotedAt }),
      version('ranker-a', { status: 'retired', statusChangedAt: '2025-01-05T00:00:00Z' }),
    ];
    expect(describeRollback(ambiguous)).toEqual({ key: 'confirm.rollbackUnknown', values: { current: 'ranker-b' } });
    expect(describeRollback([version('x')])).toEqual({ key: 'confirm.rollbackNoLive', values: {} });
  });
});
