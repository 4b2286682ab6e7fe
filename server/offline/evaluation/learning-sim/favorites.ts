// Favorites for the simulated members, drawn from their hidden taste: every curated work of the sample
// catalogue gets a fixed latent direction, and a member favorites works with probability growing with
// how well the work fits their taste. The engine builds taste vectors from these favorites, so its
// `taste_cosine` and `shared_favorites` features see the hidden taste through a noisy window.
import { CURATED_WORKS } from '../../catalogue/curated-works.js';
import { seededRandom } from '../../../lib/seeded-random.js';
import { dot, unitVector, WORLD_LATENT_DIMS } from './world.js';

const MIN_FAVORITES = 6;
const MAX_FAVORITES = 14;
/** Sharpness of the fit: higher means favorites follow the hidden taste more closely. */
const FIT_SHARPNESS = 4;

/** Media ids each member favorites, in member order; deterministic for a seed. */
export function favoritesFromTaste(
  members: ReadonlyArray<{ id: string; taste: Float64Array }>,
  seed: number,
): Map<string, string[]> {
  const random = seededRandom(seed ^ 0xfa7e);
  const works = CURATED_WORKS.map((work) => ({
    id: work.id,
    latent: unitVector(() => random.normal(), WORLD_LATENT_DIMS),
  }));
  const favorites = new Map<string, string[]>();
  for (const member of members) {
    const weights = works.map((work) => Math.exp(FIT_SHARPNESS * dot(member.taste, work.latent)));
    const count = MIN_FAVORITES + random.int(MAX_FAVORITES - MIN_FAVORITES + 1);
    const chosen = new Set<string>();
    // Weighted draws without replacement; the bound only guards against a pathological weight vector.
    for (let attempt = 0; chosen.size < count && attempt < count * 20; attempt++) {
      chosen.add(works[weightedIndex(weights, random.next())]!.id);
    }
    favorites.set(member.id, [...chosen]);
  }
  return favorites;
}

function weightedIndex(weights: readonly number[], roll: number): number {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let remaining = roll * total;
  for (let index = 0; index < weights.length; index++) {
    remaining -= weights[index]!;
    if (remaining < 0) return index;
  }
  return weights.length - 1;
}
