// Plain-SQL migrations from `migrations/` (postgrator's NNN.do.name.sql), applied at start and by
// `npm run db:migrate`, plus the drift check behind `npm run db:check` and `/readyz`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Postgrator from 'postgrator';
import type { Database, Queryable } from './database.js';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
const SCHEMA_TABLE = 'schemaversion';
// Any constant works; it only has to be the same for every replica so only one migrates at a time.
const MIGRATION_LOCK_KEY = 4_242_001;

function postgratorOver(queryable: Queryable, migrationsDir: string): Postgrator {
  return new Postgrator({
    driver: 'pg',
    migrationPattern: path.join(migrationsDir, '*'),
    schemaTable: SCHEMA_TABLE,
    validateChecksums: true,
    execQuery: (sql: string) => queryable.query(sql),
  });
}

export interface AppliedMigration {
  version: number;
  name: string;
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so replicas starting together
 * cannot interleave and a failing migration leaves the schema as it was.
 */
export async function migrate(db: Database, migrationsDir = MIGRATIONS_DIR): Promise<AppliedMigration[]> {
  const drift = await checkMigrationHistory(db, migrationsDir);
  const blocking = drift.problems.filter((problem) => problem.kind !== 'pending');
  if (blocking.length > 0) throw new MigrationDriftError(blocking);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await postgratorOver(tx, migrationsDir).migrate();
    await lockDownClientAccess(tx);
    return applied.map((migration) => ({ version: migration.version, name: migration.name }));
  });
}

/**
 * Re-asserts, after every migrate and inside its transaction, that client-API roles (Supabase's anon,
 * authenticated, service_role) hold nothing on the engine's schema and that every table has row-level
 * security on: Supabase's default privileges grant those roles ALL on each new table, so a table added by
 * a later migration must never be committed with them. The function comes with migration 011; a
 * migrations directory without it (the drift tests' throw-away sets) has nothing to lock down.
 */
async function lockDownClientAccess(tx: Queryable): Promise<void> {
  const { rows } = await tx.query<{ present: boolean }>(
    `SELECT to_regprocedure('sde_lock_down_client_access()') IS NOT NULL AS present`,
  );
  if (rows[0]?.present) await tx.query('SELECT sde_lock_down_client_access()');
}

export type DriftProblem =
  | { kind: 'pending'; version: number; name: string }
  | { kind: 'edited'; version: number; name: string }
  | { kind: 'missing'; version: number; name: string }
  | { kind: 'out_of_order'; version: number; name: string };

export interface MigrationHistory {
  appliedCount: number;
  fileCount: number;
  problems: DriftProblem[];
}

export class MigrationDriftError extends Error {
  override name = 'MigrationDriftError';
  constructor(readonly problems: DriftProblem[]) {
    super(`migration history differs from migrations/: ${problems.map(describeDrift).join('; ')}`);
  }
}

export function describeDrift(problem: DriftProblem): string {
  const label = `${String(problem.version).padStart(3, '0')} ${problem.name}`;
  switch (problem.kind) {
    case 'pending':
      return `${label} is not applied yet`;
    case 'edited':
      return `${label} was edited after it was applied (checksum differs)`;
    case 'missing':
      return `${label} is applied but its file is gone`;
    case 'out_of_order':
      return `${label} is newer on disk than the history around it: it sorts before an applied migration but was never applied`;
  }
}

/** Compares the applied history with the files: zero problems is "zero drift". */
export async function checkMigrationHistory(db: Queryable, migrationsDir = MIGRATIONS_DIR): Promise<MigrationHistory> {
  const files = (await postgratorOver(db, migrationsDir).getMigrations()).filter((m) => m.action === 'do');
  const applied = await appliedMigrations(db);
  const highestApplied = applied.reduce((max, row) => Math.max(max, row.version), 0);
  const filesByVersion = new Map(files.map((file) => [file.version, file]));
  const appliedByVersion = new Map(applied.map((row) => [row.version, row]));
  const problems: DriftProblem[] = [];
  for (const row of applied) {
    const file = filesByVersion.get(row.version);
    if (!file) problems.push({ kind: 'missing', version: row.version, name: row.name });
    else if (row.md5 && file.md5 !== row.md5) problems.push({ kind: 'edited', version: row.version, name: row.name });
  }
  for (const file of files) {
    if (appliedByVersion.has(file.version)) continue;
    const kind = file.version < highestApplied ? 'out_of_order' : 'pending';
    problems.push({ kind, version: file.version, name: file.name });
  }
  problems.sort((a, b) => a.version - b.version);
  return { appliedCount: applied.length, fileCount: files.length, problems };
}

async function appliedMigrations(db: Queryable): Promise<Array<{ version: number; name: string; md5: string | null }>> {
  const exists = await db.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [SCHEMA_TABLE]);
  if (!exists.rows[0]?.present) return [];
  // Postgrator seeds a version-0 row when it creates the table; it is not a migration.
  const result = await db.query<{ version: number; name: string | null; md5: string | null }>(
    `SELECT version::int AS version, name, md5 FROM ${SCHEMA_TABLE} WHERE version > 0 ORDER BY version`,
  );
  return result.rows.map((row) => ({ version: row.version, name: row.name ?? '', md5: row.md5 }));
}
