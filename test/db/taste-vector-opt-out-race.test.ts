// A member's re-embed reads their privacy flags, embeds (slow), then writes the vector. A favorites
// opt-out that commits in between deletes the vector and must stay final: the write re-checks the flag
// in its own statement, waiting for an opt-out in flight. Postgres only: PGlite has one session, so
// the two transactions cannot interleave there.
import { describe, expect, it } from 'vitest';
import { TasteRepository } from '../../server/taste/taste.repository.js';
import { migratedScratchDatabase, TEST_DATABASE_URL } from '../support/databases.js';

describe.skipIf(!TEST_DATABASE_URL)('taste vector writes against a favorites opt-out [postgres]', () => {
  const scratch = migratedScratchDatabase('postgres');
  const vector = new Float32Array(256).fill(0.01);

  async function storedVectors(memberId: string): Promise<number> {
    const { rows } = await scratch.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM user_taste_vectors WHERE user_id = $1',
      [memberId],
    );
    return rows[0]!.n;
  }

  it('why: a rebuild that read the member before a favorites opt-out committed does not recreate the deleted vector', async () => {
    await scratch.db.query(`INSERT INTO members (id, birthday, gender) VALUES ('racer', '1990-01-01', 'woman')`);
    const taste = new TasteRepository(scratch.db);
    let release!: () => void;
    const optOutHeld = new Promise<void>((resolve) => (release = resolve));
    let optOutUpdated!: () => void;
    const updated = new Promise<void>((resolve) => (optOutUpdated = resolve));

    // The opt-out, as PATCH /privacy runs it: flag off and vector deleted in one transaction, held open.
    const optOut = scratch.db.transaction(async (tx) => {
      await tx.query(`UPDATE members SET share_favorites = false WHERE id = 'racer'`);
      await tx.query(`DELETE FROM user_taste_vectors WHERE user_id = 'racer'`);
      optOutUpdated();
      await optOutHeld;
    });
    await updated;
    // The rebuild read share_favorites = true before the opt-out; its write arrives while the opt-out is open.
    const write = taste.upsertVector('racer', vector, {}, 'test-model');
    release();
    await Promise.all([optOut, write]);

    expect(await storedVectors('racer')).toBe(0);
  });

  it('writes the vector of a member who shares favorites', async () => {
    await scratch.db.query(`INSERT INTO members (id, birthday, gender) VALUES ('sharer', '1990-01-01', 'man')`);
    await new TasteRepository(scratch.db).upsertVector('sharer', vector, {}, 'test-model');
    expect(await storedVectors('sharer')).toBe(1);
  });
});
