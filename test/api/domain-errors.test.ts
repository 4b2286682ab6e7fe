// A service's refusal read through each edge of the real app: the same DomainError is a status and a
// message starting with the located field over HTTP (`body.birthday`), the bare field over GraphQL
// (`birthday`) and gRPC (`items[0]`), and every kind has its one gRPC status.
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../server/auth/tokens.js';
import { DomainError, type DomainErrorKind } from '../../server/errors/domain-errors.js';
import { loadSdeServices, startGrpcServer, type RunningGrpcServer } from '../../server/grpc/grpc-server.js';
import { databaseKinds } from '../support/databases.js';
import { dataDirWithSharedWordVectors } from '../support/embeddings-data-dir.js';
import { bearer, startTestApp, testConfig, validAttributes, type TestApp } from '../support/test-app.js';

type Outcome<T> = { ok: true; response: T } | { ok: false; code: grpc.status; details: string };
type Call<Request, Response> = (
  request: Request,
  metadata: grpc.Metadata,
  callback: grpc.requestCallback<Response>,
) => grpc.ClientUnaryCall;
type EmbedResponse = { results: Array<{ id: string; error?: string }> };
type RankResponse = { rankedIds: string[] };

const GIBBERISH = 'zzqxv qqzzk';

describe.each(databaseKinds)('domain errors at each edge [%s]', (kind) => {
  let t: TestApp;
  let server: RunningGrpcServer;
  let embedding: grpc.Client & { EmbedBatch: Call<{ items: object[] }, EmbedResponse> };
  let ranking: grpc.Client & { Rank: Call<{ viewerId: string; candidateIds: string[] }, RankResponse> };
  /** What the stand-in ranker refuses with: the gRPC edge's mapping, whatever the service. */
  let refusal: DomainError;

  beforeAll(async () => {
    const dataDir = await dataDirWithSharedWordVectors();
    t = await startTestApp(kind, { config: { dataDir } });
    server = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      verifyToken: createTokenVerifier(testConfig({ dataDir }).auth),
      taste: t.app.engine.taste,
      rank: {
        rank: () => Promise.reject(refusal),
      },
      log: t.app.log,
    });
    const { Embedding, Ranking } = loadSdeServices();
    const address = `127.0.0.1:${server.port}`;
    embedding = new Embedding(address, grpc.credentials.createInsecure()) as unknown as typeof embedding;
    ranking = new Ranking(address, grpc.credentials.createInsecure()) as unknown as typeof ranking;
  });
  afterAll(async () => {
    embedding?.close();
    ranking?.close();
    await server?.stop();
    await t?.close();
  });

  async function grpcCall<Request, Response>(
    call: Call<Request, Response>,
    client: grpc.Client,
    request: Request,
  ): Promise<Outcome<Response>> {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${await t.token('admin', 'edge-admin')}`);
    return new Promise((resolve) =>
      call.call(client, request, metadata, (error, response) =>
        resolve(error ? { ok: false, code: error.code, details: error.details } : { ok: true, response: response! }),
      ),
    );
  }

  it('reads an attributes refusal as body.birthday over HTTP and birthday over GraphQL, both 422', async () => {
    const attributes = { ...validAttributes(), birthday: '2999-01-01' };
    const http = await t.app.inject({
      method: 'PUT',
      url: '/api/v2/users/me/attributes',
      headers: bearer(await t.token('member', 'edge-http')),
      payload: attributes,
    });
    expect(http.statusCode).toBe(422);
    expect(http.json()).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'body.birthday: must be in the past',
    });

    const graphql = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: bearer(await t.token('member', 'edge-graphql')),
      payload: {
        query: 'mutation Save($input: UserAttributesInput!) { upsertUserAttributes(input: $input) { memberId } }',
        variables: { input: attributes },
      },
    });
    expect(graphql.statusCode).toBe(422);
    expect(graphql.json()).toMatchObject({
      statusCode: 422,
      message: 'birthday: must be in the past',
      data: null,
      errors: [{ message: 'birthday: must be in the past' }],
    });
  });

  it('reads a taste refusal of the whole profile as body over HTTP and as its item over gRPC', async () => {
    const http = await t.app.inject({
      method: 'POST',
      url: '/api/v2/embed',
      headers: bearer(await t.token('member', 'edge-member')),
      payload: { interests: [GIBBERISH] },
    });
    expect(http.statusCode).toBe(422);
    expect(http.json().message).toBe(
      'body: nothing to embed; interests and hobbies contain no word the text model knows',
    );

    const batch = await grpcCall(embedding.EmbedBatch, embedding, {
      items: [
        { id: 'known', hobbies: ['climbing'] },
        { id: 'gibberish', interests: [GIBBERISH] },
      ],
    });
    if (!batch.ok) throw new Error(`EmbedBatch failed: ${batch.code} ${batch.details}`);
    expect(batch.response.results[0]!.error ?? '').toBe('');
    expect(batch.response.results[1]!.error).toBe(
      'items[1]: nothing to embed; interests and hobbies contain no word the text model knows',
    );
  });

  it.each<[DomainErrorKind, grpc.status]>([
    ['malformed', grpc.status.INVALID_ARGUMENT],
    ['invalid', grpc.status.INVALID_ARGUMENT],
    ['forbidden', grpc.status.PERMISSION_DENIED],
    ['not_found', grpc.status.NOT_FOUND],
    ['conflict', grpc.status.FAILED_PRECONDITION],
    ['gone', grpc.status.NOT_FOUND],
    ['too_large', grpc.status.INVALID_ARGUMENT],
    ['unsupported_media_type', grpc.status.INVALID_ARGUMENT],
    ['unavailable', grpc.status.FAILED_PRECONDITION],
  ])('answers a %s refusal over gRPC with status %i and the bare field', async (refusalKind, code) => {
    refusal = new DomainError(refusalKind, 'is refused', { field: 'candidateIds[1]' });
    const outcome = await grpcCall(ranking.Rank, ranking, { viewerId: 'edge-member', candidateIds: ['a', 'b'] });
    expect(outcome).toEqual({ ok: false, code, details: 'candidateIds[1]: is refused' });
  });

  it('answers an upstream failure over gRPC as UNAVAILABLE without the upstream’s words', async () => {
    refusal = new DomainError('upstream_failed', 'openai answered 500', { topic: 'provider' });
    const outcome = await grpcCall(ranking.Rank, ranking, { viewerId: 'edge-member', candidateIds: ['a'] });
    expect(outcome).toEqual({
      ok: false,
      code: grpc.status.UNAVAILABLE,
      details: 'the embedding provider failed; retry the batch later',
    });
  });
});
