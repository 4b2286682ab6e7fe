// `eval:learning`'s machinery through the real engine, in child processes as the CLI runs it: a small
// run shows the oracle beating the frozen first model by a margin, every population living the same
// bootstrap and training the same first model from one seed, and the reversed-labels model in shadow
// serving only beside the live one.
import { describe, expect, it } from 'vitest';
import { runLearningSimulation } from '../../server/offline/evaluation/learning-sim/learning-sim.js';
import { runPopulationProcess } from '../../scripts/eval-learning/population-process.js';

describe('a small simulation through the real engine', () => {
  it(
    'has the oracle beat the frozen model; populations share bootstrap and first model; the bad model goes to shadow',
    {
      timeout: 300_000,
    },
    async () => {
      const report = await runLearningSimulation(
        {
          seed: 14,
          members: 140,
          days: 1,
          viewersPerDay: 30,
          bootstrapDays: 2,
          ticksPerDay: 1,
          populations: ['learner', 'frozen', 'oracle'],
          badModelDay: 1,
        },
        { runPopulation: runPopulationProcess },
      );
      const [learner, frozen, oracle] = (['learner', 'frozen', 'oracle'] as const).map((kind) =>
        report.populations.find((population) => population.kind === kind)!,
      );
      // The click model's expectation, free of draw noise: the oracle's order is clearly better.
      expect(oracle!.days[0]!.expectedLikeRate).toBeGreaterThan(1.2 * frozen!.days[0]!.expectedLikeRate);
      expect(oracle!.days[0]!.likeRate).toBeGreaterThan(frozen!.days[0]!.likeRate);
      // One seed, one history: the same bootstrap swipes and the same first model file everywhere.
      expect(oracle!.bootstrap).toEqual(frozen!.bootstrap);
      expect(learner!.bootstrap).toEqual(frozen!.bootstrap);
      expect(new Set(report.populations.map((population) => population.firstModelSha256)).size).toBe(1);
      expect(frozen!.days[0]!.liveModel).toBe(frozen!.firstModel);
      // The reversed model is in shadow: only the treatment arm is served by it, the rest by the live model.
      expect(learner!.badModel).toBe('reversed-labels-day-1');
      const byModel = learner!.days[0]!.impressionsByModel;
      expect(Object.keys(byModel).every((model) => model === learner!.firstModel || model === learner!.badModel)).toBe(
        true,
      );
      expect(byModel[learner!.firstModel]).toBeGreaterThan(byModel[learner!.badModel!] ?? 0);
      expect(report.summary.oracleOverFrozen).toBeGreaterThan(1);
    },
  );
});
