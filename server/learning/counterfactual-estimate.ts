// The shadow evaluation's maths, pure: from the outcomes of the slates the live model served and the
// slates the shadow model would have served on the same requests, estimate each model's like and match
// rate. Position-based inverse propensity scoring with a seeded bootstrap over slates for the intervals,
// and the top-agreement figures. docs/shadow-evaluation.md states the model, its assumptions and biases.
import { seededUniform } from '../lib/seeded-random.js';

/** One served impression's outcome: the viewer's first swipe after serving (no swipe: neither). */
export interface ImpressionOutcome {
  candidateId: string;
  liked: boolean;
  /** Liked and liked back. */
  matched: boolean;
}

/** One shadow-arm slate: what was served (position 0 first) and what the shadow would have served. */
export interface SlateOutcomes {
  served: readonly ImpressionOutcome[];
  shadowSlate: readonly string[];
}

export interface EstimateOptions {
  /** Cap on a propensity ratio θ(q)/θ(p), bounding the variance a far-down like can add. */
  maxWeight: number;
  /** Bootstrap resamples of the slates. */
  resamples: number;
  seed: number;
  /** Two-sided coverage of the intervals, e.g. 0.95. */
  confidence: number;
}

export const DEFAULT_ESTIMATE_OPTIONS: EstimateOptions = { maxWeight: 10, resamples: 400, seed: 14, confidence: 0.95 };

export interface Interval {
  value: number;
  lower: number;
  upper: number;
}

export interface ModelRates {
  impressions: number;
  like: Interval;
  matchRate: number;
}

export interface CounterfactualEstimate {
  method: string;
  live: ModelRates;
  shadow: ModelRates;
  /** shadow like rate / live like rate − 1 (0 while the live rate is 0). */
  lift: Interval;
}

export const IPS_METHOD =
  'position-based IPS over the shown members re-ordered by the shadow model, θ(p) = 1/log2(p+2), clipped weights, seeded bootstrap over slates';

/** The examination probability of position p (0-based) under the position-based click model. */
export function examination(position: number): number {
  return 1 / Math.log2(position + 2);
}

/** Per-slate sums; a rate is a ratio of sums over slates, so the bootstrap resamples these. */
interface SlateSums {
  liveImpressions: number;
  liveLikes: number;
  liveMatches: number;
  shadowImpressions: number;
  shadowLikes: number;
  shadowMatches: number;
}

/**
 * A like of candidate i observed at served position p has expectation rel_i·θ(p); the shadow would have
 * shown i at position q, where its expected like is rel_i·θ(q), so like_i·θ(q)/θ(p) estimates it without
 * bias. Members the shadow would have shown but the live model did not were never observed: they count 0.
 */
function slateSums({ served, shadowSlate }: SlateOutcomes, maxWeight: number): SlateSums {
  const servedAt = new Map(served.map((impression, position) => [impression.candidateId, position]));
  let shadowLikes = 0;
  let shadowMatches = 0;
  shadowSlate.forEach((candidateId, position) => {
    const seenAt = servedAt.get(candidateId);
    if (seenAt === undefined) return;
    const outcome = served[seenAt]!;
    const weight = Math.min(maxWeight, examination(position) / examination(seenAt));
    if (outcome.liked) shadowLikes += weight;
    if (outcome.matched) shadowMatches += weight;
  });
  return {
    liveImpressions: served.length,
    liveLikes: served.filter((impression) => impression.liked).length,
    liveMatches: served.filter((impression) => impression.matched).length,
    shadowImpressions: shadowSlate.length,
    shadowLikes,
    shadowMatches,
  };
}

interface Rates {
  live: number;
  shadow: number;
  lift: number;
}

function ratesOf(sums: readonly SlateSums[], pick: (index: number) => number = (index) => index): Rates {
  let liveN = 0;
  let liveLikes = 0;
  let shadowN = 0;
  let shadowLikes = 0;
  for (let i = 0; i < sums.length; i++) {
    const slate = sums[pick(i)]!;
    liveN += slate.liveImpressions;
    liveLikes += slate.liveLikes;
    shadowN += slate.shadowImpressions;
    shadowLikes += slate.shadowLikes;
  }
  const live = ratio(liveLikes, liveN);
  const shadow = ratio(shadowLikes, shadowN);
  return { live, shadow, lift: live > 0 ? shadow / live - 1 : 0 };
}

function ratio(numerator: number, denominator: number): number {
  return denominator > 0 ? numerator / denominator : 0;
}

/** The live model's observed rates and the shadow model's IPS estimate, with bootstrap intervals. */
export function estimateCounterfactual(
  slates: readonly SlateOutcomes[],
  options: EstimateOptions = DEFAULT_ESTIMATE_OPTIONS,
): CounterfactualEstimate {
  const sums = slates.map((slate) => slateSums(slate, options.maxWeight));
  const point = ratesOf(sums);
  const random = seededUniform(options.seed);
  const draws: Rates[] = [];
  if (sums.length > 0) {
    for (let b = 0; b < options.resamples; b++) draws.push(ratesOf(sums, () => Math.floor(random() * sums.length)));
  }
  const interval = (value: number, of: (rates: Rates) => number): Interval => {
    const [lower, upper] = percentileInterval(draws.map(of), options.confidence);
    return { value, lower: lower ?? value, upper: upper ?? value };
  };
  const total = (of: (slate: SlateSums) => number) => sums.reduce((sum, slate) => sum + of(slate), 0);
  const liveImpressions = total((slate) => slate.liveImpressions);
  const shadowImpressions = total((slate) => slate.shadowImpressions);
  return {
    method: IPS_METHOD,
    live: {
      impressions: liveImpressions,
      like: interval(point.live, (rates) => rates.live),
      matchRate: ratio(
        total((slate) => slate.liveMatches),
        liveImpressions,
      ),
    },
    shadow: {
      impressions: shadowImpressions,
      like: interval(point.shadow, (rates) => rates.shadow),
      matchRate: ratio(
        total((slate) => slate.shadowMatches),
        shadowImpressions,
      ),
    },
    lift: interval(point.lift, (rates) => rates.lift),
  };
}

/** The percentile interval of bootstrap draws; [undefined, undefined] without draws. */
function percentileInterval(values: number[], confidence: number): [number | undefined, number | undefined] {
  if (values.length === 0) return [undefined, undefined];
  const sorted = [...values].sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
  return [at(tail), at(1 - tail)];
}

export interface TopAgreement {
  k: number;
  slates: number;
  impressions: number;
  likeRate: number;
  matchRate: number;
}

/**
 * Slates whose served slate and shadow slate start with the same members in the same order for their
 * first min(k, served length) positions: there both models would have shown exactly the same top, so
 * the outcomes of those top impressions are observed for both. Their like and match rate.
 */
export function topAgreement(slates: readonly SlateOutcomes[], k: number): TopAgreement {
  let agreeing = 0;
  let impressions = 0;
  let likes = 0;
  let matches = 0;
  for (const { served, shadowSlate } of slates) {
    const top = served.slice(0, k);
    if (top.length === 0 || !top.every((impression, index) => shadowSlate[index] === impression.candidateId)) continue;
    agreeing++;
    impressions += top.length;
    likes += top.filter((impression) => impression.liked).length;
    matches += top.filter((impression) => impression.matched).length;
  }
  return {
    k,
    slates: agreeing,
    impressions,
    likeRate: ratio(likes, impressions),
    matchRate: ratio(matches, impressions),
  };
}
