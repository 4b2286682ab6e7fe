// ErasureService on a real database with the real local object storage, without HTTP: what an erasure
// deletes (the member's rows, rows naming them, their storage folders and nobody else's), what it keeps
// anonymised and says so on the receipt, the receipt log that holds a keyed hash instead of the member id,
// the notice every replica hears, a repeat refused with the caller's own not-found error, and a storage
// failure that rolls the whole erasure back.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveReceiptKey, ErasureService } from '../../server/erasure/erasure.service.js';
import { notFound } from '../../server/errors/domain-errors.js';
import type { MemberChange } from '../../server/events/member-changes.js';
import { fileMemberReport } from '../../server/review/review.repository.js';
import { createObjectStorage } from '../../server/storage/create-storage.js';
import { databaseKinds } from '../support/databases.js';
import { addTasteVector } from '../support/taste-vectors.js';
import { addMember, countOf, recordedMemberChanges, refusalOf, serviceHarness } from '../support/service-harness.js';

describe.each(databaseKinds)('ErasureService [%s]', (kind) => {
  const harness = serviceHarness(kind);
  const secretsKey = randomBytes(32);
  let root: string;
  let erasure: ErasureService;
  let published: MemberChange[];

  /** Writes an object the way an upload leaves it: a file under the storage root. */
  function storeObject(key: string): string {
    const file = path.join(root, ...key.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{}');
    return file;
  }
  const memberRows = (id: string) => countOf(harness.db, 'SELECT count(*)::int AS n FROM members WHERE id = $1', [id]);

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'sde-erasure-service-'));
    const storage = createObjectStorage(
      { driver: 'local', root, uploadUrlTtlSeconds: 600 },
      { db: harness.db, publicUrl: 'http://127.0.0.1:8080', secretsKey },
    );
    const recorded = recordedMemberChanges();
    published = recorded.published;
    erasure = new ErasureService(
      harness.db,
      harness.repositories.erasure,
      storage,
      recorded.memberChanges,
      deriveReceiptKey(secretsKey),
    );
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('erases the member everywhere, keeps review records anonymised, and says so on the receipt', async () => {
    const { db } = harness;
    await addMember(db, 'es-victim', { gender: 'woman' });
    await addMember(db, 'es-other');
    await db.query(`INSERT INTO swipes (viewer_id, target_id, action) VALUES ('es-victim', 'es-other', 'like')`);
    await db.query(
      `INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms)
       VALUES ('es-victim', 'es-other', 'dwell', 900), ('es-other', 'es-victim', 'dwell', 1200)`,
    );
    await db.query(
      `INSERT INTO connector_accounts (member_id, connector, state) VALUES ('es-victim', 'spotify', 'done')`,
    );
    await addTasteVector(db, 'es-victim', 1);
    await db.transaction((tx) =>
      fileMemberReport(tx, { reporterId: 'es-other', targetId: 'es-victim', reason: 'es-victim was rude' }),
    );
    const victimFiles = [
      storeObject('favorites_raw/spotify/es-victim/page-1.json'),
      storeObject('favorites_raw/spotify/es-victim/page-2.json'),
      storeObject('favorites_raw/member_exports/es-victim/export.json'),
    ];
    const otherFile = storeObject('favorites_raw/spotify/es-other/page-1.json');

    const receipt = await erasure.erase(
      { memberId: 'es-victim', requestedBy: { kind: 'admin', adminId: 'admin-1' }, reason: 'ticket 7 for es-victim' },
      notFound('memberId', 'no such member'),
    );
    expect(receipt).toMatchObject({ memberId: 'es-victim', storage: { objects: 3 } });
    expect(receipt.removed).toMatchObject({ members: 1, connector_accounts: 1, user_taste_vectors: 1 });
    // The report's text names the member: its note and its history event's note are rewritten as well.
    expect(receipt.retained).toEqual([
      { what: 'review flags', how: 'anonymised', count: 1 },
      { what: 'reports and staff actions they authored', how: 'anonymised', count: 2 },
    ]);

    expect(await memberRows('es-victim')).toBe(0);
    expect(await memberRows('es-other')).toBe(1);
    expect(await countOf(db, `SELECT count(*)::int AS n FROM swipes WHERE 'es-victim' IN (viewer_id, target_id)`)).toBe(
      0,
    );
    expect(
      await countOf(db, `SELECT count(*)::int AS n FROM scroll_events WHERE 'es-victim' IN (user_id, target_id)`),
    ).toBe(0);
    // The flag about them leaves with their row; an anonymised copy (no notes, no other member) stays.
    expect(await countOf(db, `SELECT count(*)::int AS n FROM review_flags WHERE viewer_id = 'es-victim'`)).toBe(0);
    expect(
      await countOf(
        db,
        `SELECT count(*)::int AS n FROM erased_review_flags WHERE pseudonym LIKE 'erased:%' AND member_role = 'viewer'`,
      ),
    ).toBe(1);
    expect(victimFiles.map((file) => existsSync(file))).toEqual([false, false, false]);
    expect(existsSync(otherFile)).toBe(true);

    const logged = await db.query<{ subject_hash: string; admin_id: string; reason: string }>(
      'SELECT subject_hash, admin_id, reason FROM erasure_receipts WHERE id = $1',
      [receipt.receiptId],
    );
    expect(logged.rows).toHaveLength(1);
    expect(logged.rows[0]!.subject_hash).toBe(erasure.subjectHash('es-victim'));
    expect(logged.rows[0]!.admin_id).toBe('admin-1');
    expect(logged.rows[0]!.reason).not.toContain('es-victim');
    expect(logged.rows[0]!.reason).toMatch(/^ticket 7 for erased:/);
    expect(published).toEqual([{ memberId: 'es-victim', reason: 'profile' }]);
  });

  it('refuses a repeat with the not-found error the caller supplied', async () => {
    const missing = notFound('memberId', 'no such member');
    const error = await refusalOf(erasure.erase({ memberId: 'es-victim', requestedBy: { kind: 'member' } }, missing));
    expect(error).toBe(missing);
    expect({ kind: error.kind, field: error.field }).toEqual({ kind: 'not_found', field: 'memberId' });
  });

  it('rolls the whole erasure back when the storage cannot delete the member’s folder', async () => {
    await addMember(harness.db, 'es-kept');
    // A file where the member's export folder should be: the storage cannot list it, so the erasure fails.
    storeObject('favorites_raw/member_exports/es-kept');
    const before = published.length;
    await expect(
      erasure.erase({ memberId: 'es-kept', requestedBy: { kind: 'member' } }, notFound('', 'no member record')),
    ).rejects.toThrow();
    expect(await memberRows('es-kept')).toBe(1);
    expect(await countOf(harness.db, 'SELECT count(*)::int AS n FROM erasure_receipts')).toBe(1);
    expect(published.length).toBe(before);
  });
});
