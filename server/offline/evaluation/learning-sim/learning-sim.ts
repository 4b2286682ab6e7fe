// `npm run eval:learning`: one seeded population with hidden true preferences, served by the real engine
// over simulated days three times — with the online learner (LEARNER), with the first model and learning
// off (FROZEN), and with an oracle that knows the true preferences (ORACLE) — each on its own in-memory
// engine. See docs/learning-eval.md.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { simMembers, loadPopulation } from './population.js';
import { activeViewers, emptyTally, serveSession, type DayTally, type ServingPolicy } from './serve-day.js';
import { startSimApp, type BuildApp, type SimApp } from './sim-app.js';
import { injectReversedModel, liveModelId, putLive, trainFirstModel } from './sim-models.js';
import {
  dayRecord,
  POPULATIONS,
  summarise,
  type LearningSimSummary,
  type PopulationKind,
  type PopulationRecord,
} from './sim-report.js';
import { World, type PreferenceTerm } from './world.js';

export interface LearningSimOptions {
  seed: number;
  members: number;
  /** Simulated days after the first model went live. */
  days: number;
  viewersPerDay: number;
  /** Days of feedback in retrieval order before the first model is trained. */
  bootstrapDays: number;
  /** Learner ticks per simulated day (the schedule's "every 30 minutes", compressed). */
  ticksPerDay: number;
  populations: readonly PopulationKind[];
  /** Day (1-based) at whose start a model trained on reversed labels is put in shadow in the LEARNER population. */
  badModelDay?: number;
  /** From this day on the world's preferences change (every population): the rollback scenario. */
  worldShift?: { day: number; term: PreferenceTerm; factor: number };
  /** The fixed date (ISO) ages are computed from, so a seed gives the same members on any day. */
  today?: string;
  /** Populations run at the same time, each in its own process (default: the machine's cores). */
  parallel?: number;
}

export const DEFAULT_SIM_OPTIONS: Readonly<Omit<LearningSimOptions, 'populations'>> & {
  populations: readonly PopulationKind[];
} = Object.freeze({
  seed: 14,
  members: 300,
  days: 6,
  viewersPerDay: 60,
  bootstrapDays: 2,
  ticksPerDay: 2,
  populations: POPULATIONS,
});

/** What the learner did at one tick, one line per decision (phase 2 wires `engine.learner.runOnce` here). */
export type LearnerTick = (sim: SimApp, day: number, tick: number) => Promise<string[]>;

export interface LearningSimReport {
  options: LearningSimOptions;
  populations: PopulationRecord[];
  summary: LearningSimSummary;
  seconds: number;
}

const TODAY = new Date('2026-06-01T00:00:00Z');

/** Runs one population to its record: in a child process for the CLI (scripts/eval-learning/). */
export type PopulationRunner = (
  kind: PopulationKind,
  options: LearningSimOptions,
  progress: (line: string) => void,
) => Promise<PopulationRecord>;

export async function runLearningSimulation(
  options: LearningSimOptions,
  hooks: { runPopulation: PopulationRunner; progress?: (line: string) => void },
): Promise<LearningSimReport> {
  const started = performance.now();
  const kinds = POPULATIONS.filter((kind) => options.populations.includes(kind));
  // At most `parallel` populations at a time: each engine (PGlite) is single-threaded.
  const records = await inBatches(kinds, Math.max(1, options.parallel ?? availableParallelism()), (kind) =>
    hooks.runPopulation(kind, options, hooks.progress ?? (() => undefined)),
  );
  return {
    options,
    populations: records,
    summary: summarise(records),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

/**
 * One population from start to end on its own engine. Every population lives the same bootstrap days
 * (no model yet: slates in retrieval order) and trains its first model on them with the engine's trainer;
 * the runs are deterministic, so the three first models are the same file (the report keeps each one's hash).
 */
export async function runPopulation(
  kind: PopulationKind,
  options: LearningSimOptions,
  hooks: { buildApp: BuildApp; learnerTick?: LearnerTick; progress?: (line: string) => void },
): Promise<PopulationRecord> {
  const started = performance.now();
  const progress = hooks.progress ?? (() => undefined);
  const today = options.today ? new Date(options.today) : TODAY;
  const members = simMembers(options.members, options.seed, today);
  const memberIds = members.map((member) => member.id);
  const world = new World(members, options.seed);
  const sim = await startSimApp(hooks.buildApp);
  try {
    const loaded = await loadPopulation(sim, world, members, options.seed, today);
    progress(`${kind}: ${members.length} members, ${loaded.favorites} favorites, ${loaded.vectors} taste vectors`);
    const bootstrap = emptyTally();
    for (let day = 1 - options.bootstrapDays; day <= 0; day++) {
      await serveDay(sim, world, 'engine', options, memberIds, day, bootstrap);
    }
    const firstModel = await trainFirstModel(sim);
    await putLive(sim, firstModel);
    progress(
      `${kind}: bootstrap ${bootstrap.slates} slates, ${bootstrap.likes}/${bootstrap.examined} likes; first model ${firstModel.id}`,
    );
    const policy: ServingPolicy = kind === 'oracle' ? 'oracle' : 'engine';
    let badModel: string | null = null;
    const days = [];
    for (let day = 1; day <= options.days; day++) {
      if (options.worldShift?.day === day) world.scaleWeight(options.worldShift.term, options.worldShift.factor);
      const decisions: string[] = [];
      if (kind === 'learner' && options.badModelDay === day) {
        badModel = await injectReversedModel(sim, `reversed-labels-day-${day}`);
        decisions.push(`injected ${badModel} into shadow`);
      }
      const tally = emptyTally();
      const learnerTick = kind === 'learner' ? hooks.learnerTick : undefined;
      await serveDay(sim, world, policy, options, memberIds, day, tally, async (tick) => {
        if (learnerTick) decisions.push(...(await learnerTick(sim, day, tick)));
      });
      const record = dayRecord(day, tally, await liveModelId(sim), decisions);
      days.push(record);
      progress(
        `${kind} day ${day}: like rate ${(record.likeRate * 100).toFixed(1)} % ` +
          `(expected ${(record.expectedLikeRate * 100).toFixed(1)} %), ${tally.slates} slates, ${tally.matches} matches`,
      );
    }
    return {
      kind,
      firstModel: firstModel.id,
      firstModelSha256: createHash('sha256').update(firstModel.artifact).digest('hex'),
      bootstrap,
      days,
      badModel,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    await sim.close();
  }
}

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(work))));
  }
  return results;
}

/** The day's sessions, split into `ticksPerDay` slices with `onTick` after each (the learner's schedule). */
async function serveDay(
  sim: SimApp,
  world: World,
  policy: ServingPolicy,
  options: LearningSimOptions,
  memberIds: readonly string[],
  day: number,
  tally: DayTally,
  onTick?: (tick: number) => Promise<void>,
): Promise<void> {
  const viewers = activeViewers(options.seed, day, memberIds, options.viewersPerDay);
  const perTick = Math.ceil(viewers.length / options.ticksPerDay);
  for (let tick = 0; tick < options.ticksPerDay; tick++) {
    for (const viewerId of viewers.slice(tick * perTick, (tick + 1) * perTick)) {
      await serveSession(sim, world, policy, options.seed, day, viewerId, tally);
    }
    await onTick?.(tick);
  }
}
