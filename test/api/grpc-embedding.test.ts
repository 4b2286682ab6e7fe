// The gRPC EmbedBatch API through a real @grpc/grpc-js client on 127.0.0.1, around the real app on
// real databases: a batch's vectors equal POST /api/v2/embed's for the same profiles; tokens and roles
// are checked from metadata; malformed batches are INVALID_ARGUMENT naming the field, and a profile
// the model cannot embed is a per-item error that leaves the rest of the batch answered.
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../server/auth/tokens.js';
import { loadEmbeddingService, startGrpcServer, type RunningGrpcServer } from '../../server/grpc/grpc-server.js';
import { TasteService } from '../../server/taste/taste.service.js';
import { databaseKinds } from '../support/databases.js';
import { dataDirWithSharedWordVectors } from '../support/embeddings-data-dir.js';
import { bearer, customToken, startTestApp, testConfig, type TestApp } from '../support/test-app.js';

interface Profile {
  id?: string;
  interests?: string[];
  hobbies?: string[];
  communities?: string[];
  favorites?: string[];
}

interface EmbeddedProfile {
  id: string;
  vector: number[];
  model: string;
  error?: string;
  unresolvedFavorites: string[];
}

type EmbeddingClient = grpc.Client & {
  EmbedBatch(
    request: { items: Profile[] },
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<{ results: EmbeddedProfile[] }>,
  ): grpc.ClientUnaryCall;
};

type Outcome = { ok: true; results: EmbeddedProfile[] } | { ok: false; code: grpc.status; details: string };

const PROFILES: Profile[] = [
  { id: 'a', interests: ['jazz piano'], hobbies: ['climbing'], communities: ['Berlin Techno'] },
  { id: 'b', hobbies: ['baking sourdough', 'opera'] },
  { id: 'c', communities: ['Chess Club'], interests: ['science fiction novels'] },
];

describe.each(databaseKinds)('gRPC sde.v2.Embedding/EmbedBatch [%s]', (kind) => {
  let t: TestApp;
  let server: RunningGrpcServer;
  let client: EmbeddingClient;

  beforeAll(async () => {
    const dataDir = await dataDirWithSharedWordVectors();
    t = await startTestApp(kind, { config: { dataDir } });
    server = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      // The same auth settings the test app signs its tokens with.
      verifyToken: createTokenVerifier(testConfig({ dataDir }).auth),
      taste: new TasteService(t.scratch.db, t.app.engine.repositories.taste, t.app.engine.embeddings),
      rank: t.app.engine.rank,
      log: t.app.log,
    });
    const Embedding = loadEmbeddingService();
    client = new Embedding(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure()) as unknown as EmbeddingClient;
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
    await t?.close();
  });

  function embedBatch(items: Profile[], authorization?: string): Promise<Outcome> {
    const metadata = new grpc.Metadata();
    if (authorization !== undefined) metadata.set('authorization', authorization);
    return new Promise((resolve) =>
      client.EmbedBatch({ items }, metadata, (error, response) =>
        resolve(
          error
            ? { ok: false, code: error.code, details: error.details }
            : { ok: true, results: response?.results ?? [] },
        ),
      ),
    );
  }

  async function asRole(role: 'member' | 'reviewer' | 'ml_engineer' | 'admin') {
    return `Bearer ${await t.token(role, `grpc-${role}`)}`;
  }

  it('embeds a batch of 3 profiles into the same unit vectors as POST /api/v2/embed', async () => {
    const outcome = await embedBatch(PROFILES, await asRole('ml_engineer'));
    if (!outcome.ok) throw new Error(`EmbedBatch failed: ${outcome.code} ${outcome.details}`);
    expect(outcome.results.map((result) => result.id)).toEqual(['a', 'b', 'c']);
    for (const [index, result] of outcome.results.entries()) {
      expect(result.error).toBeUndefined();
      expect(result.vector).toHaveLength(256);
      expect(Math.hypot(...result.vector)).toBeCloseTo(1, 5);
      const body: Profile = { ...PROFILES[index]! };
      delete body.id;
      const rest = await t.app.inject({
        method: 'POST',
        url: '/api/v2/embed',
        headers: bearer(await t.token('member', 'grpc-compare')),
        payload: body,
      });
      expect(rest.statusCode).toBe(200);
      const expected = rest.json<{ vector: number[]; model: string }>();
      expect(result.model).toBe(expected.model);
      const largestDifference = Math.max(...result.vector.map((value, i) => Math.abs(value - expected.vector[i]!)));
      expect(largestDifference).toBeLessThan(1e-6);
    }
    // Different profiles really give different vectors (the comparison above is not vacuous).
    expect(outcome.results[0]!.vector).not.toEqual(outcome.results[1]!.vector);
  });

  it('answers an admin too, and reports an unembeddable profile as that item’s error only', async () => {
    const outcome = await embedBatch(
      [
        { id: 'known', hobbies: ['climbing'] },
        { id: 'gibberish', interests: ['zzqxv qqzzk'] },
        { id: 'unknown-film', favorites: ['no such film anywhere'] },
      ],
      await asRole('admin'),
    );
    if (!outcome.ok) throw new Error(`EmbedBatch failed: ${outcome.code} ${outcome.details}`);
    const [known, gibberish, unknownFilm] = outcome.results;
    expect(known).toMatchObject({ id: 'known', model: expect.stringMatching(/^taste-v1@/) as unknown });
    expect(known!.vector).toHaveLength(256);
    expect(gibberish).toMatchObject({ id: 'gibberish', vector: [], model: '' });
    expect(gibberish!.error).toMatch(/^items\[1\]: nothing to embed; interests and hobbies contain no word/);
    expect(unknownFilm!.error).toMatch(/^items\[2\]: nothing to embed; favorites name no known media item/);
  });

  const authFailures: Array<{ name: string; authorization: () => Promise<string | undefined>; code: grpc.status }> = [
    { name: 'no token', authorization: async () => undefined, code: grpc.status.UNAUTHENTICATED },
    { name: 'not a bearer header', authorization: async () => 'Basic abc', code: grpc.status.UNAUTHENTICATED },
    { name: 'a garbage token', authorization: async () => 'Bearer not.a.jwt', code: grpc.status.UNAUTHENTICATED },
    {
      name: 'a token signed with another secret',
      authorization: async () =>
        `Bearer ${await customToken({ role: 'admin' }, { subject: 'x', secret: 'another-secret-long-enough-for-hs256-000000' })}`,
      code: grpc.status.UNAUTHENTICATED,
    },
    {
      name: 'an expired token',
      authorization: async () =>
        `Bearer ${await customToken({ role: 'admin' }, { subject: 'x', expiresAt: Math.floor(Date.now() / 1000) - 60 })}`,
      code: grpc.status.UNAUTHENTICATED,
    },
    { name: 'a member', authorization: () => asRole('member'), code: grpc.status.PERMISSION_DENIED },
    { name: 'a reviewer', authorization: () => asRole('reviewer'), code: grpc.status.PERMISSION_DENIED },
  ];
  it.each(authFailures)('refuses $name', async ({ authorization, code }) => {
    const outcome = await embedBatch([PROFILES[0]!], await authorization());
    expect(outcome).toMatchObject({ ok: false, code, details: expect.stringMatching(/^authorization: /) as unknown });
  });

  const invalid: Array<{ name: string; items: Profile[]; details: RegExp }> = [
    { name: 'no items', items: [], details: /^items: give at least one profile/ },
    {
      name: 'more than 256 items',
      items: Array.from({ length: 257 }, (_, i) => ({ id: `p${i}`, hobbies: ['chess'] })),
      details: /^items: 257 profiles; at most 256/,
    },
    {
      name: 'an empty item',
      items: [PROFILES[0]!, { id: 'empty' }],
      details: /^items\[1\]: nothing to embed; give at least one of/,
    },
    { name: 'an item without id', items: [{ hobbies: ['chess'] }], details: /^items\[0\]\.id: must not be empty/ },
    {
      name: 'a hobby over the length limit',
      items: [PROFILES[0]!, PROFILES[1]!, PROFILES[2]!, { id: 'd', hobbies: ['chess', 'x'.repeat(201)] }],
      details: /^items\[3\]\.hobbies\[1\]: 201 characters; at most 200/,
    },
    {
      name: 'too many interests',
      items: [{ id: 'e', interests: Array.from({ length: 51 }, (_, i) => `topic ${i}`) }],
      details: /^items\[0\]\.interests: 51 entries; at most 50/,
    },
    {
      name: 'an empty community',
      items: [{ id: 'f', communities: [''] }],
      details: /^items\[0\]\.communities\[0\]: must not be empty/,
    },
  ];
  it.each(invalid)('rejects $name as INVALID_ARGUMENT naming the field', async ({ items, details }) => {
    const outcome = await embedBatch(items, await asRole('ml_engineer'));
    expect(outcome).toMatchObject({ ok: false, code: grpc.status.INVALID_ARGUMENT });
    expect(outcome.ok ? '' : outcome.details).toMatch(details);
  });
});
