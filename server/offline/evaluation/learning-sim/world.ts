// The simulated world's hidden truth: each member's private taste (a point in a small latent space), their
// appeal to others and their choosiness, and from these the probability that a viewer likes a candidate.
// The engine never sees this: it sees profiles, favorites drawn from the hidden taste, and swipes drawn
// from the probability. A ranker can learn most of it from pair features (hobbies, favorites, distance,
// age, candidate like rate), so learning is possible; the first model, trained on little data, is far from it.
import type { DemoMember } from '../../demo/demo-population.js';
import { distanceKm } from '../../../lib/great-circle.js';
import { seededRandom } from '../../../lib/seeded-random.js';
import { jaccard } from '../retrieval-eval.js';

const LATENT_DIMS = 6;
/** How far a member's taste strays from the mean of their hobbies' directions (latent units). */
const PERSONAL_TASTE = 0.8;
const DAY_MS = 86_400_000;

/** The weights of the true like logit, per observable pair fact; `scaleWeight` changes them. */
export interface PreferenceWeights {
  intercept: number;
  hobbies: number;
  taste: number;
  /** Per 100 km. */
  distance: number;
  /** Per year of age difference. */
  ageGap: number;
  /** The candidate's hidden appeal (standard normal). */
  appeal: number;
  /** The viewer's hidden readiness to like (standard normal). */
  eagerness: number;
}

export const DEFAULT_WEIGHTS: Readonly<PreferenceWeights> = Object.freeze({
  intercept: -0.4,
  hobbies: 4,
  taste: 2.2,
  distance: -0.9,
  ageGap: -0.12,
  appeal: 1.1,
  eagerness: 0.4,
});

export type PreferenceTerm = Exclude<keyof PreferenceWeights, 'intercept'>;

interface HiddenTraits {
  taste: Float64Array;
  appeal: number;
  eagerness: number;
  ageYears: number;
  hobbies: ReadonlySet<string>;
  lat: number;
  lon: number;
}

export class World {
  private readonly traits = new Map<string, HiddenTraits>();
  private weights: PreferenceWeights = { ...DEFAULT_WEIGHTS };

  constructor(members: readonly DemoMember[], seed: number) {
    const random = seededRandom(seed ^ 0x7a57e);
    const hobbyDirections = new Map<string, Float64Array>();
    const directionOf = (hobby: string) => {
      let direction = hobbyDirections.get(hobby);
      if (!direction) hobbyDirections.set(hobby, (direction = unitVector(() => random.normal(), LATENT_DIMS)));
      return direction;
    };
    for (const member of members) {
      // Taste leans towards the member's hobbies (as real taste does) but is mostly personal, so the
      // hobby overlap and the favorites-based taste vector each reveal part of it.
      const taste = Float64Array.from({ length: LATENT_DIMS }, () => PERSONAL_TASTE * random.normal());
      for (const hobby of member.hobbies) {
        const direction = directionOf(hobby);
        for (let d = 0; d < LATENT_DIMS; d++) taste[d]! += direction[d]! / member.hobbies.length;
      }
      this.traits.set(member.id, {
        taste: normalised(taste),
        appeal: random.normal(),
        eagerness: random.normal(),
        ageYears: Date.parse(member.birthday) / (365.2425 * DAY_MS),
        hobbies: new Set(member.hobbies),
        lat: member.lat,
        lon: member.lon,
      });
    }
  }

  /** The member's hidden taste direction (unit length): favorites are drawn from it. */
  tasteOf(memberId: string): Float64Array {
    return this.traitsOf(memberId).taste;
  }

  /** The weights in force (a copy). */
  currentWeights(): PreferenceWeights {
    return { ...this.weights };
  }

  /** Changes how much one pair fact matters from now on: the "world turns" scenario of the rollback check. */
  scaleWeight(term: PreferenceTerm, factor: number): void {
    this.weights = { ...this.weights, [term]: this.weights[term] * factor };
  }

  /** P(viewer likes candidate): the oracle's score. */
  likeProbability(viewerId: string, candidateId: string): number {
    const viewer = this.traitsOf(viewerId);
    const candidate = this.traitsOf(candidateId);
    const w = this.weights;
    const logit =
      w.intercept +
      w.hobbies * jaccard(viewer.hobbies, candidate.hobbies) +
      w.taste * dot(viewer.taste, candidate.taste) +
      w.distance * (distanceKm(viewer.lat, viewer.lon, candidate.lat, candidate.lon) / 100) +
      w.ageGap * Math.abs(viewer.ageYears - candidate.ageYears) +
      w.appeal * candidate.appeal +
      w.eagerness * viewer.eagerness;
    return 1 / (1 + Math.exp(-logit));
  }

  private traitsOf(memberId: string): HiddenTraits {
    const traits = this.traits.get(memberId);
    if (!traits) throw new Error(`learning-sim: ${memberId} is not a member of the simulated world`);
    return traits;
  }
}

export function unitVector(normal: () => number, dims: number): Float64Array {
  return normalised(Float64Array.from({ length: dims }, normal));
}

function normalised(vector: Float64Array): Float64Array {
  const norm = Math.sqrt(dot(vector, vector)) || 1;
  return vector.map((value) => value / norm);
}

export function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export const WORLD_LATENT_DIMS = LATENT_DIMS;
