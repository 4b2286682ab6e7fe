// The Learner section's data shaping on its own: interval and lift text in both languages, the figures a
// timeline entry shows, and merging timeline pages without repeats.
import { describe, expect, it } from 'vitest';
import type { LearnerDecision } from '../../../../shared/schemas/learning.js';
import {
  formatLift,
  formatLiftInterval,
  formatRateInterval,
  keyFigures,
  mergeDecisions,
  oldestDecisionId,
} from './learner-data.js';

function decision(id: number): LearnerDecision {
  return {
    id,
    kind: 'trained',
    modelId: null,
    liveModelId: null,
    reason: 'r',
    figures: {},
    actor: 'learner',
    createdAt: '2025-01-01T00:00:00.000Z',
  };
}

describe('learner data', () => {
  it('writes rates and lifts with their intervals', () => {
    expect(formatRateInterval(0.12, 0.105, 0.1349, 'en')).toBe('12.0% (10.5%–13.5%)');
    expect(formatLift(-0.035, 'en')).toBe('-3.5%');
    expect(formatLift(0, 'en')).toBe('0.0%');
    expect(formatLift(Number.NaN, 'en')).toBe('—');
    expect(formatLiftInterval(0.08, -0.01, 0.2, 'en')).toBe('+8.0% (-1.0% … +20.0%)');
    // Spanish puts a no-break space before the percent sign.
    expect(formatRateInterval(0.12, 0.1, 0.14, 'es').replace(/\u00a0/g, ' ')).toBe('12,0 % (10,0 %–14,0 %)');
  });

  it('shows at most the first scalar figures, rounded', () => {
    const figures = {
      lift: 0.123456789,
      impressions: 12000,
      gate: 'online',
      ok: true,
      bounds: [1, 2],
      a: 1,
      b: 2,
      c: 3,
    };
    expect(keyFigures(figures, 'en')).toEqual([
      { name: 'lift', value: '0.1235' },
      { name: 'impressions', value: '12,000' },
      { name: 'gate', value: 'online' },
      { name: 'ok', value: 'true' },
      { name: 'a', value: '1' },
      { name: 'b', value: '2' },
    ]);
  });

  it('merges pages newest first, each decision once', () => {
    const merged = mergeDecisions([decision(5), decision(4)], [decision(4), decision(3), decision(1)]);
    expect(merged.map((entry) => entry.id)).toEqual([5, 4, 3, 1]);
    expect(oldestDecisionId(merged)).toBe(1);
    expect(oldestDecisionId([])).toBeNull();
  });
});
