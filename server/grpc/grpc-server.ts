// The internal gRPC API (proto/sde/v2/embedding.proto): `sde.v2.Embedding/EmbedBatch` embeds many
// profiles in one call with the same TasteService as POST /api/v2/embed, for bulk callers (notebooks,
// offline jobs) that would otherwise make hundreds of HTTP requests. Bearer JWT in metadata, roles
// ml_engineer and admin. Listens beside the Fastify app; its lifetime is the caller's (server/main.ts).
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { FastifyBaseLogger } from 'fastify';
import { OPERATORS } from '../../shared/schemas/roles.js';
import type { EmbedProfileBody, EmbedProfileResult } from '../../shared/schemas/taste.js';
import { TokenRejected, type Principal, type TokenVerifier } from '../auth/tokens.js';
import type { Attribution } from '../embeddings/embeddings.service.js';
import { HttpError } from '../http/errors.js';
import { checkEmbedBatch, type ProfileToEmbed } from './embed-batch-request.js';

/** Resolved from this file, so it works from any working directory. */
export const EMBEDDING_PROTO_PATH = fileURLToPath(new URL('../../proto/sde/v2/embedding.proto', import.meta.url));

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

export interface GrpcServerOptions {
  host: string;
  /** 0 picks a free port (tests); the bound port is returned. */
  port: number;
  verifyToken: TokenVerifier;
  taste: ProfileEmbedder;
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

/** The loaded `sde.v2.Embedding` service; the tests build their client from the same definition. */
export function loadEmbeddingService(): grpc.ServiceClientConstructor {
  const definition = protoLoader.loadSync(EMBEDDING_PROTO_PATH, {
    keepCase: false,
    longs: String,
    enums: String,
    // Absent repeated fields decode as [] and absent strings as '', so validation sees every field.
    defaults: true,
    arrays: true,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    sde: { v2: { Embedding: grpc.ServiceClientConstructor } };
  };
  return loaded.sde.v2.Embedding;
}

export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_RECEIVE_BYTES });
  const embedBatch: grpc.handleUnaryCall<EmbedBatchRequest, EmbedBatchResponse> = (call, callback) => {
    handleEmbedBatch(call, options).then(
      (response) => callback(null, response),
      (error: unknown) => callback(toServiceError(error, options.log)),
    );
  };
  server.addService(loadEmbeddingService().service, { EmbedBatch: embedBatch });

  const address = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  options.log.info({ port }, 'gRPC server listening (sde.v2.Embedding)');

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
  const principal = await authenticate(call.metadata, verifyToken);
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
      // 422 is "this profile has nothing the model can embed": that item's answer, not the batch's.
      if (!(error instanceof HttpError) || error.statusCode !== 422) throw error;
      const message = error.message.replace(/^body:\s*/, '');
      results.push({ id, vector: [], model: '', error: `items[${index}]: ${message}`, unresolvedFavorites: [] });
    }
  }
  return { results };
}

async function authenticate(metadata: grpc.Metadata, verifyToken: TokenVerifier): Promise<Principal> {
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
  if (!EMBED_BATCH_ACCESS.includes(principal.role)) {
    throw new CallRejected(
      grpc.status.PERMISSION_DENIED,
      `authorization: role "${principal.role}" may not call sde.v2.Embedding/EmbedBatch (allowed: ${EMBED_BATCH_ACCESS.join(', ')})`,
    );
  }
  return principal;
}

/** Caller mistakes keep their message; anything else is logged and answered without internals. */
function toServiceError(error: unknown, log: FastifyBaseLogger): Partial<grpc.ServiceError> {
  if (error instanceof CallRejected) {
    log.info({ code: grpc.status[error.code], reason: error.message }, 'gRPC call rejected');
    return { code: error.code, details: error.message };
  }
  if (error instanceof HttpError && error.statusCode < 500) {
    return { code: grpc.status.INVALID_ARGUMENT, details: error.message };
  }
  if (error instanceof HttpError && (error.statusCode === 502 || error.statusCode === 503)) {
    // An upstream embedding provider failed; the same batch may well succeed on a retry.
    log.warn({ err: error }, 'gRPC EmbedBatch: embedding provider unavailable');
    return { code: grpc.status.UNAVAILABLE, details: 'the embedding provider failed; retry the batch later' };
  }
  log.error({ err: error }, 'gRPC EmbedBatch failed');
  return { code: grpc.status.INTERNAL, details: 'The server failed to handle this call; it has been logged.' };
}
