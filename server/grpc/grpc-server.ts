// The internal gRPC API (proto/sde/v2/): `sde.v2.Embedding/EmbedBatch` embeds many profiles in one call
// with the same TasteService as POST /api/v2/embed, for bulk callers (notebooks, offline jobs) that would
// otherwise make hundreds of HTTP requests (roles ml_engineer and admin); `sde.v2.Ranking/Rank` orders a
// viewer's candidates with the same RankService as POST /api/v2/discovery/rank (any role, the service
// checks whose slate). Bearer JWT in metadata. Listens beside the Fastify app; its lifetime is the
// caller's (server/main.ts).
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { FastifyBaseLogger } from 'fastify';
import { RANK_LIMITS } from '../../shared/schemas/ranking.js';
import { ANY_ROLE, OPERATORS, type Role } from '../../shared/schemas/roles.js';
import type { EmbedProfileBody, EmbedProfileResult } from '../../shared/schemas/taste.js';
import { TokenRejected, type Principal, type TokenVerifier } from '../auth/tokens.js';
import type { Attribution } from '../embeddings/embeddings.service.js';
import { DomainError, type DomainErrorKind } from '../errors/domain-errors.js';
import { checkEmbedBatch, type ProfileToEmbed } from './embed-batch-request.js';

/** Resolved from this file, so it works from any working directory. */
export const EMBEDDING_PROTO_PATH = fileURLToPath(new URL('../../proto/sde/v2/embedding.proto', import.meta.url));
export const RANKING_PROTO_PATH = fileURLToPath(new URL('../../proto/sde/v2/ranking.proto', import.meta.url));

/** Who may call EmbedBatch: internal callers only, like the other bulk/admin operations. */
export const EMBED_BATCH_ACCESS = OPERATORS;

/**
 * 256 maximal profiles are ~30 MB, but real ones are a few hundred bytes; 16 MB leaves room for big
 * batches while bounding memory. Bigger messages are refused by gRPC with RESOURCE_EXHAUSTED.
 */
const MAX_RECEIVE_BYTES = 16 * 1024 * 1024;

/** How long stop() lets in-flight calls finish before cutting them off. */
const SHUTDOWN_GRACE_MS = 10_000;

/** What the service needs of TasteService (a structural type keeps the tests on the real class). */
export interface ProfileEmbedder {
  embedProfile(body: EmbedProfileBody, attribution: Attribution): Promise<EmbedProfileResult>;
}

/** What the service needs of RankService. */
export interface CandidateRanker {
  rank(
    caller: Principal,
    viewerId: string,
    candidateIds: readonly string[],
  ): Promise<{ model: string; ranked: Array<{ userId: string; score?: number }> }>;
}

export interface GrpcServerOptions {
  host: string;
  /** 0 picks a free port (tests); the bound port is returned. */
  port: number;
  verifyToken: TokenVerifier;
  taste: ProfileEmbedder;
  rank: CandidateRanker;
  log: FastifyBaseLogger;
}

export interface RunningGrpcServer {
  port: number;
  /** Stops accepting calls, lets in-flight ones finish (up to 10 s), then closes. */
  stop(): Promise<void>;
}

interface EmbeddedProfile {
  id: string;
  vector: number[];
  model: string;
  error?: string;
  unresolvedFavorites: string[];
}

interface EmbedBatchRequest {
  items: ProfileToEmbed[];
}

interface EmbedBatchResponse {
  results: EmbeddedProfile[];
}

interface RankRequest {
  viewerId: string;
  candidateIds: string[];
}

interface RankResponse {
  rankedIds: string[];
  scores: number[];
  model: string;
}

type SdeServices = Record<'Embedding' | 'Ranking', grpc.ServiceClientConstructor>;

/** The loaded `sde.v2` services; the tests build their clients from the same definitions. */
export function loadSdeServices(): SdeServices {
  const definition = protoLoader.loadSync([EMBEDDING_PROTO_PATH, RANKING_PROTO_PATH], {
    keepCase: false,
    longs: String,
    enums: String,
    // Absent repeated fields decode as [] and absent strings as '', so validation sees every field.
    defaults: true,
    arrays: true,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as { sde: { v2: SdeServices } };
  return loaded.sde.v2;
}

export function loadEmbeddingService(): grpc.ServiceClientConstructor {
  return loadSdeServices().Embedding;
}

export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_RECEIVE_BYTES });
  const services = loadSdeServices();
  const embedBatch: grpc.handleUnaryCall<EmbedBatchRequest, EmbedBatchResponse> = (call, callback) => {
    handleEmbedBatch(call, options).then(
      (response) => callback(null, response),
      (error: unknown) => callback(toServiceError(error, 'EmbedBatch', options.log)),
    );
  };
  const rank: grpc.handleUnaryCall<RankRequest, RankResponse> = (call, callback) => {
    handleRank(call, options).then(
      (response) => callback(null, response),
      (error: unknown) => callback(toServiceError(error, 'Rank', options.log)),
    );
  };
  server.addService(services.Embedding.service, { EmbedBatch: embedBatch });
  server.addService(services.Ranking.service, { Rank: rank });

  const address = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  options.log.info({ port }, 'gRPC server listening (sde.v2.Embedding, sde.v2.Ranking)');

  let stopping: Promise<void> | undefined;
  return {
    port,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        const forced = setTimeout(() => server.forceShutdown(), SHUTDOWN_GRACE_MS);
        server.tryShutdown(() => {
          clearTimeout(forced);
          resolve();
        });
      });
      return stopping;
    },
  };
}

/** A failure the caller should see as is: the gRPC status and a message naming the field. */
class CallRejected extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

async function handleEmbedBatch(
  call: grpc.ServerUnaryCall<EmbedBatchRequest, EmbedBatchResponse>,
  { verifyToken, taste }: GrpcServerOptions,
): Promise<EmbedBatchResponse> {
  const principal = await authenticate(call.metadata, verifyToken, EMBED_BATCH_ACCESS, 'sde.v2.Embedding/EmbedBatch');
  const check = checkEmbedBatch(call.request.items);
  if (!check.ok) throw new CallRejected(grpc.status.INVALID_ARGUMENT, check.message);

  const results: EmbeddedProfile[] = [];
  // One after another: the local provider is CPU-bound, so parallel items would only compete with
  // the HTTP API for the same cores.
  for (const [index, { id, body }] of check.profiles.entries()) {
    if (call.cancelled) throw new CallRejected(grpc.status.CANCELLED, 'the client cancelled the call');
    try {
      const embedded = await taste.embedProfile(body, { memberId: principal.subject });
      results.push({ id, ...embedded });
    } catch (error) {
      // "Invalid" is "this profile has nothing the model can embed": that item's answer, not the batch's.
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
      const item = `items[${index}]`;
      const message = error.messageWithField((field) => (field === '' ? item : `${item}.${field}`));
      results.push({ id, vector: [], model: '', error: message, unresolvedFavorites: [] });
    }
  }
  return { results };
}

async function handleRank(
  call: grpc.ServerUnaryCall<RankRequest, RankResponse>,
  { verifyToken, rank }: GrpcServerOptions,
): Promise<RankResponse> {
  const principal = await authenticate(call.metadata, verifyToken, ANY_ROLE, 'sde.v2.Ranking/Rank');
  const { viewerId, candidateIds } = call.request;
  if (viewerId === '' || viewerId.length > RANK_LIMITS.maxMemberIdLength) {
    throw new CallRejected(
      grpc.status.INVALID_ARGUMENT,
      `viewer_id: must be 1-${RANK_LIMITS.maxMemberIdLength} characters`,
    );
  }
  if (candidateIds.length === 0 || candidateIds.length > RANK_LIMITS.maxCandidates) {
    throw new CallRejected(
      grpc.status.INVALID_ARGUMENT,
      `candidate_ids: must hold 1-${RANK_LIMITS.maxCandidates} ids, got ${candidateIds.length}`,
    );
  }
  const seen = new Set<string>();
  for (const [index, id] of candidateIds.entries()) {
    if (id === '' || id.length > RANK_LIMITS.maxMemberIdLength) {
      throw new CallRejected(
        grpc.status.INVALID_ARGUMENT,
        `candidate_ids[${index}]: must be 1-${RANK_LIMITS.maxMemberIdLength} characters`,
      );
    }
    if (seen.has(id))
      throw new CallRejected(grpc.status.INVALID_ARGUMENT, `candidate_ids[${index}]: "${id}" appears twice`);
    seen.add(id);
  }
  const result = await rank.rank(principal, viewerId, candidateIds);
  return {
    rankedIds: result.ranked.map((entry) => entry.userId),
    // Members get the order alone (RankService); their scores list stays empty.
    scores: result.ranked.flatMap((entry) => (entry.score === undefined ? [] : [entry.score])),
    model: result.model,
  };
}

async function authenticate(
  metadata: grpc.Metadata,
  verifyToken: TokenVerifier,
  access: readonly Role[],
  method: string,
): Promise<Principal> {
  const values = metadata.get('authorization');
  if (values.length === 0) throw new CallRejected(grpc.status.UNAUTHENTICATED, 'authorization: missing bearer token');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(String(values[0]));
  if (values.length > 1 || !match?.[1]) {
    throw new CallRejected(grpc.status.UNAUTHENTICATED, 'authorization: metadata must be one "Bearer <token>"');
  }
  let principal: Principal;
  try {
    principal = await verifyToken(match[1]);
  } catch (error) {
    if (!(error instanceof TokenRejected)) throw error;
    const code = error.statusCode === 403 ? grpc.status.PERMISSION_DENIED : grpc.status.UNAUTHENTICATED;
    throw new CallRejected(code, error.message);
  }
  if (!access.includes(principal.role)) {
    throw new CallRejected(
      grpc.status.PERMISSION_DENIED,
      `authorization: role "${principal.role}" may not call ${method} (allowed: ${access.join(', ')})`,
    );
  }
  return principal;
}

/** The one mapping of a service's refusal to a gRPC status: the same mistake reads the same over both APIs. */
const GRPC_STATUS_FOR: Record<DomainErrorKind, grpc.status> = {
  malformed: grpc.status.INVALID_ARGUMENT,
  invalid: grpc.status.INVALID_ARGUMENT,
  forbidden: grpc.status.PERMISSION_DENIED,
  not_found: grpc.status.NOT_FOUND,
  conflict: grpc.status.FAILED_PRECONDITION,
  gone: grpc.status.NOT_FOUND,
  too_large: grpc.status.INVALID_ARGUMENT,
  unsupported_media_type: grpc.status.INVALID_ARGUMENT,
  // No live model (or one that reads other features): fixed by an operator, not by retrying.
  unavailable: grpc.status.FAILED_PRECONDITION,
  upstream_failed: grpc.status.UNAVAILABLE,
};

/** Caller mistakes keep their message (fields named as the gRPC request names them); anything else is logged and hidden. */
function toServiceError(error: unknown, method: string, log: FastifyBaseLogger): Partial<grpc.ServiceError> {
  if (error instanceof CallRejected) {
    log.info({ method, code: grpc.status[error.code], reason: error.message }, 'gRPC call rejected');
    return { code: error.code, details: error.message };
  }
  if (error instanceof DomainError && error.kind === 'upstream_failed') {
    // An upstream embedding provider failed; the same batch may well succeed on a retry.
    log.warn({ err: error, method }, 'gRPC call: an upstream provider failed');
    return { code: grpc.status.UNAVAILABLE, details: 'the embedding provider failed; retry the batch later' };
  }
  if (error instanceof DomainError) {
    return { code: GRPC_STATUS_FOR[error.kind], details: error.messageWithField((field) => field || 'request') };
  }
  log.error({ err: error, method }, 'gRPC call failed');
  return { code: grpc.status.INTERNAL, details: 'The server failed to handle this call; it has been logged.' };
}
