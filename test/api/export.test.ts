// The member data export (GET /api/v2/users/me/export): a member with data in every section gets each
// section as a download; the body holds no connector secret, nothing about other members beyond ids in
// the member's own activity, and what others did about the member only as counts. A large export is a
// job whose JSON lands in object storage and is fetched by its id, by its owner only.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../server/crypto/secret-box.js';
import type { MemberExport } from '../../shared/schemas/export.js';
import { databaseKinds } from '../support/databases.js';
import { freePort } from '../support/processes.js';
import {
  bearer,
  memberWithProfile,
  startTestApp,
  TEST_SECRETS_KEY,
  validAttributes,
  type TestApp,
} from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const EXPORT = '/api/v2/users/me/export';
const REFRESH_TOKEN = 'plain-refresh-token-7f3e1d9c';
const ACCESS_TOKEN = 'plain-access-token-2b8a4c6e';
const OTHER_BIRTHDAY = '1985-11-23';
const OTHER_LAT = 40.4168;
const OTHER_PLACE = 'Madrid, Spain';
const OTHERS_REPORT_REASON = 'reason-written-by-another-member';
const DISPOSITION = /^attachment; filename="sde-export-\d{4}-\d{2}-\d{2}\.json"$/;

const box = new SecretBox(Buffer.from(TEST_SECRETS_KEY, 'base64'));

describe.each(databaseKinds)('member export [%s]', (kind) => {
  let t: TestApp;
  let root: string;
  let sealedRefresh: Buffer;
  let sealedAccess: Buffer;

  const sql = (text: string, params: unknown[] = []) => t.scratch.db.query(text, params);

  /** A member whose profile is elsewhere (Madrid, another birthday), so leaks of it can be searched for. */
  async function otherMember(subject: string): Promise<Record<string, string>> {
    const headers = bearer(await t.token('member', subject));
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/api/v2/users/me/attributes',
      headers,
      payload: {
        ...validAttributes(),
        location: { lat: OTHER_LAT, lon: -3.7038, place: OTHER_PLACE },
        birthday: OTHER_BIRTHDAY,
      },
    });
    expect(saved.statusCode).toBeLessThan(300);
    return headers;
  }

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'sde-export-storage-'));
    // The export job uploads through the server's own signed URLs, so the app listens.
    const port = await freePort();
    t = await startTestApp(kind, {
      fastJobs: true,
      config: {
        publicUrl: `http://127.0.0.1:${port}`,
        storage: { driver: 'local', root, uploadUrlTtlSeconds: 900 },
      },
    });
    await t.app.listen({ host: '127.0.0.1', port });

    await memberWithProfile(t, 'exporter');
    await otherMember('liked-one');
    await otherMember('passed-one');
    await otherMember('watcher');
    await otherMember('reporter');

    await sql(
      `INSERT INTO media (id, kind, title, year) VALUES ('tt-export-1', 'film', 'Export Film One', 1999),
                                                        ('tt-export-2', 'film', 'Export Film Two', 2004)`,
    );
    await sql(
      `INSERT INTO favorites (member_id, media_id, source) VALUES ('exporter', 'tt-export-1', 'manual'),
                                                                 ('exporter', 'tt-export-2', 'spotify')`,
    );
    // Swipes both ways: two made by the exporter, three about them (one a report with a reason).
    const liked = await sql(
      `INSERT INTO swipes (viewer_id, target_id, action) VALUES ('exporter', 'liked-one', 'like') RETURNING id`,
    );
    await sql(`INSERT INTO swipes (viewer_id, target_id, action) VALUES ('exporter', 'passed-one', 'pass')`);
    await sql(`INSERT INTO swipes (viewer_id, target_id, action) VALUES ('liked-one', 'exporter', 'like')`);
    await sql(`INSERT INTO swipes (viewer_id, target_id, action) VALUES ('watcher', 'exporter', 'like')`);
    await sql(
      `INSERT INTO swipes (viewer_id, target_id, action, reason) VALUES ('reporter', 'exporter', 'report', $1)`,
      [OTHERS_REPORT_REASON],
    );
    await sql(
      `INSERT INTO swipe_matches (swipe_id, viewer_id, target_id, matched_at) VALUES ($1, 'exporter', 'liked-one', now())`,
      [(liked.rows[0] as { id: string }).id],
    );
    // Impressions both ways: the exporter was shown liked-one; watcher and reporter were shown the exporter.
    await sql(
      `INSERT INTO slate_impressions (slate_id, position, viewer_id, candidate_id, model_version, arm)
       VALUES ('00000000-0000-4000-8000-00000000e001', 0, 'exporter', 'liked-one', 'ranker-v1', 'control'),
              ('00000000-0000-4000-8000-00000000e002', 0, 'watcher', 'exporter', 'ranker-v1', 'control'),
              ('00000000-0000-4000-8000-00000000e003', 3, 'reporter', 'exporter', 'ranker-v1', 'control')`,
    );
    // Events both ways.
    await sql(
      `INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms) VALUES ('exporter', 'liked-one', 'dwell', 4200),
                                                                            ('watcher', 'exporter', 'dwell', 9100)`,
    );
    sealedRefresh = box.seal(REFRESH_TOKEN, 'spotify:refresh:exporter');
    sealedAccess = box.seal(ACCESS_TOKEN, 'spotify:access:exporter');
    await sql(
      `INSERT INTO connector_accounts (member_id, connector, state, refresh_token_encrypted, access_token_encrypted,
                                       access_token_expires_at, scopes, counts, last_sync_at)
       VALUES ('exporter', 'spotify', 'done', $1, $2, now() + interval '1 hour', '{user-library-read}',
               '{"matched": 2, "unmatched": 1}', now())`,
      [sealedRefresh, sealedAccess],
    );
    const vector = `[${Array.from({ length: 256 }, (_, i) => (i === 0 ? 1 : 0)).join(',')}]`;
    await sql(
      `INSERT INTO user_taste_vectors (user_id, taste, traits, model_version) VALUES ('exporter', $1, '{"films": 2}', 'taste-v7')`,
      [vector],
    );
    await sql(
      `INSERT INTO safety_scores (member_id, harassment_score, source, updated_by) VALUES ('exporter', 0.12, 'moderation-model', 'admin-77')`,
    );
    // A member report about the exporter, filed by `reporter` (its reason is the note, its reporter the creator).
    await sql(
      `INSERT INTO review_flags (viewer_id, note, created_by, source, report_count)
       VALUES ('exporter', $1, 'reporter', 'member_report', 1)`,
      [OTHERS_REPORT_REASON],
    );
    await sql(
      `INSERT INTO preview_audit (reviewer_id, member_id, event, writable) VALUES ('reviewer-9', 'exporter', 'mint', false)`,
    );
    // Cached explanations for the exporter as viewer: the member view is exported, the staff view never.
    const cache = t.app.engine.explanations['cache'];
    cache.set('exporter', 'liked-one', 'ranker-v1', 'member', {
      view: 'member',
      viewerId: 'exporter',
      targetId: 'liked-one',
      reasons: ['You both like film noir'],
    } as never);
    cache.set('exporter', 'passed-one', 'ranker-v1', 'staff', {
      view: 'staff',
      viewerId: 'exporter',
      targetId: 'passed-one',
      staffOnlyValue: 'exact-staff-contribution-0.4242',
    } as never);
    cache.set('watcher', 'exporter', 'ranker-v1', 'member', {
      view: 'member',
      viewerId: 'watcher',
      targetId: 'exporter',
      reasons: ['explanation-built-for-watcher'],
    } as never);
  });
  afterAll(async () => {
    await t?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** The member's inline export; asserts it answered 200, so a search of its body cannot pass on an error. */
  async function exportOf(subject: string) {
    const response = await t.app.inject({
      method: 'GET',
      url: EXPORT,
      headers: bearer(await t.token('member', subject)),
    });
    expect(response.statusCode).toBe(200);
    return response;
  }

  it('holds every section of the caller’s data, as a JSON download', async () => {
    const response = await exportOf('exporter');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(DISPOSITION);
    const body = response.json<MemberExport>();
    expect(body.memberId).toBe('exporter');
    expect(body.profile).toMatchObject({
      location: { lat: 52.52, lon: 13.405, place: 'Berlin, Germany' },
      birthday: '1992-04-17',
      hobbies: ['climbing', 'film noir'],
      communities: ['Berlin Techno'],
      gender: 'woman',
      seeking: ['man', 'nonbinary'],
      connectors: { spotify: { connected: true } },
    });
    expect(body.privacy).toMatchObject({ interests: true, behavioural: true, connectors: true, favorites: true });
    // When each group last changed, once the schema records it (migration 015's `share_*_changed_at`).
    const recorded = await sql(
      `SELECT 1 FROM information_schema.columns WHERE table_name = 'members' AND column_name = 'share_favorites_changed_at'`,
    );
    if (recorded.rows.length > 0) {
      expect(Object.keys(body.privacy!.changedAt ?? {}).sort()).toEqual([
        'behavioural',
        'connectors',
        'favorites',
        'interests',
      ]);
    } else {
      expect(body.privacy!.changedAt).toBeUndefined();
    }
    expect(body.favorites.map((f) => [f.title, f.source])).toEqual([
      ['Export Film One', 'manual'],
      ['Export Film Two', 'spotify'],
    ]);
    expect(body.swipesMade.map((s) => [s.targetId, s.action])).toEqual([
      ['liked-one', 'like'],
      ['passed-one', 'pass'],
    ]);
    expect(body.matches.map((m) => m.memberId)).toEqual(['liked-one']);
    expect(body.slateImpressions).toEqual([
      expect.objectContaining({ candidateId: 'liked-one', position: 0, modelVersion: 'ranker-v1' }),
    ]);
    expect(body.scrollEvents).toEqual([
      expect.objectContaining({ targetId: 'liked-one', kind: 'dwell', dwellMs: 4200 }),
    ]);
    expect(body.connectors).toEqual([
      expect.objectContaining({
        connector: 'spotify',
        state: 'done',
        tokensStored: true,
        counts: { matched: 2, unmatched: 1 },
        lastSyncAt: expect.any(String),
      }),
    ]);
    expect(body.explanations).toEqual([
      { targetId: 'liked-one', modelVersion: 'ranker-v1', explanation: expect.objectContaining({ view: 'member' }) },
    ]);
    expect(body.taste).toMatchObject({ modelVersion: 'taste-v7', traits: { films: 2 } });
    expect(body.taste!.vector).toHaveLength(256);
    expect(body.safetyScore).toMatchObject({ harassmentScore: 0.12, source: 'moderation-model' });
    expect(body.reviewRecords).toEqual([
      expect.objectContaining({ about: 'reports_about_you', status: 'open', reportCount: 1 }),
    ]);
    expect(body.previewAudit).toEqual([expect.objectContaining({ reviewerId: 'reviewer-9', event: 'mint' })]);
  });

  it('holds no connector token or secret: neither the plaintext tokens nor their sealed bytes', async () => {
    const text = (await exportOf('exporter')).body;
    for (const secret of [REFRESH_TOKEN, ACCESS_TOKEN]) expect(text).not.toContain(secret);
    for (const sealed of [sealedRefresh, sealedAccess]) {
      expect(text).not.toContain(sealed.toString('hex'));
      expect(text).not.toContain(sealed.toString('base64'));
      expect(text).not.toContain(sealed.toString('base64url'));
    }
    expect(text).not.toMatch(/token_encrypted|refresh_token|access_token/i);
  });

  it('shows what others did about the caller as counts only: no viewer, swiper or scroller ids', async () => {
    const response = await exportOf('exporter');
    const body = response.json<MemberExport>();
    expect(body.aboutYou).toEqual({
      swipesReceived: { like: 2, report: 1 },
      impressions: { total: 2, slates: 2, lastShownAt: expect.any(String) },
      scrollEventsReceived: { dwell: 1 },
    });
    // `watcher` and `reporter` only saw, swiped on, scrolled past or reported the exporter: never named.
    expect(response.body).not.toContain('watcher');
    expect(response.body).not.toContain('reporter');
    expect(response.body).not.toContain(OTHERS_REPORT_REASON);
    expect(response.body).not.toContain('explanation-built-for-watcher');
    // The staff view of an explanation (exact values) is never exported to the member.
    expect(response.body).not.toContain('exact-staff-contribution');
    // Nor who wrote the moderation score.
    expect(response.body).not.toContain('admin-77');
  });

  it('holds no other member’s coordinates, place or birthday', async () => {
    const text = (await exportOf('exporter')).body;
    expect(text).not.toContain(OTHER_BIRTHDAY);
    expect(text).not.toContain(String(OTHER_LAT));
    expect(text).not.toContain(OTHER_PLACE);
  });

  describe('a large export', () => {
    let exportId: string;

    beforeAll(async () => {
      await memberWithProfile(t, 'bulk-member');
      // One row over the inline limit (10,000): the export becomes a job.
      await sql(
        `INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms, occurred_at)
         SELECT 'bulk-member', 'liked-one', 'dwell', g % 60000, now() - g * interval '1 second'
           FROM generate_series(1, 10001) g`,
      );
    });

    it('answers 202 with a job, then the download once the job has written it to storage', async () => {
      const headers = bearer(await t.token('member', 'bulk-member'));
      const started = await t.app.inject({ method: 'GET', url: EXPORT, headers });
      expect(started.statusCode).toBe(202);
      const job = started.json<{ exportId: string; status: string; statusUrl: string }>();
      expect(job.status).toBe('queued');
      expect(job.statusUrl).toBe(`${EXPORT}/${job.exportId}`);
      exportId = job.exportId;

      // Asking again while it is pending reuses the job instead of queueing another.
      const again = await t.app.inject({ method: 'GET', url: EXPORT, headers });
      expect(again.statusCode).toBe(202);
      expect(again.json().exportId).toBe(exportId);

      const ready = await waitFor(
        async () => {
          const response = await t.app.inject({ method: 'GET', url: job.statusUrl, headers });
          if (response.statusCode === 202) return undefined;
          return response;
        },
        60_000,
        'the export job to write the export',
      );
      expect(ready.statusCode).toBe(200);
      expect(ready.headers['content-disposition']).toMatch(DISPOSITION);
      const body = ready.json<MemberExport>();
      expect(body.memberId).toBe('bulk-member');
      expect(body.scrollEvents).toHaveLength(10_001);
      expect(body.profile?.birthday).toBe('1992-04-17');
      // The JSON is in object storage, under the member's own folder.
      const folder = path.join(root, 'favorites_raw', 'member_exports', 'bulk-member', exportId);
      expect(readdirSync(folder)).toContain('manifest.json');
    });

    it('another member cannot fetch someone else’s export id (404, as for an unknown id)', async () => {
      expect(exportId).toBeDefined();
      const response = await t.app.inject({
        method: 'GET',
        url: `${EXPORT}/${exportId}`,
        headers: bearer(await t.token('member', 'exporter')),
      });
      expect(response.statusCode).toBe(404);
      expect(response.json().message).toMatch(/^params\.exportId: /);
      expect(response.body).not.toContain('bulk-member');
    });
  });

  it('a malformed export id is a 400 naming exportId; an unknown one a 404', async () => {
    const headers = bearer(await t.token('member', 'exporter'));
    const bad = await t.app.inject({ method: 'GET', url: `${EXPORT}/not-an-id`, headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/exportId/);
    const unknown = await t.app.inject({
      method: 'GET',
      url: `${EXPORT}/11111111-2222-4333-8444-555555555555`,
      headers,
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toMatch(/^params\.exportId: /);
  });

  it('is for members only: staff get 403', async () => {
    const response = await t.app.inject({ method: 'GET', url: EXPORT, headers: bearer(await t.token('admin')) });
    expect(response.statusCode).toBe(403);
  });
});
