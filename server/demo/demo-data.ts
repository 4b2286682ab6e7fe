// Everything a fresh demo engine (`npm start`, the desktop console) shows: the member population, the
// sample media catalogue and the members' past slates and swipes, loaded once — the catalogue and the
// feedback with the population's first load.
import type { Database } from '../db/database.js';
import { seedSampleCatalogue, type SeedReport } from '../media/sample-catalogue.js';
import { loadDemoFeedback, type DemoFeedbackReport } from './demo-feedback.js';
import { loadDemoPopulation, type DemoLoadResult } from './demo-population.js';

export interface DemoDataReport {
  population: DemoLoadResult;
  /** null when the population was already there (the catalogue came with it). */
  catalogue: SeedReport | null;
  /** Slates shown and swipes made, so the first ranking model has something to learn from; null as above. */
  feedback: DemoFeedbackReport | null;
}

export async function loadDemoData(db: Database, members: number): Promise<DemoDataReport> {
  const population = await loadDemoPopulation(db, members);
  if (!population.loaded) return { population, catalogue: null, feedback: null };
  const catalogue = await seedSampleCatalogue(db);
  const feedback = await loadDemoFeedback(db);
  return { population, catalogue, feedback };
}
