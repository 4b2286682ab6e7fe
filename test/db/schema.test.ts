// Schema v1 behaviours the product relies on, checked on the real databases: the ANN index answers
// cosine queries, exactly one live model, and the dwell view refreshes concurrently over 7 days.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/db/migrations.js';
import { DwellRepository } from '../../server/behaviour/dwell.repository.js';
import { databaseKinds, openScratchDatabase, type ScratchDatabase } from '../support/databases.js';

function unitVector(hot: number): string {
  const values = Array.from({ length: 256 }, (_, i) => (i === hot ? 1 : 0.01));
  return `[${values.join(',')}]`;
}

describe.each(databaseKinds)('schema v1 [%s]', (kind) => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await openScratchDatabase(kind);
    await migrate(scratch.db);
    await scratch.db.query(
      `INSERT INTO members (id, gender, seeking, birthday, lat, lon) SELECT 'm' || g, 'woman', '{man}', '1990-01-01', 0, 0 FROM generate_series(1, 20) g`,
    );
  });
  afterAll(async () => {
    await scratch?.dispose();
  });

  it('finds the nearest taste vectors by cosine through the HNSW index', async () => {
    for (let i = 1; i <= 20; i++) {
      await scratch.db.query(`INSERT INTO user_taste_vectors (user_id, taste, model_version) VALUES ($1, $2, 'test')`, [
        `m${i}`,
        unitVector(i),
      ]);
    }
    await scratch.db.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      const plan = await tx.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT user_id FROM user_taste_vectors ORDER BY taste <=> '${unitVector(7)}' LIMIT 3`,
      );
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('user_taste_vectors_taste_hnsw');
      const nearest = await tx.query<{ user_id: string }>(
        `SELECT user_id FROM user_taste_vectors ORDER BY taste <=> $1 LIMIT 1`,
        [unitVector(7)],
      );
      expect(nearest.rows[0]?.user_id).toBe('m7');
    });
  });

  it('allows exactly one live model per kind', async () => {
    const insert = (id: string, status: string) =>
      scratch.db.query(
        `INSERT INTO model_versions (id, status, created_by, status_changed_by) VALUES ($1, $2, 'test', 'test')`,
        [id, status],
      );
    await insert('ranker-1', 'live');
    await insert('ranker-2', 'candidate');
    await expect(insert('ranker-3', 'live')).rejects.toThrow(/model_versions_one_live/);
    await expect(scratch.db.query(`UPDATE model_versions SET status = 'live' WHERE id = 'ranker-2'`)).rejects.toThrow(
      /model_versions_one_live/,
    );
  });

  it('averages dwell per member over the last 7 days and refreshes concurrently', async () => {
    await scratch.db.query(
      `INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms, occurred_at) VALUES
         ('m1', 'm2', 'dwell', 1000, now() - interval '1 day'),
         ('m3', 'm2', 'dwell', 3000, now() - interval '2 days'),
         ('m1', 'm2', 'dwell', 99000, now() - interval '8 days'),
         ('m1', 'm2', 'scroll_pause', 50000, now()),
         ('m2', 'm4', 'dwell', 500, now())`,
    );
    await new DwellRepository(scratch.db).refresh();
    const { rows } = await scratch.db.query<{ user_id: string; avg_dwell_ms: number; events: number }>(
      `SELECT user_id, avg_dwell_ms, events FROM user_dwell_avg ORDER BY user_id`,
    );
    expect(rows).toEqual([
      { user_id: 'm2', avg_dwell_ms: 2000, events: 2 },
      { user_id: 'm4', avg_dwell_ms: 500, events: 1 },
    ]);
  });
});
