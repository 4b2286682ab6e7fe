// The gRPC Rank API through a real @grpc/grpc-js client on 127.0.0.1, around the real app on real
// databases: the same order and scores as POST /api/v2/discovery/rank, the same rules on whose slate a
// caller may rank, and every bad request answered with a status and a message naming the field.
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RankedList } from '../../shared/schemas/ranking.js';
import { createTokenVerifier } from '../../server/auth/tokens.js';
import { loadSdeServices, startGrpcServer, type RunningGrpcServer } from '../../server/grpc/grpc-server.js';
import { databaseKinds } from '../support/databases.js';
import { hobbyRankerModel, seedFeedback, type SeededFeedback } from '../support/feedback.js';
import { bearer, startTestApp, testConfig, type TestApp } from '../support/test-app.js';
import { registerRanker } from '../support/register-ranker.js';

interface RankRequest {
  viewerId?: string;
  candidateIds?: string[];
}
interface RankResponse {
  rankedIds: string[];
  scores: number[];
  model: string;
}
type RankingClient = grpc.Client & {
  Rank(
    request: RankRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<RankResponse>,
  ): grpc.ClientUnaryCall;
};
type Outcome = { ok: true; response: RankResponse } | { ok: false; code: grpc.status; details: string };

describe.each(databaseKinds)('gRPC sde.v2.Ranking/Rank [%s]', (kind) => {
  let t: TestApp;
  let server: RunningGrpcServer;
  let client: RankingClient;
  let seeded: SeededFeedback;
  let viewer: string;
  let viewerToken: string;

  beforeAll(async () => {
    t = await startTestApp(kind);
    seeded = await seedFeedback(t.scratch.db, { viewers: 2, candidates: 6 });
    viewer = seeded.viewerIds[0]!;
    viewerToken = await t.token('member', viewer);
    server = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      verifyToken: createTokenVerifier(testConfig().auth),
      taste: t.app.engine.taste,
      rank: t.app.engine.rank,
      log: t.app.log,
    });
    const { Ranking } = loadSdeServices();
    client = new Ranking(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure()) as unknown as RankingClient;
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
    await t?.close();
  });

  function rank(request: RankRequest, token: string | null = viewerToken): Promise<Outcome> {
    const metadata = new grpc.Metadata();
    if (token !== null) metadata.set('authorization', `Bearer ${token}`);
    return new Promise((resolve) =>
      client.Rank(request, metadata, (error, response) =>
        resolve(error ? { ok: false, code: error.code, details: error.details } : { ok: true, response: response! }),
      ),
    );
  }

  it('is FAILED_PRECONDITION while no model is live', async () => {
    const outcome = await rank({ viewerId: viewer, candidateIds: seeded.candidateIds });
    expect(outcome).toMatchObject({ ok: false, code: grpc.status.FAILED_PRECONDITION });
    expect(!outcome.ok && outcome.details).toMatch(/^ranker: no live ranking model/);
  });

  it('ranks exactly as the HTTP API does', async () => {
    await registerRanker(t.app.engine.models, 'grpc-hobby', hobbyRankerModel(), 'live');
    const staffToken = await t.token('ml_engineer', 'ranking-backend');
    const outcome = await rank({ viewerId: viewer, candidateIds: seeded.candidateIds }, staffToken);
    if (!outcome.ok) throw new Error(outcome.details);
    const http = await t.app.inject({
      method: 'POST',
      url: '/api/v2/discovery/rank',
      payload: { viewerId: viewer, candidateIds: seeded.candidateIds },
      headers: bearer(staffToken),
    });
    const ranked = http.json<RankedList>();
    expect(outcome.response.model).toBe('grpc-hobby');
    expect(outcome.response.rankedIds).toEqual(ranked.map((entry) => entry.userId));
    expect(outcome.response.scores).toEqual(ranked.map((entry) => entry.score));
    expect(new Set(outcome.response.rankedIds.slice(0, seeded.sharingHobby.length))).toEqual(
      new Set(seeded.sharingHobby),
    );
    // A member gets the same order and no scores (a stranger's score would reveal their distance).
    const asMember = await rank({ viewerId: viewer, candidateIds: seeded.candidateIds });
    if (!asMember.ok) throw new Error(asMember.details);
    expect(asMember.response.rankedIds).toEqual(outcome.response.rankedIds);
    expect(asMember.response.scores).toEqual([]);
  });

  it.each<[string, RankRequest, grpc.status, RegExp]>([
    ['no viewer', { candidateIds: ['a'] }, grpc.status.INVALID_ARGUMENT, /^viewer_id: must be 1-128 characters/],
    ['no candidates', { viewerId: 'v' }, grpc.status.INVALID_ARGUMENT, /^candidate_ids: must hold 1-1000 ids, got 0/],
    [
      'an empty candidate id',
      { viewerId: 'v', candidateIds: ['a', ''] },
      grpc.status.INVALID_ARGUMENT,
      /^candidate_ids\[1\]: must be/,
    ],
    [
      'a duplicate candidate',
      { viewerId: 'v', candidateIds: ['a', 'b', 'a'] },
      grpc.status.INVALID_ARGUMENT,
      /^candidate_ids\[2\]: "a" appears twice/,
    ],
  ])('rejects %s', async (_name, request, code, message) => {
    const outcome = await rank(request, await t.token('admin', 'admin-1'));
    expect(outcome).toMatchObject({ ok: false, code });
    expect(!outcome.ok && outcome.details).toMatch(message);
  });

  it('reports unknown candidates and an unknown viewer', async () => {
    const unknownCandidates = await rank({ viewerId: viewer, candidateIds: [seeded.candidateIds[0]!, 'nobody'] });
    expect(unknownCandidates).toMatchObject({ ok: false, code: grpc.status.INVALID_ARGUMENT });
    expect(!unknownCandidates.ok && unknownCandidates.details).toMatch(
      // The bare field, as the gRPC request names it: no HTTP location (`body.`) leaks into this API.
      /^candidateIds: 1 unknown member\(s\) "nobody" \(unknown, or not suggested to you/,
    );
    const unknownViewer = await rank(
      { viewerId: 'ghost', candidateIds: [seeded.candidateIds[0]!] },
      await t.token('admin', 'a'),
    );
    expect(unknownViewer).toMatchObject({ ok: false, code: grpc.status.NOT_FOUND });
    expect(!unknownViewer.ok && unknownViewer.details).toMatch(/^viewerId: member "ghost" has no saved attributes/);
  });

  it('checks the token and whose slate the caller may rank', async () => {
    expect(await rank({ viewerId: viewer, candidateIds: ['a'] }, null)).toMatchObject({
      ok: false,
      code: grpc.status.UNAUTHENTICATED,
    });
    const otherViewer = await rank({ viewerId: seeded.viewerIds[1]!, candidateIds: [seeded.candidateIds[0]!] });
    expect(otherViewer).toMatchObject({ ok: false, code: grpc.status.PERMISSION_DENIED });
    expect(!otherViewer.ok && otherViewer.details).toBe('viewerId: role "member" may only rank candidates for itself');
    const reviewer = await rank(
      { viewerId: seeded.viewerIds[1]!, candidateIds: [seeded.candidateIds[0]!] },
      await t.token('reviewer', 'r'),
    );
    expect(reviewer.ok).toBe(true);
  });
});
