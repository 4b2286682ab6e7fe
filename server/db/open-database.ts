import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Database } from './database.js';
import { openPglite } from './pglite-driver.js';
import { openPostgres } from './pg-driver.js';

/** Postgres when `DATABASE_URL` is set, otherwise PGlite persisted under the data folder. */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dbPoolMax'>): Promise<Database> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, { poolMax: config.dbPoolMax });
  return openPglite(path.join(config.dataDir, 'pglite'));
}
