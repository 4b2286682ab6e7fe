// How a simulated viewer goes through a slate: a position-based model (the viewer examines position k with
// probability EXAMINE_TOP · k^-DECAY, whatever is shown there) and, for an examined card, a like drawn from
// the world's true probability. Every draw comes from a hash of its own keys (seed, day, viewer, position or
// candidate) rather than from one running stream, so the three populations see the same coin for the same
// situation ("common random numbers"): differences between them come from the slates, not from luck.
import { seededUniform } from '../../../lib/seeded-random.js';

const EXAMINE_TOP = 0.95;
const EXAMINE_DECAY = 0.6;

/** Probability that the card at 1-based `position` is looked at and swiped. */
export function examineProbability(position: number): number {
  return EXAMINE_TOP * position ** -EXAMINE_DECAY;
}

/** A uniform [0, 1) number determined by the keys alone (FNV-1a of the keys seeds the project's PRNG). */
export function keyedUniform(...keys: ReadonlyArray<string | number>): number {
  let hash = 0x811c9dc5;
  for (const char of keys.join('\u0000')) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return seededUniform(hash)();
}

export interface SwipeDecision {
  targetId: string;
  position: number;
  action: 'like' | 'pass';
}

/** What the viewer does with a slate (its members in display order) on a given day. */
export function swipesFor(
  seed: number,
  day: number,
  viewerId: string,
  shown: readonly string[],
  likeProbability: (candidateId: string) => number,
): SwipeDecision[] {
  const decisions: SwipeDecision[] = [];
  shown.forEach((targetId, index) => {
    const position = index + 1;
    if (keyedUniform(seed, 'examine', day, viewerId, position) >= examineProbability(position)) return;
    const like = keyedUniform(seed, 'like', day, viewerId, targetId) < likeProbability(targetId);
    decisions.push({ targetId, position, action: like ? 'like' : 'pass' });
  });
  return decisions;
}
