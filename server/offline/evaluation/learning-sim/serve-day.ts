// One simulated day of one population: the day's active viewers each fetch a slate from the real engine as
// themselves (GET /api/v2/discovery/slate), go through it with the click model and swipe through the real
// feedback API (POST /api/v2/discovery/feedback, with the slate id, so the engine logs the labelled
// impression; a like answered by a like is a match). The oracle population asks for a longer slate and
// shows the viewer its SHOWN_SLATE members with the highest true like probability, best first: retrieval,
// safety, diversity and parity still decide who may be shown, only the choice and order use the truth.
import type { FeedbackResult } from '../../../../shared/schemas/feedback.js';
import type { SlateResponse } from '../../../../shared/schemas/slate.js';
import { examineProbability, keyedUniform, swipesFor } from './click-model.js';
import type { SimApp } from './sim-app.js';
import type { World } from './world.js';

/** Cards a viewer is shown per session. */
export const SHOWN_SLATE = 20;
/** The oracle's pool: the engine's post-ranked slate of this many, which the oracle re-chooses from. */
export const ORACLE_POOL = 100;

export type ServingPolicy = 'engine' | 'oracle';

export interface DayTally {
  slates: number;
  impressions: number;
  examined: number;
  likes: number;
  matches: number;
  /** Σ over shown cards of examine(k)·P(like): the like count the click model expects, free of draw noise. */
  expectedLikes: number;
  /** Σ over shown cards of examine(k): the examined count the click model expects. */
  expectedExamined: number;
  /** Impressions per model that ordered the slate (`none` when the re-ranker was bypassed). */
  impressionsByModel: Record<string, number>;
  /** Impressions per experiment arm of the slate (control, shadow, treatment). */
  impressionsByArm: Record<string, number>;
}

export function emptyTally(): DayTally {
  return {
    slates: 0,
    impressions: 0,
    examined: 0,
    likes: 0,
    matches: 0,
    expectedLikes: 0,
    expectedExamined: 0,
    impressionsByModel: {},
    impressionsByArm: {},
  };
}

/** The day's active viewers, in the order they come online; the same for every population. */
export function activeViewers(seed: number, day: number, memberIds: readonly string[], count: number): string[] {
  return memberIds
    .map((id) => ({ id, roll: keyedUniform(seed, 'active', day, id) }))
    .sort((a, b) => a.roll - b.roll)
    .slice(0, Math.min(count, memberIds.length))
    .map(({ id }) => id);
}

/** Serves one viewer's session and adds its outcome to `tally`. */
export async function serveSession(
  sim: SimApp,
  world: World,
  policy: ServingPolicy,
  seed: number,
  day: number,
  viewerId: string,
  tally: DayTally,
): Promise<void> {
  const limit = policy === 'oracle' ? ORACLE_POOL : SHOWN_SLATE;
  const slate = await sim.call<SlateResponse>('member', viewerId, {
    method: 'GET',
    url: `/api/v2/discovery/slate?limit=${limit}`,
  });
  const served = [...slate.slate].sort((a, b) => a.position - b.position).map((entry) => entry.userId);
  const probability = (candidateId: string) => world.likeProbability(viewerId, candidateId);
  const shown =
    policy === 'oracle'
      ? served
          .map((id) => ({ id, p: probability(id) }))
          .sort((a, b) => b.p - a.p)
          .slice(0, SHOWN_SLATE)
          .map(({ id }) => id)
      : served;
  if (shown.length === 0) return;
  tally.slates++;
  tally.impressions += shown.length;
  const model = slate.model ?? 'none';
  tally.impressionsByModel[model] = (tally.impressionsByModel[model] ?? 0) + shown.length;
  tally.impressionsByArm[slate.arm] = (tally.impressionsByArm[slate.arm] ?? 0) + shown.length;
  shown.forEach((candidateId, index) => {
    const examine = examineProbability(index + 1);
    tally.expectedExamined += examine;
    tally.expectedLikes += examine * probability(candidateId);
  });
  for (const swipe of swipesFor(seed, day, viewerId, shown, probability)) {
    const result = await sim.call<FeedbackResult>('member', viewerId, {
      method: 'POST',
      url: '/api/v2/discovery/feedback',
      payload: { targetId: swipe.targetId, action: swipe.action, slateId: slate.slateId },
    });
    tally.examined++;
    if (swipe.action === 'like') tally.likes++;
    if (result.match) tally.matches++;
  }
}
