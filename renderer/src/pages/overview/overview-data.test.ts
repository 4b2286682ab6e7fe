// Unit tests of the Overview page's data shaping: formatting per language, the live model's headline
// metrics, the gap-free 48-hour activity series and the freshness text.
import { describe, expect, it } from 'vitest';
import {
  activitySeries,
  activitySummary,
  formatCount,
  formatMetric,
  formatPercent,
  liveModelHeadline,
  relativeAge,
  sortedQueues,
} from './overview-data.js';

describe('formatting', () => {
  it('writes percentages with one decimal in the viewer language', () => {
    expect(formatPercent(0.8734, 'en')).toBe('87.3%');
    expect(formatPercent(0.8734, 'es').replace(/\s/g, ' ')).toBe('87,3 %');
    expect(formatPercent(Number.NaN, 'en')).toBe('—');
  });

  it('groups thousands per language and prints metrics with four decimals or a dash', () => {
    expect(formatCount(12345, 'en')).toBe('12,345');
    expect(formatMetric(0.71234567, 'en')).toBe('0.7123');
    expect(formatMetric(0.71234567, 'es')).toBe('0,7123');
    expect(formatMetric(null, 'en')).toBe('—');
  });
});

describe('liveModelHeadline', () => {
  it('reads ndcg@10 and map, null for missing or non-numeric ones', () => {
    expect(
      liveModelHeadline({ id: 'r1', statusChangedAt: '2025-01-01T00:00:00Z', metrics: { 'ndcg@10': 0.7, map: 0.5 } }),
    ).toEqual({
      ndcg10: 0.7,
      map: 0.5,
    });
    expect(liveModelHeadline({ id: 'r1', statusChangedAt: '2025-01-01T00:00:00Z', metrics: { map: 'n/a' } })).toEqual({
      ndcg10: null,
      map: null,
    });
    expect(liveModelHeadline(null)).toBeNull();
  });
});

describe('activitySeries', () => {
  const now = new Date('2025-03-04T10:25:00Z');

  it('gives one point per hour for 48 hours ending with the current hour, zero where nothing happened', () => {
    const series = activitySeries(
      [
        { hour: '2025-03-04T10:00:00.000Z', slates: 3, swipes: 20 },
        { hour: '2025-03-04T07:00:00.000Z', slates: 1, swipes: 2 },
      ],
      { language: 'en', now, timeZone: 'UTC' },
    );
    expect(series).toHaveLength(48);
    expect(series[0]!.hour).toBe('2025-03-02T11:00:00.000Z');
    expect(series[47]).toMatchObject({ hour: '2025-03-04T10:00:00.000Z', slates: 3, swipes: 20 });
    expect(series[44]).toMatchObject({ hour: '2025-03-04T07:00:00.000Z', slates: 1, swipes: 2 });
    expect(series[45]).toMatchObject({ slates: 0, swipes: 0 });
  });

  it('labels hours in the viewer language and time zone', () => {
    const [english] = activitySeries([], { language: 'en', now, timeZone: 'UTC', span: 1 });
    const [spanish] = activitySeries([], { language: 'es', now, timeZone: 'UTC', span: 1 });
    const [madrid] = activitySeries([], { language: 'es', now, timeZone: 'Europe/Madrid', span: 1 });
    expect(english!.label).toMatch(/^Tue.*10$/);
    expect(spanish!.label).toMatch(/^mar.*10$/);
    expect(madrid!.label).toMatch(/11$/);
  });

  it('extends to a newer hour the server reported and ignores unreadable hours', () => {
    const series = activitySeries(
      [
        { hour: '2025-03-04T12:00:00.000Z', slates: 5, swipes: 0 },
        { hour: 'not a time', slates: 100, swipes: 100 },
      ],
      { language: 'en', now, span: 3 },
    );
    expect(series.map((point) => point.hour)).toEqual([
      '2025-03-04T10:00:00.000Z',
      '2025-03-04T11:00:00.000Z',
      '2025-03-04T12:00:00.000Z',
    ]);
    expect(activitySummary(series)).toMatchObject({
      slates: 5,
      swipes: 0,
      busiest: { hour: '2025-03-04T12:00:00.000Z' },
    });
  });

  it('has no busiest hour when nothing happened', () => {
    expect(activitySummary(activitySeries([], { language: 'en', now }))).toEqual({
      slates: 0,
      swipes: 0,
      busiest: null,
    });
  });
});

describe('relativeAge', () => {
  const now = new Date('2025-03-04T10:00:00Z');
  it('describes how long ago in the viewer language', () => {
    expect(relativeAge('2025-03-04T09:55:00Z', now, 'en')).toBe('5 minutes ago');
    expect(relativeAge('2025-03-04T07:00:00Z', now, 'es')).toBe('hace 3 horas');
    expect(relativeAge('2025-03-01T10:00:00Z', now, 'en')).toBe('3 days ago');
    expect(relativeAge(null, now, 'en')).toBeNull();
  });
});

describe('sortedQueues', () => {
  it('orders queues by name without touching the input', () => {
    const counts = { created: 0, retry: 0, active: 0, completed: 0, failed: 0, cancelled: 0 };
    const queues = [
      { name: 'taste', policy: 'standard', counts },
      { name: 'dwell', policy: 'singleton', counts },
    ];
    expect(sortedQueues(queues).map((queue) => queue.name)).toEqual(['dwell', 'taste']);
    expect(queues[0]!.name).toBe('taste');
  });
});
