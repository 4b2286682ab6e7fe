// `npm run eval:learning`: one seeded population with hidden true preferences, served by the real engine
// over simulated days three times — with the online learner (LEARNER), with the first model and learning
// off (FROZEN), and with an oracle that knows the true preferences (ORACLE) — each on its own in-memory
// engine; plus two scenario populations for the gate (BAD-MODEL: a reversed model in shadow) and the
// rollback watch (ROLLBACK: the world turns right after the learner's first promotion). See
// docs/learning-eval.md.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { simMembers, loadPopulation } from './population.js';
import { ARM_SHARES } from './population.js';
import {
  activeViewers,
  emptyTally,
  serveSession,
  SHOWN_SLATE,
  type DayTally,
  type ServingPolicy,
} from './serve-day.js';
import { startSimApp, type BuildApp, type SimApp } from './sim-app.js';
import { injectReversedModel, liveModelId, putLive, trainFirstModel } from './sim-models.js';
import {
  dayRecord,
  describeDecision,
  LEARNING_POPULATIONS,
  POPULATIONS,
  type SimDecision,
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
  /** Members who open the app on a bootstrap day: few, so the first model is trained on little feedback. */
  bootstrapViewersPerDay: number;
  /**
   * Learner cycles per simulated day: one after each 1/ticksPerDay of the day's sessions (the schedule's
   * "every 30 minutes", compressed: a tick stands for the cycles of a quarter of the day's traffic).
   */
  ticksPerDay: number;
  populations: readonly PopulationKind[];
  /** Day (1-based) at whose start the BAD-MODEL population puts a model trained on reversed labels in shadow. */
  badModelDay: number;
  /** The ROLLBACK population's world change, made right after the learner's first promotion there. */
  rollbackShift: { term: PreferenceTerm; factor: number };
  /** From this day on the world's preferences change (every population). */
  worldShift?: { day: number; term: PreferenceTerm; factor: number };
  /** SDE_LEARNER_* for every engine (only learning populations run the learner); default `learnerEnvFor`. */
  learnerEnv?: Record<string, string>;
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
  bootstrapViewersPerDay: 20,
  ticksPerDay: 4,
  populations: POPULATIONS,
  badModelDay: 1,
  rollbackShift: { term: 'hobbies' as const, factor: -4 },
});

/**
 * The learner's thresholds for the simulation, scaled to its traffic (the gate's logic and the other
 * thresholds are as shipped): the shipped 500 impressions would take days here, so a shadow model is
 * judged after about three quarters of a day's shadow-arm impressions, and the rollback watch once both
 * sides have half a day's impressions (about three ticks: before the next candidate can be promoted, and
 * enough for the drop test to see a real fall).
 */
export function learnerEnvFor(options: Pick<LearningSimOptions, 'viewersPerDay'>): Record<string, string> {
  const perDay = options.viewersPerDay * SHOWN_SLATE;
  return {
    SDE_LEARNER_MIN_SHADOW_IMPRESSIONS: String(Math.max(1, Math.round(0.75 * perDay * ARM_SHARES.shadow))),
    SDE_LEARNER_ROLLBACK_MIN_IMPRESSIONS: String(Math.max(1, Math.round(0.5 * perDay))),
  };
}

/** One learner cycle (the population child passes `engine.learner.runOnce`); the decisions it recorded. */
export type LearnerTick = (sim: SimApp) => Promise<SimDecision[]>;

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
  const records = await inPool(kinds, Math.max(1, options.parallel ?? availableParallelism()), (kind) =>
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
  const sim = await startSimApp(hooks.buildApp, options.learnerEnv ?? learnerEnvFor(options));
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
    const learnerTick = LEARNING_POPULATIONS.includes(kind) ? hooks.learnerTick : undefined;
    let badModel: string | null = null;
    let shifted = false;
    // A scenario population ends with the day its event was settled (the gate's or the watch's decision).
    let settled = false;
    const days = [];
    for (let day = 1; day <= options.days && !settled; day++) {
      if (options.worldShift?.day === day) world.scaleWeight(options.worldShift.term, options.worldShift.factor);
      const decisions: string[] = [];
      if (kind === 'bad-model' && options.badModelDay === day) {
        badModel = await injectReversedModel(sim, `reversed-labels-day-${day}`);
        decisions.push(`injected ${badModel} into shadow`);
      }
      const tally = emptyTally();
      await serveDay(sim, world, policy, options, memberIds, day, tally, async () => {
        if (!learnerTick) return;
        for (const decision of await learnerTick(sim)) {
          decisions.push(describeDecision(decision, firstModel.id));
          if (kind === 'bad-model' && decision.modelId === badModel && decision.kind !== 'shadowed') settled = true;
          if (kind === 'rollback' && decision.kind === 'rolled_back') settled = true;
          if (kind === 'rollback' && decision.kind === 'promoted' && !shifted) {
            shifted = true;
            world.scaleWeight(options.rollbackShift.term, options.rollbackShift.factor);
            decisions.push(`world: ${options.rollbackShift.term} weight × ${options.rollbackShift.factor}`);
          }
        }
      });
      const record = dayRecord(day, tally, await liveModelId(sim), decisions);
      days.push(record);
      progress(
        `${kind} day ${day}: like rate ${(record.likeRate * 100).toFixed(1)} % ` +
          `(expected ${(record.expectedLikeRate * 100).toFixed(1)} %), ${tally.slates} slates, ${tally.matches} matches` +
          (decisions.length > 0 ? `; ${decisions.join('; ')}` : ''),
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

/** Runs `work` on every item, at most `size` at a time (a pool: a slot is reused as soon as it frees). */
async function inPool<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const slot = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, slot));
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
  onTick?: () => Promise<void>,
): Promise<void> {
  const viewers = activeViewers(
    options.seed,
    day,
    memberIds,
    day <= 0 ? options.bootstrapViewersPerDay : options.viewersPerDay,
  );
  const perTick = Math.ceil(viewers.length / options.ticksPerDay);
  for (let tick = 0; tick < options.ticksPerDay; tick++) {
    for (const viewerId of viewers.slice(tick * perTick, (tick + 1) * perTick)) {
      await serveSession(sim, world, policy, options.seed, day, viewerId, tally);
    }
    await onTick?.();
  }
}
