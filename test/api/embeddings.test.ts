// Media embedding through the API with the default local provider: stored as fp16 with its model id,
// skipped (no provider call, no ledger row) when that model's embedding exists, bad input answered with
// 4xx, and the batch job filling every missing embedding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_PROVIDER_ID } from '../../server/embeddings/local-provider.js';
import { Queues } from '../../server/jobs/queues.js';
import { databaseKinds } from '../support/databases.js';
import { dataDirWithSharedWordVectors } from '../support/embeddings-data-dir.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const MEDIA = [
  [
    'tt0083658',
    'film',
    'Blade Runner',
    1982,
    { genres: ['science fiction', 'thriller'], synopsis: 'A detective hunts androids in a dystopian future city.' },
  ],
  [
    'tt0078748',
    'film',
    'Alien',
    1979,
    {
      genres: [{ name: 'science fiction' }, { name: 'horror' }],
      overview: 'The crew of a spaceship meets a deadly alien creature.',
    },
  ],
  [
    'tt0112471',
    'film',
    'Before Sunrise',
    1995,
    { genres: ['romance', 'drama'], synopsis: 'Two young strangers fall in love during one night in Vienna.' },
  ],
  ['OL45883W', 'book', 'Pride and Prejudice', 1813, { genres: 'romance', people: ['Jane Austen'] }],
  ['tt0000001', 'film', 'Odd Metadata', null, 'not an object'],
] as const;

describe.each(databaseKinds)('media embedding, local provider [%s]', (kind) => {
  let t: TestApp;
  let operator: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp(kind, { config: { dataDir: await dataDirWithSharedWordVectors() }, fastJobs: true });
    operator = bearer(await t.token('ml_engineer'));
    for (const [id, mediaKind, title, year, metadata] of MEDIA) {
      await t.scratch.db.query(`INSERT INTO media (id, kind, title, year, metadata) VALUES ($1, $2, $3, $4, $5)`, [
        id,
        mediaKind,
        title,
        year,
        JSON.stringify(metadata),
      ]);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const ledgerRows = async () =>
    (await t.scratch.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM cost_ledger`)).rows[0]!.count;

  it('embeds a media item, stores it as a 100-d halfvec with the model id, and records the call', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v2/media/embed',
      headers: operator,
      payload: { mediaId: 'tt0083658' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      mediaId: 'tt0083658',
      model: LOCAL_PROVIDER_ID,
      dimensions: 100,
      skipped: false,
    });
    const { rows } = await t.scratch.db.query<{ model: string; dims: number; norm: number }>(
      `SELECT embedding_model AS model, vector_dims(embedding::vector) AS dims, vector_norm(embedding::vector) AS norm
         FROM media WHERE id = 'tt0083658'`,
    );
    expect(rows[0]!.model).toBe(LOCAL_PROVIDER_ID);
    expect(rows[0]!.dims).toBe(100);
    expect(rows[0]!.norm).toBeCloseTo(1, 2);
    const ledger = await t.scratch.db.query<{
      provider: string;
      operation: string;
      model: string;
      units: string;
      cost_usd: string;
      member_id: string;
    }>(`SELECT provider, operation, model, units, cost_usd, member_id FROM cost_ledger`);
    expect(ledger.rows).toHaveLength(1);
    expect(ledger.rows[0]).toMatchObject({
      provider: 'local',
      operation: 'embed',
      model: LOCAL_PROVIDER_ID,
      member_id: 'ml_engineer-1',
    });
    expect(Number(ledger.rows[0]!.units)).toBeGreaterThan(5);
    expect(Number(ledger.rows[0]!.cost_usd)).toBe(0);
  });

  it('skips a second embed of the same item: no provider call, no ledger row', async () => {
    const before = await ledgerRows();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v2/media/embed',
      headers: operator,
      payload: { mediaId: 'tt0083658' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ skipped: true, model: LOCAL_PROVIDER_ID });
    expect(await ledgerRows()).toBe(before);
  });

  it('puts similar media closer together than unrelated ones', async () => {
    for (const mediaId of ['tt0078748', 'tt0112471']) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v2/media/embed',
        headers: operator,
        payload: { mediaId },
      });
      expect(response.statusCode).toBe(200);
    }
    const { rows } = await t.scratch.db.query<{ id: string }>(
      `SELECT id FROM media WHERE id <> 'tt0083658' AND embedding IS NOT NULL
        ORDER BY embedding::vector <=> (SELECT embedding::vector FROM media WHERE id = 'tt0083658')`,
    );
    expect(rows.map((row) => row.id)).toEqual(['tt0078748', 'tt0112471']);
  });

  it.each([
    ['an unknown media id', { mediaId: 'tt9999999' }, 404, 'mediaId: no media with id "tt9999999"'],
    ['a missing media id', {}, 400, 'body.mediaId is required'],
    ['an empty media id', { mediaId: '' }, 400, 'body.mediaId'],
    ['a 10 kB media id', { mediaId: 'x'.repeat(10_000) }, 400, 'body.mediaId'],
    ['an unknown field', { mediaId: 'tt0083658', force: true }, 400, 'body.force is not a known field'],
    ['a non-string id', { mediaId: 42 }, 400, 'body.mediaId'],
  ])('answers %s with a clear %i', async (_name, payload, status, message) => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v2/media/embed', headers: operator, payload });
    expect(response.statusCode).toBe(status);
    expect(response.json().message).toContain(message);
  });

  it('refuses members (operators only)', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v2/media/embed',
      headers: bearer(await t.token('member')),
      payload: { mediaId: 'tt0083658' },
    });
    expect(response.statusCode).toBe(403);
  });

  it('fills every missing embedding through the media_embed job', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v2/admin/media/embed-missing',
      headers: bearer(await t.token('admin')),
    });
    expect(response.statusCode).toBe(202);
    const body = response.json<{ jobId: string | null; queued: boolean }>();
    expect(body.queued).toBe(true);
    expect(typeof body.jobId).toBe('string');
    const models = await waitFor(
      async () => {
        const { rows } = await t.scratch.db.query<{ id: string; embedding_model: string | null }>(
          `SELECT id, embedding_model FROM media ORDER BY id`,
        );
        return rows.every((row) => row.embedding_model !== null) ? rows : undefined;
      },
      30_000,
      'the media_embed job',
    );
    expect(models.map((row) => row.embedding_model)).toEqual(new Array(MEDIA.length).fill(LOCAL_PROVIDER_ID));
    const jobs = await t.scratch.db.query<{ state: string }>(
      `SELECT state::text AS state FROM pgboss.job WHERE name = $1`,
      [Queues.mediaEmbed],
    );
    expect(jobs.rows.map((row) => row.state)).toContain('completed');
    // The two media still missing were embedded in one provider call, charged to the job.
    const { rows } = await t.scratch.db.query<{ job_id: string | null; details: { texts: number } }>(
      `SELECT job_id, details FROM cost_ledger ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]!.job_id).toBe(body.jobId);
    expect(rows[0]!.details.texts).toBe(2);
  });
});
