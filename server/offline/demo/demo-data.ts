// Everything a fresh demo engine (`npm start`, the desktop console) shows: the member population, the
// sample media catalogue and the members' past slates and swipes. Each step commits its data and its
// own "done" marker (an engine_settings row) in one transaction, and every start runs the steps whose
// marker is missing: a first start interrupted by kill -9, SIGTERM or a power cut resumes where it
// stopped instead of leaving the population without a catalogue or feedback for ever. (The first
// ranking model follows on its own: the ranking module queues its training whenever none is live.)
import type { Database, Queryable } from '../../db/database.js';
import { seedSampleCatalogueIn, type SeedReport } from '../catalogue/sample-catalogue.js';
import { loadDemoFeedback, type DemoFeedbackReport } from './demo-feedback.js';
import { loadDemoPopulation, type DemoLoadResult } from './demo-population.js';

/** engine_settings keys of the steps after the population (which keeps its own `demo_population`). */
export const DEMO_CATALOGUE_SETTING = 'demo_catalogue';
export const DEMO_FEEDBACK_SETTING = 'demo_feedback';
// Serialises replicas starting together, like the population's own lock (a different key).
const DEMO_STEPS_LOCK_KEY = 4_242_003;

export interface DemoDataReport {
  population: DemoLoadResult;
  /** null when the catalogue was already there. */
  catalogue: SeedReport | null;
  /** Slates shown and swipes made, so the first ranking model has something to learn from; null as above. */
  feedback: DemoFeedbackReport | null;
}

/** Called as each step commits, so the log shows how far a start got (and where a restart resumes). */
export interface DemoProgress {
  population?(result: DemoLoadResult): void;
  catalogue?(report: SeedReport): void;
  feedback?(report: DemoFeedbackReport): void;
}

export async function loadDemoData(
  db: Database,
  members: number,
  progress: DemoProgress = {},
): Promise<DemoDataReport> {
  const population = await loadDemoPopulation(db, members);
  if (population.loaded) progress.population?.(population);
  if (population.members === 0) return { population, catalogue: null, feedback: null };

  // Installs from before the step markers had their catalogue loaded with the population; the seed
  // is idempotent (works present by id are left alone), so running it once more is only slower.
  const catalogue = await runStep(db, DEMO_CATALOGUE_SETTING, (tx) => seedSampleCatalogueIn(tx));
  if (catalogue) progress.catalogue?.(catalogue);

  const feedback = await runStep(db, DEMO_FEEDBACK_SETTING, async (tx) => {
    // Installs from before the markers loaded demo feedback without one: never add it a second time.
    const { rows } = await tx.query<{ present: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM slate_impressions WHERE arm = 'demo') AS present`,
    );
    return rows[0]?.present ? null : loadDemoFeedback(tx);
  });
  if (feedback) {
    progress.feedback?.(feedback);
    // The step after the population's scroll events: bring the dwell view up to date now (a start
    // killed before the population's own refresh would otherwise wait for the scheduled one).
    await db.query('REFRESH MATERIALIZED VIEW user_dwell_avg');
  }
  return { population, catalogue, feedback };
}

/**
 * Runs `work` unless the step's marker exists, in one transaction that also writes the marker: the
 * step is either wholly committed and marked, or absent and run again by the next start. `work`
 * answering null means "nothing to load here": the step is marked done all the same.
 */
async function runStep<T extends object>(
  db: Database,
  key: string,
  work: (tx: Queryable) => Promise<T | null>,
): Promise<T | null> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [DEMO_STEPS_LOCK_KEY]);
    const done = await tx.query('SELECT 1 FROM engine_settings WHERE key = $1', [key]);
    if (done.rows.length > 0) return null;
    const report = await work(tx);
    await tx.query(
      `INSERT INTO engine_settings (key, value) VALUES ($1, $2::jsonb || jsonb_build_object('loadedAt', now()))`,
      [key, JSON.stringify(report ?? { alreadyPresent: true })],
    );
    return report;
  });
}
