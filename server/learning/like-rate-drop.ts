// The rollback watch's statistic: did the like rate fall after a promotion? A one-sided two-proportion
// z-test (pooled standard error) of "the new model's like rate is lower than the previous model's",
// plus a minimum relative drop, so a tiny but significant dip on a huge sample does not roll back.

export interface LikeRateSample {
  impressions: number;
  likes: number;
}

export interface LikeRateDropSettings {
  /** Impressions each side needs before a verdict. */
  minImpressions: number;
  /** Relative drop (0.1 = 10 %) beyond which a significant drop rolls back. */
  maxDrop: number;
  /** One-sided significance level. */
  alpha: number;
}

export type LikeRateDropVerdict = 'too_few' | 'dropped' | 'held';

export interface LikeRateDrop {
  verdict: LikeRateDropVerdict;
  before: number;
  after: number;
  /** (after − before) / before; 0 when before is 0. */
  relativeChange: number;
  z: number;
  /** P(Z ≤ z) under "no change": small when the new rate is clearly lower. */
  pValue: number;
}

export function likeRateDrop(
  previous: LikeRateSample,
  current: LikeRateSample,
  settings: LikeRateDropSettings,
): LikeRateDrop {
  const before = rate(previous);
  const after = rate(current);
  const relativeChange = before > 0 ? (after - before) / before : 0;
  const pooled = (previous.likes + current.likes) / Math.max(1, previous.impressions + current.impressions);
  const se = Math.sqrt(
    pooled * (1 - pooled) * (1 / Math.max(1, previous.impressions) + 1 / Math.max(1, current.impressions)),
  );
  const z = se > 0 ? (after - before) / se : 0;
  const pValue = normalCdf(z);
  const enough = previous.impressions >= settings.minImpressions && current.impressions >= settings.minImpressions;
  const verdict: LikeRateDropVerdict = !enough
    ? 'too_few'
    : -relativeChange > settings.maxDrop && pValue < settings.alpha
      ? 'dropped'
      : 'held';
  return { verdict, before, after, relativeChange, z, pValue };
}

function rate(sample: LikeRateSample): number {
  return sample.impressions > 0 ? sample.likes / sample.impressions : 0;
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 on erf, error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
