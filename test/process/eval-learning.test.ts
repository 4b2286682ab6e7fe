// `eval:learning`'s machinery through the real engine, in child processes as the CLI runs it: a small
// run shows the online learner running a cycle (trained, then shadowed) on the simulated feedback, every
// population living the same bootstrap and training the same first model from one seed, and the
// reversed-labels model in shadow serving only beside the live one. The targets are figures of
// the full run (docs/learning-eval.md), never asserted here.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SIM_OPTIONS,
  runLearningSimulation,
} from '../../server/offline/evaluation/learning-sim/learning-sim.js';
import { runPopulationProcess } from '../../scripts/eval-learning/population-process.js';

describe('a small simulation through the real engine', () => {
  it(
    'runs a learner cycle; populations share bootstrap and first model; the bad model serves only beside the live one',
    {
      timeout: 300_000,
    },
    async () => {
      const report = await runLearningSimulation(
        {
          ...DEFAULT_SIM_OPTIONS,
          seed: 14,
          members: 140,
          days: 1,
          viewersPerDay: 30,
          bootstrapDays: 2,
          ticksPerDay: 1,
          populations: ['learner', 'frozen', 'bad-model'],
          badModelDay: 1,
        },
        { runPopulation: runPopulationProcess },
      );
      const [learner, frozen, bad] = (['learner', 'frozen', 'bad-model'] as const).map((kind) =>
        report.populations.find((population) => population.kind === kind)!,
      );
      // The learner's tick ran a real cycle: a candidate trained on the feedback and put in shadow.
      const decisions = learner!.days[0]!.decisions;
      expect(decisions.some((line) => line.startsWith('trained '))).toBe(true);
      expect(decisions.some((line) => line.startsWith('shadowed '))).toBe(true);
      // One seed, one history: the same bootstrap swipes and the same first model file everywhere.
      expect(learner!.bootstrap).toEqual(frozen!.bootstrap);
      expect(bad!.bootstrap).toEqual(frozen!.bootstrap);
      expect(new Set(report.populations.map((population) => population.firstModelSha256)).size).toBe(1);
      expect(frozen!.days[0]!.liveModel).toBe(frozen!.firstModel);
      expect(frozen!.days[0]!.decisions).toEqual([]);
      // The reversed model is in shadow: only the treatment arm is served by it, the rest by the live model.
      expect(bad!.badModel).toBe('reversed-labels-day-1');
      const byModel = bad!.days[0]!.impressionsByModel;
      expect(Object.keys(byModel).every((model) => model === bad!.firstModel || model === bad!.badModel)).toBe(true);
      expect(byModel[bad!.firstModel]).toBeGreaterThan(byModel[bad!.badModel!] ?? 0);
    },
  );
});
