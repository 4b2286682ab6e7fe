// The activity series: 48 UTC hours ending with the current one, zeros where nothing happened.
import { describe, expect, it } from 'vitest';
import { activityWindowStart, zeroFilledActivity } from './hourly-activity.js';

const now = new Date('2026-03-10T14:37:12.000Z');

describe('zeroFilledActivity', () => {
  it('returns 48 hours, oldest first, ending with the hour now is in, all zero without data', () => {
    const series = zeroFilledActivity([], [], now);
    expect(series).toHaveLength(48);
    expect(series[0]).toEqual({ hour: '2026-03-08T15:00:00.000Z', slates: 0, swipes: 0 });
    expect(series[47]).toEqual({ hour: '2026-03-10T14:00:00.000Z', slates: 0, swipes: 0 });
    expect(activityWindowStart(now).toISOString()).toBe('2026-03-08T15:00:00.000Z');
  });

  it('places counts in their hour and keeps the other hours at zero', () => {
    const series = zeroFilledActivity(
      [
        { hour: '2026-03-10T14:00:00.000Z', count: 3 },
        { hour: new Date('2026-03-09T02:00:00.000Z'), count: 1 },
      ],
      [{ hour: '2026-03-10T13:00:00+00:00', count: 7 }],
      now,
    );
    expect(series[47]).toEqual({ hour: '2026-03-10T14:00:00.000Z', slates: 3, swipes: 0 });
    expect(series[46]).toEqual({ hour: '2026-03-10T13:00:00.000Z', slates: 0, swipes: 7 });
    expect(series.find((entry) => entry.hour === '2026-03-09T02:00:00.000Z')?.slates).toBe(1);
    expect(series.reduce((sum, entry) => sum + entry.slates + entry.swipes, 0)).toBe(11);
  });

  it('ignores counts outside the window', () => {
    const series = zeroFilledActivity(
      [{ hour: '2026-03-08T14:00:00.000Z', count: 5 }],
      [{ hour: '2026-03-10T15:00:00.000Z', count: 2 }],
      now,
    );
    expect(series.every((entry) => entry.slates === 0 && entry.swipes === 0)).toBe(true);
  });

  it('honours a shorter window', () => {
    const series = zeroFilledActivity([{ hour: '2026-03-10T12:00:00.000Z', count: 2 }], [], now, 3);
    expect(series.map((entry) => [entry.hour.slice(11, 13), entry.slates])).toEqual([
      ['12', 2],
      ['13', 0],
      ['14', 0],
    ]);
  });
});
