// Puts the simulated population into one engine: demo members in a few neighbouring cities (the demo
// loader's generator and loader), the curated works of the sample catalogue, each member's favorites
// (drawn from their hidden taste), taste vectors built by the engine's own nightly builder, and the
// re-ranker experiment split through the flags API.
import { FavoritesRepository } from '../../../media/favorites.repository.js';
import { seedSampleCatalogue } from '../../catalogue/sample-catalogue.js';
import { generateDemoPopulation, loadDemoPopulation, type DemoMember } from '../../demo/demo-population.js';
import { RERANKER_FLAG } from '../../../experiments/reranker-arms.js';
import { favoritesFromTaste } from './favorites.js';
import { SIM_OPERATOR, type SimApp } from './sim-app.js';
import type { World } from './world.js';

/** Cities within the taste retrieval's 500 km of each other, so everyone can meet everyone, at a cost in distance. */
export const SIM_CITIES = ['London', 'Paris', 'Brussels', 'Amsterdam'] as const;

/** The arms' shares: a candidate model serves the treatment share at most. */
export const ARM_SHARES = { control: 0.7, shadow: 0.2, treatment: 0.1 } as const;

/** The members, generated once per run: every population loads the same ones. */
export function simMembers(count: number, seed: number, today: Date): DemoMember[] {
  return generateDemoPopulation(count, seed, { today, cities: SIM_CITIES }).members;
}

export async function loadPopulation(
  sim: SimApp,
  world: World,
  members: readonly DemoMember[],
  seed: number,
  today: Date,
): Promise<{ favorites: number; vectors: number }> {
  await loadDemoPopulation(sim.db, members.length, { seed, today, cities: SIM_CITIES });
  await seedSampleCatalogue(sim.db, { generated: 0 });
  const favorites = favoritesFromTaste(
    members.map((member) => ({ id: member.id, taste: world.tasteOf(member.id) })),
    seed,
  );
  let stored = 0;
  await sim.db.transaction(async (tx) => {
    const repository = new FavoritesRepository(tx);
    for (const [memberId, mediaIds] of favorites) {
      for (const mediaId of mediaIds) if (await repository.add(memberId, mediaId, 'manual')) stored++;
    }
  });
  const quality = await sim.app.engine.tasteBuilder.run('learning-sim');
  await sim.call('ml_engineer', SIM_OPERATOR, {
    method: 'PUT',
    url: `/api/v2/admin/flags/${RERANKER_FLAG}`,
    payload: {
      defaultValue: 'control',
      rules: [
        {
          key: 'reranker-v2',
          variations: ['control', 'shadow', 'treatment'],
          weights: [ARM_SHARES.control, ARM_SHARES.shadow, ARM_SHARES.treatment],
          hashAttribute: 'id',
        },
      ],
    },
  });
  return { favorites: stored, vectors: quality.membersRebuilt };
}
