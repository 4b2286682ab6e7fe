// Erasure (issue 12): a member planted in every table and in object storage is erased by
// DELETE /api/v2/users/me or the admin route, and then a scan of every text, json and array column of
// every table the engine owns (its schema and pgboss, read from the catalog so a table added later is
// scanned too) and of the storage folder finds the member's id nowhere; review flags about them survive
// only as anonymised records.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueContracts } from '../../server/jobs/queues.js';
import { databaseKinds } from '../support/databases.js';
import { bearer, memberWithProfile, startTestApp, type TestApp } from '../support/test-app.js';

const PUBLIC_URL = 'http://127.0.0.1:7300';

describe.each(databaseKinds)('erasure [%s]', (kind) => {
  let t: TestApp;
  let storageRoot: string;
  beforeAll(async () => {
    storageRoot = mkdtempSync(path.join(tmpdir(), 'sde-erasure-storage-'));
    t = await startTestApp(kind, {
      config: { publicUrl: PUBLIC_URL, storage: { driver: 'local', root: storageRoot, uploadUrlTtlSeconds: 900 } },
    });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(storageRoot, { recursive: true, force: true });
  });

  /** Every (schema, table, column) that can hold an id as text, from the catalog. */
  async function scanFor(id: string): Promise<string[]> {
    const { rows: columns } = await t.scratch.db.query<{ schema: string; table_name: string; column_name: string }>(
      `SELECT n.nspname AS schema, c.relname AS table_name, a.attname AS column_name
         FROM pg_catalog.pg_attribute a
         JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN (current_schema(), 'pgboss')
          AND c.relkind IN ('r', 'p', 'm')
          AND a.attnum > 0 AND NOT a.attisdropped
          AND a.atttypid IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype, 'json'::regtype,
                             'jsonb'::regtype, 'text[]'::regtype, 'varchar[]'::regtype, 'bytea'::regtype)`,
    );
    expect(columns.length).toBeGreaterThan(40);
    const found: string[] = [];
    for (const column of columns) {
      const name = `${quote(column.schema)}.${quote(column.table_name)}`;
      const { rows } = await t.scratch.db.query<{ n: string | number }>(
        `SELECT count(*) AS n FROM ${name} WHERE strpos(${quote(column.column_name)}::text, $1) > 0`,
        [id],
      );
      if (Number(rows[0]!.n) > 0) found.push(`${column.schema}.${column.table_name}.${column.column_name}`);
    }
    return found;
  }

  /** Storage paths (and file contents) that name the id. */
  function storageNaming(id: string): string[] {
    const entries = readdirSync(storageRoot, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => {
        const full = path.join(entry.parentPath, entry.name);
        return full.includes(id) || (entry.isFile() && readFileSync(full, 'utf8').includes(id));
      })
      .map((entry) => path.join(entry.parentPath, entry.name));
  }

  /** A member with rows in every table that can name a member, and raw pages in storage. */
  async function plantMember(victim: string): Promise<void> {
    const db = t.scratch.db;
    const other = `other-${randomUUID()}`;
    const victimHeaders = await memberWithProfile(t, victim);
    const otherHeaders = await memberWithProfile(t, other);
    await db.query(
      `INSERT INTO media (id, kind, title) VALUES ('tt-erasure', 'film', 'Erasure Test Film') ON CONFLICT DO NOTHING`,
    );
    await db.query(`INSERT INTO favorites (member_id, media_id) VALUES ($1, 'tt-erasure')`, [victim]);
    await db.query(
      `INSERT INTO user_taste_vectors (user_id, taste, model_version)
       VALUES ($1, array_fill(0.1::real, ARRAY[256])::vector, 'test') ON CONFLICT (user_id) DO NOTHING`,
      [victim],
    );
    // Feedback both ways (a match), and a report by the other member (opens a review item about the victim).
    const feedback = (headers: Record<string, string>, body: object) =>
      t.app.inject({ method: 'POST', url: '/api/v2/discovery/feedback', headers, payload: body });
    expect((await feedback(victimHeaders, { targetId: other, action: 'like' })).statusCode).toBe(201);
    const liked = await feedback(otherHeaders, { targetId: victim, action: 'like' });
    expect(liked.json().match).toBe(true);
    expect(
      (await feedback(otherHeaders, { targetId: victim, action: 'report', reason: `${victim} was rude` })).statusCode,
    ).toBe(201);
    // Slate impressions as viewer (the real slate route), and as candidate.
    await t.app.inject({ method: 'GET', url: '/api/v2/discovery/slate', headers: victimHeaders });
    const slateId = randomUUID();
    await db.query(
      `INSERT INTO slate_impressions (slate_id, position, viewer_id, candidate_id) VALUES ($1, 0, $2, $3)`,
      [slateId, other, victim],
    );
    await db.query(
      `INSERT INTO shadow_rankings (slate_id, viewer_id, served_model, shadow_model, served_order, shadow_order, shadow_scores)
       VALUES ($1, $2, 'a', 'b', ARRAY[$3], ARRAY[$3], ARRAY[0.5])`,
      [slateId, other, victim],
    );
    await db.query(`INSERT INTO experiment_exposures (experiment_key, viewer_id, arm) VALUES ('x', $1, 'control')`, [
      victim,
    ]);
    await db.query(
      `INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms) VALUES ($1, $2, 'dwell', 900), ($2, $1, 'dwell', 1200)`,
      [victim, other],
    );
    await db.query('REFRESH MATERIALIZED VIEW user_dwell_avg');
    await db.query(`INSERT INTO connector_accounts (member_id, connector, state) VALUES ($1, 'spotify', 'done')`, [
      victim,
    ]);
    const scored = await t.app.inject({
      method: 'PUT',
      url: '/api/v2/admin/safety-scores',
      headers: bearer(await t.token('admin')),
      payload: { scores: [{ memberId: victim, harassmentScore: 0.3 }] },
    });
    expect(scored.statusCode).toBe(200);
    // A reviewer previews the member (preview_audit: the mint and the request).
    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/v2/admin/preview-tokens',
      headers: bearer(await t.token('reviewer')),
      payload: { memberId: victim },
    });
    expect(preview.statusCode).toBe(200);
    await t.app.inject({
      method: 'GET',
      url: '/api/v2/users/me/attributes',
      headers: bearer(preview.json().token as string),
    });
    await db.query(
      `INSERT INTO rate_limit_windows (bucket, subject, window_start, count) VALUES ('slate', 'member:' || $1, now(), 1)`,
      [victim],
    );
    await db.query(
      `INSERT INTO token_revocation_cutoffs (subject, issued_before, revoked_by) VALUES ($1, now() - interval '1 day', $1)`,
      [victim],
    );
    await db.query(
      `INSERT INTO cost_ledger (provider, operation, member_id, details) VALUES ('local', 'embed', $1, jsonb_build_object('memberId', $1::text))`,
      [victim],
    );
    // A queued job about the member (the re-embed queued by saving attributes may already have run).
    await t.app.engine.jobs.send(QueueContracts.memberReembed, { memberId: victim, reason: 'profile_saved' });
    // A raw connector page, through the storage driver's own signed upload.
    const upload = await t.app.engine.objectStorage.createUploadUrl(`favorites_raw/spotify/${victim}/1.json`, {
      contentType: 'application/json',
      maxBytes: 1024,
    });
    const parsed = new URL(upload.url);
    const stored = await t.app.inject({
      method: 'PUT',
      url: parsed.pathname + parsed.search,
      headers: upload.headers,
      payload: JSON.stringify({ items: [{ owner: victim }] }),
    });
    expect(stored.statusCode).toBeLessThan(300);
  }

  it('DELETE /users/me erases the member from every table and from storage, keeping only anonymised review flags', async () => {
    const victim = `erase-me-${randomUUID()}`;
    await plantMember(victim);
    const before = await scanFor(victim);
    // The plant reached the tables the erasure has to clean (so an empty scan afterwards means something).
    for (const column of [
      'members.id',
      'favorites.member_id',
      'user_taste_vectors.user_id',
      'swipes.viewer_id',
      'swipes.target_id',
      'swipe_matches.target_id',
      'slate_impressions.candidate_id',
      'shadow_rankings.served_order',
      'experiment_exposures.viewer_id',
      'scroll_events.user_id',
      'scroll_events.target_id',
      'user_dwell_avg.user_id',
      'safety_scores.member_id',
      'connector_accounts.member_id',
      'review_flags.viewer_id',
      'preview_audit.member_id',
      'rate_limit_windows.subject',
      'token_revocation_cutoffs.subject',
      'cost_ledger.member_id',
      'storage_upload_grants.object_key',
      'pgboss.job.data',
    ].filter((column) => !before.some((found) => found.endsWith(column)))) {
      expect.fail(`the plant left ${column} empty`);
    }
    expect(storageNaming(victim).length).toBeGreaterThan(0);

    const token = await t.token('member', victim);
    const response = await t.app.inject({ method: 'DELETE', url: '/api/v2/users/me', headers: bearer(token) });
    expect(response.statusCode).toBe(200);
    const receipt = response.json();
    expect(receipt).toMatchObject({
      memberId: victim,
      erasedAt: expect.any(String),
      storage: { objects: 1 },
      retained: expect.arrayContaining([{ what: 'review flags', how: 'anonymised', count: 1 }]),
    });
    expect(receipt.removed).toMatchObject({
      members: 1,
      favorites: 1,
      user_taste_vectors: 1,
      swipe_matches: 1,
      slate_impressions: expect.any(Number),
      scroll_events: 2,
      connector_accounts: 1,
      safety_scores: 1,
      review_flags: 1,
      shadow_rankings: 1,
      experiment_exposures: 1,
    });
    expect(receipt.removed.swipes).toBeGreaterThanOrEqual(3);

    expect(await scanFor(victim)).toEqual([]);
    expect(storageNaming(victim)).toEqual([]);

    // The reviewers' anonymised record of the report about the member.
    const { rows } = await t.scratch.db.query<{ pseudonym: string; source: string; report_count: number }>(
      `SELECT pseudonym, source, report_count FROM erased_review_flags ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]).toMatchObject({ pseudonym: expect.stringMatching(/^erased:/), source: 'member_report' });
    // The receipt log proves the erasure by a keyed hash, never the id.
    const log = await t.scratch.db.query(`SELECT removed FROM erasure_receipts WHERE id = $1`, [receipt.receiptId]);
    expect(log.rows).toHaveLength(1);

    // The member's old token reaches no data: member routes answer 404; erasing again is a 404 naming it.
    const attributes = await t.app.inject({
      method: 'GET',
      url: '/api/v2/users/me/attributes',
      headers: bearer(token),
    });
    expect(attributes.statusCode).toBe(404);
    const again = await t.app.inject({ method: 'DELETE', url: '/api/v2/users/me', headers: bearer(token) });
    expect(again.statusCode).toBe(404);
    expect(again.json().message).toMatch(/^member: /);
  });

  it('the admin route erases a member by id; an unknown member is a 404 naming body.memberId', async () => {
    const victim = `erase-by-admin-${randomUUID()}`;
    await plantMember(victim);
    const admin = bearer(await t.token('admin'));
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v2/admin/erasures',
      headers: admin,
      payload: { memberId: victim, reason: `ticket 42 for ${victim}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ memberId: victim, removed: { members: 1 }, storage: { objects: 1 } });
    expect(await scanFor(victim)).toEqual([]);
    expect(storageNaming(victim)).toEqual([]);

    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v2/admin/erasures',
      headers: admin,
      payload: { memberId: victim },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toMatch(/^body\.memberId: /);
  });

  it('a reviewer may not file an erasure request (403)', async () => {
    await memberWithProfile(t, 'kept-member');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v2/admin/erasures',
      headers: bearer(await t.token('reviewer')),
      payload: { memberId: 'kept-member' },
    });
    expect(response.statusCode).toBe(403);
    const still = await t.scratch.db.query(`SELECT 1 FROM members WHERE id = 'kept-member'`);
    expect(still.rows).toHaveLength(1);
  });

  it.each([
    ['a missing memberId', {}, 'memberId'],
    ['an empty memberId', { memberId: '' }, 'memberId'],
    ['a non-string memberId', { memberId: 7 }, 'memberId'],
    ['an unknown field', { memberId: 'x', everything: true }, 'everything'],
    ['an over-long reason', { memberId: 'x', reason: 'r'.repeat(501) }, 'reason'],
  ])('bad input to the admin route (%s) is a 400 naming the field', async (_name, payload, field) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v2/admin/erasures',
      headers: bearer(await t.token('admin')),
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(field);
  });

  it('a preview token cannot erase the member it previews (403), and nothing is erased', async () => {
    await memberWithProfile(t, 'previewed-member');
    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/v2/admin/preview-tokens',
      headers: bearer(await t.token('admin')),
      payload: { memberId: 'previewed-member', write: true },
    });
    expect(preview.statusCode).toBe(200);
    const response = await t.app.inject({
      method: 'DELETE',
      url: '/api/v2/users/me',
      headers: bearer(preview.json().token as string),
    });
    expect(response.statusCode).toBe(403);
    const still = await t.scratch.db.query(`SELECT 1 FROM members WHERE id = 'previewed-member'`);
    expect(still.rows).toHaveLength(1);
  });
});

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
