import { describe, expect, it } from 'vitest';
import { likeRateDrop, normalCdf } from './like-rate-drop.js';

const SETTINGS = { minImpressions: 100, maxDrop: 0.1, alpha: 0.05 };

describe('likeRateDrop', () => {
  it('normalCdf matches the standard normal table', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(-1.6449)).toBeCloseTo(0.05, 4);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 4);
    expect(normalCdf(-3)).toBeCloseTo(0.00135, 5);
  });

  it('a large, significant drop is a drop (z and p as computed by hand)', () => {
    // 30 % → 20 % on 1000 impressions each: pooled 0.25, se = sqrt(0.25·0.75·2/1000) = 0.019365, z = −5.164.
    const result = likeRateDrop({ impressions: 1000, likes: 300 }, { impressions: 1000, likes: 200 }, SETTINGS);
    expect(result.verdict).toBe('dropped');
    expect(result.z).toBeCloseTo(-5.164, 3);
    expect(result.relativeChange).toBeCloseTo(-1 / 3, 6);
    expect(result.pValue).toBeLessThan(1e-6);
  });

  it('a drop beyond the limit that is not significant holds', () => {
    // 30 % → 25 % on 100 each: z ≈ −0.79, p ≈ 0.21.
    const result = likeRateDrop({ impressions: 100, likes: 30 }, { impressions: 100, likes: 25 }, SETTINGS);
    expect(result.verdict).toBe('held');
    expect(result.pValue).toBeGreaterThan(0.05);
  });

  it('a significant drop smaller than the limit holds', () => {
    // 30 % → 28.5 % (5 % relative) on 200 000 each is significant but under the 10 % limit.
    const result = likeRateDrop(
      { impressions: 200_000, likes: 60_000 },
      { impressions: 200_000, likes: 57_000 },
      SETTINGS,
    );
    expect(result.pValue).toBeLessThan(0.05);
    expect(result.verdict).toBe('held');
  });

  it('a rise holds, and too few impressions on either side gives no verdict', () => {
    expect(likeRateDrop({ impressions: 500, likes: 50 }, { impressions: 500, likes: 150 }, SETTINGS).verdict).toBe(
      'held',
    );
    expect(likeRateDrop({ impressions: 99, likes: 90 }, { impressions: 1000, likes: 0 }, SETTINGS).verdict).toBe(
      'too_few',
    );
    expect(likeRateDrop({ impressions: 1000, likes: 900 }, { impressions: 99, likes: 0 }, SETTINGS).verdict).toBe(
      'too_few',
    );
  });

  it('no likes on either side is no drop (no division by zero)', () => {
    const result = likeRateDrop({ impressions: 200, likes: 0 }, { impressions: 200, likes: 0 }, SETTINGS);
    expect(result).toMatchObject({ verdict: 'held', z: 0, relativeChange: 0 });
  });
});
