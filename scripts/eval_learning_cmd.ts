// `npm run eval:learning [-- --seed 14 --days 8 --members 400 --viewers-per-day 80 --out FILE]`: the
// learning-loop proof. A seeded synthetic population with hidden true preferences is served by the real
// engine (in-memory PGlite) over simulated days three times — learner, frozen first model, oracle — and
// the per-day like rates, the model in service and the learner's decisions are printed, with a summary
// and a JSON report. See docs/learning-eval.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runPopulationProcess } from './eval-learning/population-process.js';
import {
  DEFAULT_SIM_OPTIONS,
  learnerEnvFor,
  runLearningSimulation,
  type LearningSimOptions,
} from '../server/offline/evaluation/learning-sim/learning-sim.js';
import {
  formatSummary,
  formatTable,
  POPULATIONS,
  type PopulationKind,
} from '../server/offline/evaluation/learning-sim/sim-report.js';

function fail(message: string): never {
  process.stderr.write(`eval:learning: ${message}\n`);
  process.exit(2);
}

let values: Record<string, string | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      seed: { type: 'string' },
      days: { type: 'string' },
      members: { type: 'string' },
      'viewers-per-day': { type: 'string' },
      'bootstrap-days': { type: 'string' },
      'bad-model-day': { type: 'string' },
      'ticks-per-day': { type: 'string' },
      'bootstrap-viewers-per-day': { type: 'string' },
      populations: { type: 'string' },
      parallel: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

function wholeNumber(name: string, fallback: number, min: number, max: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    fail(`--${name} must be a whole number from ${min} to ${max}`);
  return value;
}

const populations = (values.populations?.split(',') ?? [...DEFAULT_SIM_OPTIONS.populations]).map((name) => name.trim());
const unknown = populations.filter((name) => !(POPULATIONS as readonly string[]).includes(name));
if (unknown.length > 0 || populations.length === 0) fail(`--populations takes a list of ${POPULATIONS.join(', ')}`);
const options: LearningSimOptions = {
  ...DEFAULT_SIM_OPTIONS,
  seed: wholeNumber('seed', DEFAULT_SIM_OPTIONS.seed, -(2 ** 31), 2 ** 31 - 1),
  days: wholeNumber('days', DEFAULT_SIM_OPTIONS.days, 1, 365),
  members: wholeNumber('members', DEFAULT_SIM_OPTIONS.members, 40, 20_000),
  viewersPerDay: wholeNumber('viewers-per-day', DEFAULT_SIM_OPTIONS.viewersPerDay, 10, 20_000),
  bootstrapDays: wholeNumber('bootstrap-days', DEFAULT_SIM_OPTIONS.bootstrapDays, 1, 30),
  bootstrapViewersPerDay: wholeNumber(
    'bootstrap-viewers-per-day',
    DEFAULT_SIM_OPTIONS.bootstrapViewersPerDay,
    10,
    20_000,
  ),
  ticksPerDay: wholeNumber('ticks-per-day', DEFAULT_SIM_OPTIONS.ticksPerDay, 1, 96),
  badModelDay: wholeNumber('bad-model-day', DEFAULT_SIM_OPTIONS.badModelDay, 1, 365),
  populations: populations as PopulationKind[],
  ...(values.parallel !== undefined ? { parallel: wholeNumber('parallel', 1, 1, POPULATIONS.length) } : {}),
};
const learnerEnv = learnerEnvFor(options);
const out = path.resolve(values.out ?? '.eval/learning-report.json');

process.stdout.write(
  `learning evaluation: seed ${options.seed}, ${options.members} members, ${options.viewersPerDay} viewers a day, ` +
    `${options.bootstrapDays} bootstrap days (${options.bootstrapViewersPerDay} viewers) + ${options.days} simulated days, ${options.ticksPerDay} learner ticks a day, ` +
    `populations ${options.populations.join(', ')}\n` +
    `learner settings: ${Object.entries(learnerEnv)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ')} (others as shipped)\n`,
);
const report = await runLearningSimulation(options, {
  runPopulation: runPopulationProcess,
  progress: (line) => process.stdout.write(`  ${line}\n`),
});
process.stdout.write(
  `\nlike rate = likes ÷ cards swiped; in brackets the click model's expectation from the true probabilities\n\n` +
    `${formatTable(report.populations)}\n\n${formatSummary(report.summary)}\ntime: ${report.seconds} s\n`,
);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
process.stdout.write(`report: ${out}\n`);
