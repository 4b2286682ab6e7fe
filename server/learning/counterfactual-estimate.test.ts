// The estimator on synthetic position-biased data whose truth is known: likes drawn with probability
// rel·θ(position), a live order worse than the shadow's, and the shadow's true like rate computed from
// the hidden relevances. The estimate must tell which order is better, cover the truth, and stay
// conservative when the shadow would have shown members nobody saw.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../lib/seeded-random.js';
import {
  estimateCounterfactual,
  examination,
  topAgreement,
  DEFAULT_ESTIMATE_OPTIONS,
  type SlateOutcomes,
} from './counterfactual-estimate.js';

const SLATE_SIZE = 10;

interface Synthetic {
  slates: SlateOutcomes[];
  /** Expected like rate of the shadow slates under the true click model. */
  shadowTruth: number;
  liveTruth: number;
}

/** Each slate: 10 members with hidden relevance; live serves them in a noisy order, shadow by relevance. */
function syntheticSlates(count: number, seed: number, unseenInShadow = 0): Synthetic {
  const random = seededRandom(seed);
  const slates: SlateOutcomes[] = [];
  let shadowExpected = 0;
  let liveExpected = 0;
  for (let s = 0; s < count; s++) {
    const members = Array.from({ length: SLATE_SIZE }, (_, i) => ({ id: `s${s}-m${i}`, rel: random.next() * 0.6 }));
    // The live model sees relevance through heavy noise; the shadow model sees it exactly.
    const live = [...members].sort((a, b) => b.rel + random.normal() * 0.4 - (a.rel + random.normal() * 0.4));
    const shadow = [...members].sort((a, b) => b.rel - a.rel);
    // Optionally the shadow's slate holds members the live model never served (relevance 0.5 each).
    const shadowSlate = shadow.map((member) => member.id);
    for (let u = 0; u < unseenInShadow; u++) {
      shadowSlate[SLATE_SIZE - 1 - u] = `s${s}-unseen${u}`;
      shadowExpected += 0.5 * examination(SLATE_SIZE - 1 - u);
    }
    shadow
      .slice(0, SLATE_SIZE - unseenInShadow)
      .forEach((member, q) => (shadowExpected += member.rel * examination(q)));
    const served = live.map((member, p) => {
      liveExpected += member.rel * examination(p);
      const liked = random.next() < member.rel * examination(p);
      return { candidateId: member.id, liked, matched: liked && random.next() < 0.3 };
    });
    slates.push({ served, shadowSlate });
  }
  const impressions = count * SLATE_SIZE;
  return { slates, shadowTruth: shadowExpected / impressions, liveTruth: liveExpected / impressions };
}

describe('position-based IPS', () => {
  it('tells the better order apart and its interval covers the true like rate', () => {
    const { slates, shadowTruth, liveTruth } = syntheticSlates(3000, 41);
    const estimate = estimateCounterfactual(slates);
    expect(shadowTruth).toBeGreaterThan(liveTruth * 1.1);
    expect(estimate.live.impressions).toBe(30000);
    expect(estimate.live.like.lower).toBeLessThanOrEqual(liveTruth);
    expect(estimate.live.like.upper).toBeGreaterThanOrEqual(liveTruth);
    expect(estimate.shadow.like.lower).toBeLessThanOrEqual(shadowTruth);
    expect(estimate.shadow.like.upper).toBeGreaterThanOrEqual(shadowTruth);
    // The whole lift interval is above 0: the estimator is sure the shadow order is better.
    expect(estimate.lift.lower).toBeGreaterThan(0);
    expect(estimate.lift.value).toBeCloseTo(estimate.shadow.like.value / estimate.live.like.value - 1, 10);
  });

  it('says an order is worse when it is: the live slate reversed puts the likeliest members last', () => {
    const { slates } = syntheticSlates(3000, 42);
    const reversed = slates.map(({ served }) => ({
      served,
      shadowSlate: [...served].reverse().map((impression) => impression.candidateId),
    }));
    const estimate = estimateCounterfactual(reversed);
    expect(estimate.lift.upper).toBeLessThan(0);
    expect(estimate.lift.value).toBeLessThan(estimateCounterfactual(slates).lift.value);
  });

  it('counts members the live model never showed as 0: a conservative bias, below the truth', () => {
    const { slates, shadowTruth } = syntheticSlates(3000, 43, 3);
    const estimate = estimateCounterfactual(slates);
    expect(estimate.shadow.like.upper).toBeLessThan(shadowTruth);
  });

  it('clips the propensity ratio', () => {
    const slate: SlateOutcomes = {
      served: Array.from({ length: 50 }, (_, i) => ({ candidateId: `m${i}`, liked: i === 49, matched: false })),
      shadowSlate: ['m49'],
    };
    const clipped = estimateCounterfactual([slate], { ...DEFAULT_ESTIMATE_OPTIONS, maxWeight: 2 });
    expect(clipped.shadow.like.value).toBe(2);
    const unclipped = estimateCounterfactual([slate], { ...DEFAULT_ESTIMATE_OPTIONS, maxWeight: 100 });
    expect(unclipped.shadow.like.value).toBeCloseTo(examination(0) / examination(49), 10);
  });

  it('is reproducible for a seed and gives point intervals without data', () => {
    const { slates } = syntheticSlates(200, 44);
    expect(estimateCounterfactual(slates)).toEqual(estimateCounterfactual(slates));
    const empty = estimateCounterfactual([]);
    expect(empty.live).toEqual({ impressions: 0, like: { value: 0, lower: 0, upper: 0 }, matchRate: 0 });
    expect(empty.lift).toEqual({ value: 0, lower: 0, upper: 0 });
  });
});

describe('top agreement', () => {
  const outcome = (candidateId: string, liked = false, matched = false) => ({ candidateId, liked, matched });

  it('counts the top-k impressions of slates whose first k members agree in order', () => {
    const slates: SlateOutcomes[] = [
      {
        served: [outcome('a', true, true), outcome('b'), outcome('c', true), outcome('d')],
        shadowSlate: ['a', 'b', 'c', 'x'],
      },
      { served: [outcome('a', true), outcome('b'), outcome('c')], shadowSlate: ['b', 'a', 'c'] },
      { served: [outcome('e', true)], shadowSlate: ['e', 'f'] },
    ];
    expect(topAgreement(slates, 3)).toEqual({ k: 3, slates: 2, impressions: 4, likeRate: 3 / 4, matchRate: 1 / 4 });
  });
});
