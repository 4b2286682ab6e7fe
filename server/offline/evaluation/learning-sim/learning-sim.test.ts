// The learning simulation's parts: the click model and the hidden world are deterministic and mean what
// they say, and the summary computes the targets. The run through the real engine is
// test/process/eval-learning.test.ts.
import { describe, expect, it } from 'vitest';
import { examineProbability, keyedUniform, swipesFor } from './click-model.js';
import { simMembers } from './population.js';
import { describeDecision, summarise, type DayRecord, type PopulationRecord } from './sim-report.js';
import { emptyTally } from './serve-day.js';
import { World } from './world.js';

const TODAY = new Date('2026-06-01T00:00:00Z');

describe('click model', () => {
  it('examines the top more than the bottom', () => {
    expect(examineProbability(1)).toBeGreaterThan(examineProbability(5));
    expect(examineProbability(5)).toBeGreaterThan(examineProbability(20));
    expect(examineProbability(1)).toBeLessThanOrEqual(1);
  });

  it('draws the same coin for the same keys and different coins for different keys', () => {
    expect(keyedUniform(1, 'like', 3, 'a', 'b')).toBe(keyedUniform(1, 'like', 3, 'a', 'b'));
    expect(keyedUniform(1, 'like', 3, 'a', 'b')).not.toBe(keyedUniform(1, 'like', 4, 'a', 'b'));
    const shown = Array.from({ length: 20 }, (_, index) => `c${index}`);
    const first = swipesFor(7, 2, 'viewer', shown, () => 0.5);
    expect(swipesFor(7, 2, 'viewer', shown, () => 0.5)).toEqual(first);
    expect(swipesFor(7, 2, 'viewer', shown, () => 1).every((swipe) => swipe.action === 'like')).toBe(true);
    expect(swipesFor(7, 2, 'viewer', shown, () => 0).every((swipe) => swipe.action === 'pass')).toBe(true);
  });
});

describe('world', () => {
  const members = simMembers(60, 3, TODAY);

  it('gives the same probabilities for a seed, and other ones for another seed', () => {
    const [viewer, candidate] = [members[0]!.id, members[1]!.id];
    const p = new World(members, 3).likeProbability(viewer, candidate);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
    expect(new World(members, 3).likeProbability(viewer, candidate)).toBe(p);
    expect(new World(members, 4).likeProbability(viewer, candidate)).not.toBe(p);
  });

  it('changes its preferences when a weight is scaled (the rollback scenario)', () => {
    const world = new World(members, 3);
    const before = members.slice(1).map((member) => world.likeProbability(members[0]!.id, member.id));
    world.scaleWeight('appeal', -1);
    const after = members.slice(1).map((member) => world.likeProbability(members[0]!.id, member.id));
    expect(after).not.toEqual(before);
  });
});

describe('summary', () => {
  const day = (likeRate: number, impressionsByModel: Record<string, number> = {}): DayRecord => ({
    ...emptyTally(),
    impressions: 100,
    impressionsByModel,
    impressionsByArm: { treatment: 10 },
    day: 1,
    likeRate,
    expectedLikeRate: likeRate,
    liveModel: 'm1',
    decisions: [],
  });
  const population = (kind: PopulationRecord['kind'], days: DayRecord[], badModel: string | null = null) => ({
    kind,
    firstModel: 'm1',
    firstModelSha256: 'x',
    bootstrap: emptyTally(),
    days,
    badModel,
    seconds: 1,
  });

  it('computes the ratio, the gap closed and the bad model’s largest share', () => {
    const summary = summarise([
      population('learner', [day(0.3), day(0.36)]),
      population('frozen', [day(0.3), day(0.3)]),
      population('oracle', [day(0.4), day(0.42)]),
      population('bad-model', [day(0.3, { bad: 5 }), { ...day(0.3, { bad: 10 }), day: 9 }], 'bad'),
    ]);
    expect(summary.learnerOverFrozen).toBeCloseTo(1.2);
    expect(summary.gapClosed).toBeCloseTo(0.5);
    expect(summary.oracleOverFrozen).toBeCloseTo(1.4);
    expect(summary.badModelMaxShare).toBeCloseTo(0.1);
    expect(summary.badModelDayTreatmentShare).toBeCloseTo(0.1);
    // A scenario population's days do not move the compared populations' last day.
    expect(summary.lastDay).toBe(1);
  });

  it('prints decisions with short model ids, every failed condition of a refusal, the first clause otherwise', () => {
    const id = 'ranker-20261203-2054-3fa2c1';
    expect(describeDecision({ kind: 'refused', modelId: id, reason: 'NDCG low; lift low' }, 'm1')).toBe(
      'refused 3fa2c1: NDCG low; lift low',
    );
    expect(describeDecision({ kind: 'promoted', modelId: id, reason: 'NDCG up; lift up' }, 'm1')).toBe(
      'promoted 3fa2c1: NDCG up',
    );
    expect(describeDecision({ kind: 'shadowed', modelId: 'm1', reason: 'scored beside' }, 'm1')).toBe('shadowed first');
  });
});
