// Privacy settings (issue 12): GET/PATCH /api/v2/discovery/privacy and the GraphQL fields read and switch
// the four feature groups; turning a group off deletes what it holds in the same transaction, behavioural
// opt-outs are enforced in the database, and favorites stay without a taste vector until turned back on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueContracts, Queues } from '../../server/jobs/queues.js';
import { PairFeaturesService } from '../../server/features/pair-features.service.js';
import { PairFeaturesRepository } from '../../server/features/pair-features.repository.js';
import { PAIR_FEATURE_NAMES } from '../../server/features/pair-feature-spec.js';
import { databaseKinds } from '../support/databases.js';
import { dataDirWithSharedWordVectors } from '../support/embeddings-data-dir.js';
import { bearer, memberWithProfile, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const URL = '/api/v2/discovery/privacy';
const ALL_ON = {
  interests: { enabled: true, changedAt: null },
  behavioural: { enabled: true, changedAt: null },
  connectors: { enabled: true, changedAt: null },
  favorites: { enabled: true, changedAt: null },
};

type Effect = { effect: string; group?: string; count?: number; at?: string };

describe.each(databaseKinds)('privacy settings [%s]', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { fastJobs: true, config: { dataDir: await dataDirWithSharedWordVectors() } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const patch = (headers: Record<string, string>, payload: unknown) =>
    t.app.inject({ method: 'PATCH', url: URL, headers, payload: payload as object });
  const count = async (sql: string, params: unknown[]) =>
    (await t.scratch.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]!.n;
  const reembedJobs = (member: string) =>
    count(`pgboss.job WHERE name = $1 AND singleton_key = $2`, [Queues.memberReembed, member]);
  const vectorCount = (member: string) => count('user_taste_vectors WHERE user_id = $1', [member]);
  const reembedsSettled = (member: string) =>
    waitFor(
      async () =>
        (await count(`pgboss.job WHERE name = $1 AND singleton_key = $2 AND state::text NOT IN ('completed')`, [
          Queues.memberReembed,
          member,
        ])) === 0
          ? true
          : undefined,
      60_000,
      `${member}'s re-embeds to complete`,
    );
  const insertEvent = (viewer: string, target: string) =>
    t.scratch.db.query(
      `INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms) VALUES ($1, $2, 'dwell', 1500)`,
      [viewer, target],
    );

  it('GET answers the defaults: every group on, never changed', async () => {
    const headers = await memberWithProfile(t, 'pv-defaults');
    const response = await t.app.inject({ method: 'GET', url: URL, headers });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ settings: ALL_ON, effects: [] });
  });

  it.each([
    ['an unknown group', { location: false }, 'body.location'],
    ['a non-boolean value', { favorites: 'no' }, 'body.favorites'],
    ['a number for a boolean', { behavioural: 0 }, 'body.behavioural'],
    ['an empty body', {}, 'body: name at least one of interests, behavioural, connectors, favorites'],
  ])('PATCH with %s is a 400 naming the field', async (_name, payload, field) => {
    const headers = await memberWithProfile(t, 'pv-bad');
    const response = await patch(headers, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().message.startsWith(field)).toBe(true);
    // Nothing changed.
    expect((await t.app.inject({ method: 'GET', url: URL, headers })).json().settings).toEqual(ALL_ON);
  });

  it('a PATCH that changes nothing answers 200 and queues no re-embed', async () => {
    const headers = await memberWithProfile(t, 'pv-noop');
    const before = await reembedJobs('pv-noop');
    const response = await patch(headers, { interests: true, favorites: true });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ settings: ALL_ON, effects: [] });
    expect(await reembedJobs('pv-noop')).toBe(before);
  });

  it('PATCH before any profile is saved is a 404 naming the member', async () => {
    const response = await patch(bearer(await t.token('member', 'pv-nobody')), { interests: false });
    expect(response.statusCode).toBe(404);
    expect(response.json().message.startsWith('member:')).toBe(true);
  });

  it('interests off and on: the change time is recorded and a re-embed is queued each way', async () => {
    const headers = await memberWithProfile(t, 'pv-interests');
    await reembedsSettled('pv-interests');
    const before = await reembedJobs('pv-interests');
    const off = await patch(headers, { interests: false });
    expect(off.statusCode).toBe(200);
    const body = off.json();
    expect(body.settings.interests.enabled).toBe(false);
    expect(Date.parse(body.settings.interests.changedAt)).not.toBeNaN();
    expect(body.settings.favorites).toEqual({ enabled: true, changedAt: null });
    expect(body.effects.map((e: Effect) => e.effect)).toEqual(['reembed_queued', 'caches_invalidated']);
    expect(await reembedJobs('pv-interests')).toBe(before + 1);
    const persisted = await t.app.inject({ method: 'GET', url: URL, headers });
    expect(persisted.json().settings.interests).toEqual(body.settings.interests);

    await reembedsSettled('pv-interests');
    const on = await patch(headers, { interests: true });
    expect(on.json().settings.interests.enabled).toBe(true);
    expect(on.json().effects.map((e: Effect) => e.effect)).toContain('reembed_queued');
    expect(await reembedJobs('pv-interests')).toBe(before + 2);
  });

  it('behavioural off: existing events are deleted at once and new ones are not stored, on any path', async () => {
    const headers = await memberWithProfile(t, 'pv-behaviour');
    await memberWithProfile(t, 'pv-behaviour-other');
    await insertEvent('pv-behaviour', 'pv-behaviour-other');
    await insertEvent('pv-behaviour', 'pv-behaviour-other');

    const response = await patch(headers, { behavioural: false });
    expect(response.statusCode).toBe(200);
    expect(response.json().effects).toContainEqual({
      effect: 'behavioural_events_deleted',
      group: 'behavioural',
      count: 2,
    });
    expect(await count('scroll_events WHERE user_id = $1', ['pv-behaviour'])).toBe(0);

    // A write straight into the table (not through the engine) is skipped by the database.
    await insertEvent('pv-behaviour', 'pv-behaviour-other');
    expect(await count('scroll_events WHERE user_id = $1', ['pv-behaviour'])).toBe(0);
    // Other members' events are still stored.
    await insertEvent('pv-behaviour-other', 'pv-behaviour');
    expect(await count('scroll_events WHERE user_id = $1', ['pv-behaviour-other'])).toBe(1);

    // Back on: events are stored again.
    await patch(headers, { behavioural: true });
    await insertEvent('pv-behaviour', 'pv-behaviour-other');
    expect(await count('scroll_events WHERE user_id = $1', ['pv-behaviour'])).toBe(1);
  });

  it('connectors off: stored connector tokens are deleted and syncs stop', async () => {
    const headers = await memberWithProfile(t, 'pv-connectors');
    await t.scratch.db.query(
      `INSERT INTO connector_accounts (member_id, connector, refresh_token_encrypted, access_token_encrypted,
                                       access_token_expires_at)
       VALUES ($1, 'spotify', '\\x0102', '\\x0304', now() + interval '1 hour')`,
      ['pv-connectors'],
    );
    const response = await patch(headers, { connectors: false });
    expect(response.statusCode).toBe(200);
    expect(response.json().effects).toEqual(
      expect.arrayContaining([
        { effect: 'connector_syncs_stopped', group: 'connectors' },
        { effect: 'connector_tokens_revoked', group: 'connectors', count: 1 },
      ]),
    );
    expect(await count('connector_accounts WHERE member_id = $1', ['pv-connectors'])).toBe(0);
  });

  it('connectors off: favorites that came only from a connector stop counting in pair features', async () => {
    const viewer = await memberWithProfile(t, 'pv-cf-viewer');
    await memberWithProfile(t, 'pv-cf-candidate');
    await t.scratch.db.query(
      `INSERT INTO media (id, kind, title) VALUES ('pv-cf-manual', 'film', 'Chosen by hand'), ('pv-cf-synced', 'recording', 'Synced')`,
    );
    await t.scratch.db.query(
      `INSERT INTO favorites (member_id, media_id, source)
       VALUES ('pv-cf-viewer', 'pv-cf-manual', 'manual'), ('pv-cf-viewer', 'pv-cf-synced', 'spotify'),
              ('pv-cf-candidate', 'pv-cf-manual', 'manual'), ('pv-cf-candidate', 'pv-cf-synced', 'spotify')`,
    );
    const sharedFavorites = async () => {
      const batch = await new PairFeaturesService(new PairFeaturesRepository(t.scratch.db)).featuresFor(
        'pv-cf-viewer',
        ['pv-cf-candidate'],
      );
      return batch.rows[PAIR_FEATURE_NAMES.indexOf('shared_favorites')];
    };
    expect(await sharedFavorites()).toBe(2);
    expect((await patch(viewer, { connectors: false })).statusCode).toBe(200);
    // Favorites stay shared: the favorite added by hand still counts, the synced one no longer does.
    expect(await sharedFavorites()).toBe(1);
    expect((await patch(viewer, { connectors: true })).statusCode).toBe(200);
    expect(await sharedFavorites()).toBe(2);
  });

  it('connectors off: a queued Spotify sync is skipped by the worker', async () => {
    const headers = await memberWithProfile(t, 'pv-sync');
    await patch(headers, { connectors: false });
    // An account that reappeared (e.g. a reconnect) while sharing is off: its sync must not run.
    await t.scratch.db.query(
      `INSERT INTO connector_accounts (member_id, connector, refresh_token_encrypted) VALUES ($1, 'spotify', '\\x0102')`,
      ['pv-sync'],
    );
    const jobId = await t.app.engine.jobs.send(
      QueueContracts.spotifyIngest,
      { memberId: 'pv-sync' },
      { singletonKey: 'pv-sync' },
    );
    await waitFor(
      async () => {
        const { rows } = await t.scratch.db.query<{ state: string }>(
          `SELECT state::text AS state FROM pgboss.job WHERE id = $1`,
          [jobId],
        );
        return rows[0]?.state === 'completed' || rows[0]?.state === 'failed' ? rows[0].state : undefined;
      },
      60_000,
      'the spotify sync job to finish',
    );
    // A sync that ran would have started (state 'syncing') or failed ('error': Spotify is not configured here).
    const account = await t.scratch.db.query<{ state: string }>(
      `SELECT state FROM connector_accounts WHERE member_id = $1`,
      ['pv-sync'],
    );
    expect(account.rows[0]?.state).toBe('idle');
  });

  it('favorites off: the taste vector and traits are deleted at once and the re-embed does not recreate them', async () => {
    const headers = await memberWithProfile(t, 'pv-favorites');
    await reembedsSettled('pv-favorites');
    expect(await vectorCount('pv-favorites')).toBe(1);

    const off = await patch(headers, { favorites: false });
    expect(off.statusCode).toBe(200);
    expect(off.json().effects).toContainEqual({ effect: 'taste_vector_deleted', group: 'favorites', count: 1 });
    expect(await vectorCount('pv-favorites')).toBe(0);

    // The re-embed the change queued runs, and the vector stays gone while favorites are off.
    await reembedsSettled('pv-favorites');
    expect(await vectorCount('pv-favorites')).toBe(0);

    // Back on: a rebuild is queued and the vector returns once it ran.
    const on = await patch(headers, { favorites: true });
    expect(on.json().effects).toContainEqual({ effect: 'rebuild_queued', group: 'favorites' });
    await waitFor(async () => ((await vectorCount('pv-favorites')) === 1 ? true : undefined), 60_000, 'the vector');
  });

  it('over GraphQL: the privacy query and the updatePrivacy mutation, with the same validation', async () => {
    const headers = await memberWithProfile(t, 'pv-gql');
    const gql = (query: string, variables?: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: '/graphql', headers, payload: { query, variables } });
    const read = await gql('{ privacy { settings { favorites { enabled changedAt } } effects { effect } } }');
    expect(read.json()).toEqual({
      data: { privacy: { settings: { favorites: { enabled: true, changedAt: null } }, effects: [] } },
    });

    const UPDATE = `mutation Update($input: PrivacyInput!) {
      updatePrivacy(input: $input) { settings { interests { enabled changedAt } } effects { effect group count } }
    }`;
    const updated = await gql(UPDATE, { input: { interests: false } });
    expect(updated.statusCode).toBe(200);
    const result = updated.json().data.updatePrivacy;
    expect(result.settings.interests.enabled).toBe(false);
    expect(result.effects.map((e: Effect) => e.effect)).toContain('reembed_queued');

    const empty = await gql(UPDATE, { input: {} });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].message).toBe(
      'input: name at least one of interests, behavioural, connectors, favorites',
    );
  });
});

describe.each(databaseKinds)('behavioural grace period [%s]', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { fastJobs: true, config: { privacy: { behaviouralGraceDays: 3 } } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('with a grace period, events are kept until the daily job finds the opt-out older than it', async () => {
    const headers = await memberWithProfile(t, 'pv-grace');
    await memberWithProfile(t, 'pv-grace-other');
    await t.scratch.db.query(
      `INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms) VALUES ('pv-grace', 'pv-grace-other', 'dwell', 900)`,
    );
    const response = await t.app.inject({ method: 'PATCH', url: URL, headers, payload: { behavioural: false } });
    const scheduled = response.json().effects.find((e: Effect) => e.effect === 'behavioural_events_deletion_scheduled');
    expect(Date.parse(scheduled.at) - Date.now()).toBeGreaterThan(2.9 * 24 * 3600 * 1000);
    const events = async () =>
      (
        await t.scratch.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM scroll_events WHERE user_id = 'pv-grace'`,
        )
      ).rows[0]!.n;
    expect(await events()).toBe(1);

    // Inside the grace period the purge keeps them …
    const runPurge = async () => {
      const id = await t.app.engine.jobs.send(QueueContracts.privacyBehaviouralPurge, {});
      await waitFor(
        async () => {
          const { rows } = await t.scratch.db.query<{ state: string }>(
            `SELECT state::text AS state FROM pgboss.job WHERE id = $1`,
            [id],
          );
          return rows[0]?.state === 'completed' ? true : undefined;
        },
        60_000,
        'the purge job',
      );
    };
    await runPurge();
    expect(await events()).toBe(1);
    // … and once the opt-out is older than it, deletes them.
    await t.scratch.db.query(
      `UPDATE members SET share_behavioural_changed_at = now() - interval '4 days' WHERE id = 'pv-grace'`,
    );
    await runPurge();
    expect(await events()).toBe(0);
  });
});
