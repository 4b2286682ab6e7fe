// Everything a fresh demo engine (`npm start`, the desktop console) shows: the member population and
// the sample media catalogue, loaded once — the catalogue with the population's first load.
import type { Database } from '../db/database.js';
import { seedSampleCatalogue, type SeedReport } from '../media/sample-catalogue.js';
import { loadDemoPopulation, type DemoLoadResult } from './demo-population.js';

export interface DemoDataReport {
  population: DemoLoadResult;
  /** null when the population was already there (the catalogue came with it). */
  catalogue: SeedReport | null;
}

export async function loadDemoData(db: Database, members: number): Promise<DemoDataReport> {
  const population = await loadDemoPopulation(db, members);
  const catalogue = population.loaded ? await seedSampleCatalogue(db) : null;
  return { population, catalogue };
}
