// The parity stage: cuts the diversified list to the slate, keeping each gender's share within ±band of
// its target. Greedy and order-preserving: walk the list and take each candidate unless taking it would
// make the band impossible to meet in the final slate. When the pool itself cannot meet the band, the
// closest slate is returned (bounds relaxed only as far as the pool forces, the rest filled by order)
// and the gap is reported as a shortfall; this stage never fails a request.
//
// Shares are over the whole slate. Candidates without a gender count as 'unknown': they fill slots and
// are never constrained. With a fixed target, a gender the target does not name is not constrained
// either (a target cannot exclude people by omission); with target 'pool' every gender present is.
import { GENDERS, type Gender } from '../../shared/schemas/attributes.js';
import type { ParityOutcome, ParityParams, ParityShortfall, PostRankCandidate, Removal } from './postrank-types.js';

/** Shares like 0.6 × 20 land a hair above 12 in floating point; counts are rounded with this slack. */
const ROUNDING_SLACK = 1e-9;

interface Bounds {
  min: number;
  max: number;
}

export function parityStage(ordered: readonly PostRankCandidate[], params: ParityParams): ParityOutcome {
  const slateSize = Math.max(0, Math.min(Math.floor(params.limit), ordered.length));
  const targets = targetShares(ordered, params.target);
  const constrained = GENDERS.filter((g) => targets[g] !== undefined);

  const pool = countByGender(ordered);
  const bands = new Map<Gender, Bounds>();
  for (const gender of constrained) {
    const target = targets[gender]!;
    bands.set(gender, {
      min: clamp(Math.ceil((target - params.band) * slateSize - ROUNDING_SLACK), slateSize),
      max: clamp(Math.floor((target + params.band) * slateSize + ROUNDING_SLACK), slateSize),
    });
  }
  const bounds = relaxToPool(ordered, bands, pool, slateSize);

  const taken = new Map<Gender, number>();
  const remaining = new Map(pool);
  let freeRemaining = ordered.filter((c) => c.gender === null || !bounds.has(c.gender)).length;
  const slate: PostRankCandidate[] = [];
  const removed: Removal[] = [];

  for (const candidate of ordered) {
    if (slate.length === slateSize) break;
    const gender = candidate.gender;
    const limited = gender !== null && bounds.has(gender);
    if (limited) remaining.set(gender, (remaining.get(gender) ?? 0) - 1);
    else freeRemaining -= 1;

    const refusal = limited ? refuseOver(gender, taken, bounds, slateSize, targets[gender]! + params.band) : null;
    const feasible =
      refusal === null &&
      canComplete(
        bounds,
        limited ? addOne(taken, gender) : taken,
        remaining,
        freeRemaining,
        slateSize - slate.length - 1,
      );
    if (feasible) {
      slate.push(candidate);
      if (limited) taken.set(gender, (taken.get(gender) ?? 0) + 1);
      continue;
    }
    removed.push({
      userId: candidate.userId,
      stage: 'parity',
      reason: refusal ?? reserveReason(bounds, taken, slateSize - slate.length),
    });
  }

  const shares = sharesOf(slate);
  const shortfall: ParityShortfall[] = [];
  for (const gender of constrained) {
    const count = slate.filter((c) => c.gender === gender).length;
    const band = bands.get(gender)!;
    const missing = count < band.min ? band.min - count : count > band.max ? band.max - count : 0;
    if (missing !== 0) {
      shortfall.push({ gender, target: targets[gender]!, actual: shares[gender] ?? 0, missing });
    }
  }
  return { slate, removed, targetShares: targets, shares, shortfall };
}

/** Target share per constrained gender: the fixed targets, or the shares among the candidates given. */
function targetShares(
  ordered: readonly PostRankCandidate[],
  target: ParityParams['target'],
): Partial<Record<Gender, number>> {
  if (target !== 'pool') {
    return Object.fromEntries(GENDERS.filter((g) => target[g] !== undefined).map((g) => [g, target[g]!]));
  }
  if (ordered.length === 0) return {};
  const counts = countByGender(ordered);
  return Object.fromEntries([...counts].map(([g, n]) => [g, n / ordered.length]));
}

/**
 * Bounds the pool can meet: a minimum above what the pool holds drops to what it holds; minimums that
 * cannot all fit lose the slots rounding gave them; and when the capped genders plus the unconstrained
 * cannot fill the slate, the best-ranked candidates over their gender's cap get the spare slots.
 */
function relaxToPool(
  ordered: readonly PostRankCandidate[],
  bands: ReadonlyMap<Gender, Bounds>,
  pool: ReadonlyMap<Gender, number>,
  slateSize: number,
): Map<Gender, Bounds> {
  const bounds = new Map<Gender, Bounds>();
  for (const [gender, band] of bands) {
    // A band too narrow to hold a whole count (band 0 with a third of 10) keeps its cap.
    bounds.set(gender, { min: Math.min(band.min, band.max, pool.get(gender) ?? 0), max: band.max });
  }
  let minimums = [...bounds.values()].reduce((sum, b) => sum + b.min, 0);
  while (minimums > slateSize) {
    // Take a slot from the largest minimum (first in gender order on ties).
    const largest = [...bounds.values()].reduce((a, b) => (b.min > a.min ? b : a));
    largest.min -= 1;
    minimums -= 1;
  }
  const free = ordered.filter((c) => c.gender === null || !bounds.has(c.gender)).length;
  let capacity = free;
  for (const [gender, b] of bounds) capacity += Math.min(pool.get(gender) ?? 0, b.max);
  if (capacity < slateSize) {
    const seen = new Map<Gender, number>();
    for (const candidate of ordered) {
      if (capacity >= slateSize) break;
      const gender = candidate.gender;
      if (gender === null || !bounds.has(gender)) continue;
      const count = (seen.get(gender) ?? 0) + 1;
      seen.set(gender, count);
      const b = bounds.get(gender)!;
      if (count > b.max) {
        b.max = count;
        capacity += 1;
      }
    }
  }
  return bounds;
}

/** Why taking one more of `gender` breaks its cap, or null when it does not. */
function refuseOver(
  gender: Gender,
  taken: ReadonlyMap<Gender, number>,
  bounds: ReadonlyMap<Gender, Bounds>,
  slateSize: number,
  upperShare: number,
): string | null {
  const count = (taken.get(gender) ?? 0) + 1;
  if (count <= bounds.get(gender)!.max) return null;
  return `parity: ${gender} share ${(count / slateSize).toFixed(2)} would exceed ${Math.min(1, upperShare).toFixed(2)}`;
}

function reserveReason(bounds: ReadonlyMap<Gender, Bounds>, taken: ReadonlyMap<Gender, number>, open: number): string {
  const needs = [...bounds]
    .filter(([gender, b]) => (taken.get(gender) ?? 0) < b.min)
    .map(([gender, b]) => `${b.min - (taken.get(gender) ?? 0)} ${gender}`);
  return `parity: the ${open} open slot(s) are reserved for ${needs.join(', ')} to reach the band`;
}

/**
 * Whether `open` more slots can still be filled from what is left while every gender ends within its
 * bounds: the minimums must fit, each gender must have enough left for its minimum, and the capped
 * genders plus the unconstrained must hold enough candidates to fill every slot.
 */
function canComplete(
  bounds: ReadonlyMap<Gender, Bounds>,
  taken: ReadonlyMap<Gender, number>,
  remaining: ReadonlyMap<Gender, number>,
  freeRemaining: number,
  open: number,
): boolean {
  let needed = 0;
  let capacity = freeRemaining;
  for (const [gender, b] of bounds) {
    const count = taken.get(gender) ?? 0;
    const left = remaining.get(gender) ?? 0;
    if (count > b.max) return false;
    const need = Math.max(0, b.min - count);
    if (need > left) return false;
    needed += need;
    capacity += Math.min(left, b.max - count);
  }
  return needed <= open && capacity >= open;
}

function addOne(taken: ReadonlyMap<Gender, number>, gender: Gender): Map<Gender, number> {
  const next = new Map(taken);
  next.set(gender, (next.get(gender) ?? 0) + 1);
  return next;
}

function countByGender(candidates: readonly PostRankCandidate[]): Map<Gender, number> {
  const counts = new Map<Gender, number>();
  for (const gender of GENDERS) {
    const count = candidates.filter((c) => c.gender === gender).length;
    if (count > 0) counts.set(gender, count);
  }
  return counts;
}

function sharesOf(slate: readonly PostRankCandidate[]): Partial<Record<Gender, number>> {
  if (slate.length === 0) return {};
  return Object.fromEntries([...countByGender(slate)].map(([g, n]) => [g, n / slate.length]));
}

function clamp(value: number, max: number): number {
  return Math.max(0, Math.min(max, value));
}
