// Migrations: applied once, atomically, and any drift between the applied history and the files
// (edited, missing, out of order, pending) is reported — and blocks migrating further.
import { mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkMigrationHistory, migrate, MigrationDriftError } from '../../server/db/migrations.js';
import { databaseKinds, openScratchDatabase, type ScratchDatabase } from '../support/databases.js';

function writeMigration(dir: string, version: number, name: string, sql: string): void {
  writeFileSync(path.join(dir, `${String(version).padStart(3, '0')}.do.${name}.sql`), sql);
}

async function tableExists(scratch: ScratchDatabase, table: string): Promise<boolean> {
  const { rows } = await scratch.db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [
    table,
  ]);
  return rows[0]?.present ?? false;
}

describe.each(databaseKinds)('migrations [%s]', (kind) => {
  let scratch: ScratchDatabase;
  let dir: string;

  beforeEach(async () => {
    scratch = await openScratchDatabase(kind);
    dir = mkdtempSync(path.join(tmpdir(), 'sde-migrations-'));
    writeMigration(dir, 1, 'first', 'CREATE TABLE first_table (id int PRIMARY KEY);');
    writeMigration(
      dir,
      2,
      'second',
      'CREATE TABLE second_table (id int PRIMARY KEY);\nINSERT INTO second_table VALUES (1);',
    );
  });
  afterEach(async () => {
    await scratch.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports pending files, applies them once, and then reports zero drift', async () => {
    expect((await checkMigrationHistory(scratch.db, dir)).problems.map((p) => p.kind)).toEqual(['pending', 'pending']);
    expect(await migrate(scratch.db, dir)).toEqual([
      { version: 1, name: 'first' },
      { version: 2, name: 'second' },
    ]);
    expect(await migrate(scratch.db, dir)).toEqual([]);
    expect(await checkMigrationHistory(scratch.db, dir)).toEqual({ appliedCount: 2, fileCount: 2, problems: [] });
  });

  it('detects an edited migration and refuses to migrate past it', async () => {
    await migrate(scratch.db, dir);
    writeMigration(dir, 1, 'first', 'CREATE TABLE first_table (id bigint PRIMARY KEY);');
    writeMigration(dir, 3, 'third', 'CREATE TABLE third_table (id int);');
    const history = await checkMigrationHistory(scratch.db, dir);
    expect(history.problems).toEqual([
      { kind: 'edited', version: 1, name: 'first' },
      { kind: 'pending', version: 3, name: 'third' },
    ]);
    await expect(migrate(scratch.db, dir)).rejects.toThrow(MigrationDriftError);
    expect(await tableExists(scratch, 'third_table')).toBe(false);
  });

  it('detects a migration whose file is gone', async () => {
    await migrate(scratch.db, dir);
    unlinkSync(path.join(dir, '002.do.second.sql'));
    expect((await checkMigrationHistory(scratch.db, dir)).problems).toEqual([
      { kind: 'missing', version: 2, name: 'second' },
    ]);
  });

  it('detects a file that sorts before applied migrations but was never applied', async () => {
    unlinkSync(path.join(dir, '002.do.second.sql'));
    writeMigration(dir, 3, 'third', 'CREATE TABLE third_table (id int);');
    await migrate(scratch.db, dir);
    writeMigration(dir, 2, 'second', 'CREATE TABLE second_table (id int);');
    expect((await checkMigrationHistory(scratch.db, dir)).problems).toEqual([
      { kind: 'out_of_order', version: 2, name: 'second' },
    ]);
    await expect(migrate(scratch.db, dir)).rejects.toThrow(/002 second/);
  });

  it('rolls back every migration of a run when one fails', async () => {
    writeMigration(dir, 3, 'broken', 'CREATE TABLE third_table (id int);\nSELECT * FROM no_such_table;');
    await expect(migrate(scratch.db, dir)).rejects.toThrow(/no_such_table/);
    expect(await tableExists(scratch, 'first_table')).toBe(false);
    expect(await tableExists(scratch, 'third_table')).toBe(false);
    expect((await checkMigrationHistory(scratch.db, dir)).appliedCount).toBe(0);
  });

  it('lets replicas migrate at the same time without applying anything twice', async () => {
    const runs = await Promise.all([migrate(scratch.db, dir), migrate(scratch.db, dir), migrate(scratch.db, dir)]);
    expect(runs.flat()).toHaveLength(2);
    expect((await checkMigrationHistory(scratch.db, dir)).problems).toEqual([]);
  });

  it('applies the real schema with its extensions and indexes', async () => {
    await migrate(scratch.db);
    const { rows } = await scratch.db.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE indexname IN ('user_taste_vectors_taste_hnsw', 'user_dwell_avg_user', 'model_versions_one_live') ORDER BY indexname`,
    );
    expect(rows.map((r) => r.indexdef)).toEqual([
      expect.stringContaining("WHERE (status = 'live'::text)"),
      expect.stringContaining('UNIQUE INDEX user_dwell_avg_user'),
      expect.stringMatching(/USING hnsw \(taste vector_cosine_ops\)/),
    ]);
    expect((await checkMigrationHistory(scratch.db)).problems).toEqual([]);
  });
});
