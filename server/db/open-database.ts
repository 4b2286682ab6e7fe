import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Database } from './database.js';
import { openPglite } from './pglite-driver.js';
import { openPostgres } from './pg-driver.js';
import { makePrivateDir } from './private-dir.js';

/**
 * Postgres when `DATABASE_URL` is set, otherwise PGlite persisted under the data folder. Either way the
 * data folder (local object storage, word vectors, PGlite) is made private to this user first.
 */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dbPoolMax'>): Promise<Database> {
  makePrivateDir(config.dataDir);
  if (config.databaseUrl) return openPostgres(config.databaseUrl, { poolMax: config.dbPoolMax });
  return openPglite(path.join(config.dataDir, 'pglite'));
}
