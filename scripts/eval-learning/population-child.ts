// The child process of population-process.ts: runs the population named in argv[2] with the options in
// argv[3] (JSON) and sends progress, then its record or its error, to the parent.
import { buildApp } from '../../server/app.js';
import { runPopulation, type LearningSimOptions } from '../../server/offline/evaluation/learning-sim/learning-sim.js';
import type { PopulationKind } from '../../server/offline/evaluation/learning-sim/sim-report.js';
import type { ChildMessage } from './population-process.js';

const send = (message: ChildMessage) =>
  new Promise<void>((resolve) => {
    process.send!(message, () => resolve());
  });

const [kind, optionsJson] = process.argv.slice(2) as [PopulationKind, string];
try {
  const options = JSON.parse(optionsJson) as LearningSimOptions;
  const record = await runPopulation(kind, options, {
    buildApp,
    // One learner cycle, exactly as the schedule runs it (actor `learner`).
    learnerTick: (sim) => sim.app.engine.learner.runOnce({ actor: 'learner' }),
    progress: (line) => void send({ type: 'progress', line }),
  });
  await send({ type: 'done', record });
} catch (error) {
  await send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
}
process.disconnect();
