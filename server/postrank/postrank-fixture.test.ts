// The three post-rank stages together on a deterministic 100-candidate fixture built to stress them:
// the top of the ranked list is 70 % one gender, sits mostly in one tight taste cluster, and includes
// members scored above the harassment threshold. Safety → diversity (select 60, θ 0.7) → parity
// (limit 20, band 0.1) must leave nobody above 0.8, every gender within the band, and a slate
// measurably less redundant than the top 20 by score.
import { describe, expect, it } from 'vitest';
import type { Gender } from '../config/config.js';
import { seededUniform as mulberry32 } from '../lib/seeded-random.js';
import { diversityStage } from './dpp.js';
import { parityStage } from './parity.js';
import type { ParityParams, PostRankCandidate } from './postrank-types.js';
import { safetyStage } from './safety.js';

const DIMENSIONS = 32;
const CLUSTERS = 6;

function unit(vector: number[]): number[] {
  const norm = Math.hypot(...vector);
  return vector.map((v) => v / norm);
}

function buildFixture(): PostRankCandidate[] {
  const random = mulberry32(20180611);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: CLUSTERS }, () => unit(Array.from({ length: DIMENSIONS }, gaussian)));
  return Array.from({ length: 100 }, (_, rank) => {
    // The top 40 are 70 % men and 80 % cluster 0; below, 30 % men, 60 % women, 10 % nonbinary, mixed tastes.
    const top = rank < 40;
    const decile = rank % 10;
    const gender: Gender = top
      ? decile < 7
        ? 'man'
        : 'woman'
      : decile < 3
        ? 'man'
        : decile < 9
          ? 'woman'
          : 'nonbinary';
    const cluster = top ? (random() < 0.8 ? 0 : 1 + Math.floor(random() * 3)) : Math.floor(random() * CLUSTERS);
    // Tight clusters: the noise is small against the unit centre.
    const taste = unit(centres[cluster]!.map((c) => c + 0.03 * gaussian()));
    const roll = random();
    const harassmentScore = roll < 0.1 ? 0.8 + 0.2 * random() + 1e-6 : roll < 0.2 ? null : 0.6 * random();
    return {
      userId: `c${String(rank).padStart(3, '0')}`,
      score: 3 - rank * 0.03 + 0.01 * random(),
      gender,
      taste: Float32Array.from(taste),
      harassmentScore: rank === 0 || rank === 2 ? 0.93 : harassmentScore,
    };
  });
}

function meanPairwiseCosine(list: readonly PostRankCandidate[]): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i]!.taste!;
      const b = list[j]!.taste!;
      let dot = 0;
      for (let t = 0; t < a.length; t++) dot += a[t]! * b[t]!;
      sum += dot / Math.sqrt(a.reduce((s, v) => s + v * v, 0) * b.reduce((s, v) => s + v * v, 0));
      pairs += 1;
    }
  }
  return sum / pairs;
}

function share(list: readonly PostRankCandidate[], gender: Gender): number {
  return list.filter((c) => c.gender === gender).length / list.length;
}

describe('post-rank stages on the 100-candidate fixture', () => {
  const fixture = buildFixture();

  it('is built as intended: skewed, redundant at the top, with unsafe members near the top', () => {
    const top20 = fixture.slice(0, 20);
    expect(share(top20, 'man')).toBe(0.7);
    // 13 members above 0.8, four of them in the top 20 (c000, c002, c003, c019); 6 unscored.
    expect(top20.filter((c) => (c.harassmentScore ?? 0) > 0.8).map((c) => c.userId)).toEqual([
      'c000',
      'c002',
      'c003',
      'c019',
    ]);
    expect(fixture.filter((c) => (c.harassmentScore ?? 0) > 0.8)).toHaveLength(13);
    expect(fixture.filter((c) => c.harassmentScore === null)).toHaveLength(6);
    expect(top20.filter((c) => (c.harassmentScore ?? 0) > 0.8).length).toBeGreaterThanOrEqual(2);
    expect(fixture.filter((c) => c.harassmentScore === null).length).toBeGreaterThan(0);
  });

  // Measured mean pairwise cosine: the top 20 by score (after safety) 0.465; the slate 0.146 with pool
  // targets and 0.110 with 50/50. The greedy stops at 33 selections: S has rank ≤ 32 + 1 here.
  it.each<[string, ParityParams['target'], number]>([
    ['pool shares', 'pool', 0.146],
    ['a 50/50 target', { woman: 0.5, man: 0.5 }, 0.11],
  ])('passes safety, diversity and parity with %s', (_label, target, measured) => {
    const safety = safetyStage(fixture, { maxHarassment: 0.8, unscored: 'keep' });
    const diversity = diversityStage(safety.kept, { tradeoff: 0.7, select: 60 });
    const parity = parityStage(diversity.ordered, { limit: 20, band: 0.1, target });
    const slate = parity.slate;

    expect(slate).toHaveLength(20);
    // Nobody above 0.8 survives; the unscored are kept and marked.
    expect(slate.filter((c) => c.harassmentScore !== null && c.harassmentScore > 0.8)).toEqual([]);
    expect(safety.removed.map((r) => r.userId)).toContain('c000');
    expect(safety.unscored.length).toBeGreaterThan(0);

    // Every constrained gender within ±0.1 of its target, and no shortfall reported.
    for (const [gender, targetShare] of Object.entries(parity.targetShares)) {
      expect(Math.abs(share(slate, gender as Gender) - targetShare)).toBeLessThanOrEqual(0.1 + 1e-9);
    }
    expect(parity.shortfall).toEqual([]);
    expect(diversity.kernelRowsComputed).toBeLessThanOrEqual(60);

    const diverse = meanPairwiseCosine(slate);
    const topN = meanPairwiseCosine(safety.kept.slice(0, 20));
    expect(topN).toBeCloseTo(0.465, 3);
    expect(diverse).toBeCloseTo(measured, 3);
    expect(diverse).toBeLessThan(topN - 0.3);
    expect(diversity.selected).toBe(33);
  });
});
