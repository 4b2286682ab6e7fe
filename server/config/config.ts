// The engine's whole configuration: one typed schema read from environment variables, with defaults.
// Invalid values fail at start with the variable named, so a misconfigured replica never half-starts.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Gender } from '../../shared/schemas/attributes.js';
import type { Role } from '../../shared/schemas/roles.js';
import { parseAllowedHosts } from '../http/host-check.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** The rollback watch's one-sided significance level: a constant, so "significant" means one thing in every deployment. */
const LEARNER_ROLLBACK_ALPHA = 0.05;

/** A duration as `npm run token --expires` and the SDE_TOKEN_MAX_LIFETIME_* variables take it. */
export const DURATION_PATTERN = '^[1-9]\\d{0,9}\\s?(s|m|h|d|w)?$';
/**
 * A working day for staff (the desktop console signs in for 12h), a day for members; 30 days for admins
 * because that is the token `npm start` prints for local use: lower SDE_TOKEN_MAX_LIFETIME_ADMIN in production.
 */
export const DEFAULT_TOKEN_MAX_LIFETIME: Record<Role, string> = {
  member: '24h',
  reviewer: '12h',
  ml_engineer: '12h',
  admin: '30d',
};
const DURATION_UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Seconds in a duration such as 90s, 30m, 12h, 7d, 2w (a bare number is seconds); null if it is none. */
export function durationSeconds(text: string): number | null {
  const match = new RegExp(DURATION_PATTERN).exec(text);
  if (!match) return null;
  return Number.parseInt(text, 10) * DURATION_UNIT_SECONDS[match[1] ?? 's']!;
}

export const ConfigEnvSchema = Type.Object({
  DATABASE_URL: Type.Optional(
    Type.String({ pattern: '^postgres(ql)?://', description: 'Postgres 15+ with pgvector; absent → embedded PGlite' }),
  ),
  SDE_DATA_DIR: Type.String({ minLength: 1, default: '.sde-data', description: 'PGlite data and local files' }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  LOG_LEVEL: Type.Union(
    LOG_LEVELS.map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  SDE_DB_POOL_MAX: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  // The HTTP edge: how long a client may take to send a request, hold an idle socket, and how many it may hold.
  SDE_REQUEST_TIMEOUT_SECONDS: Type.Integer({
    minimum: 1,
    maximum: 3600,
    default: 30,
    description: 'time to receive a whole request (headers and body); slower ones get 408 and are closed',
  }),
  SDE_KEEP_ALIVE_TIMEOUT_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 72 }),
  SDE_IDLE_TIMEOUT_SECONDS: Type.Integer({
    minimum: 1,
    maximum: 3600,
    default: 120,
    description: 'a socket with no traffic for this long (e.g. a client not reading its response) is closed',
  }),
  SDE_MAX_CONNECTIONS: Type.Integer({ minimum: 1, maximum: 1000000, default: 1024 }),
  SDE_ALLOWED_HOSTS: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'comma-separated host or host:port the server answers to (a bare host: its listening port); other Host headers get 421. Unset: any (the desktop app sets it)',
    }),
  ),
  SDE_GRPC_PORT: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 65535, description: 'internal gRPC API (sde.v2.Embedding); unset = off' }),
  ),
  SDE_JWT_SECRET: Type.Optional(Type.String({ minLength: 32, description: 'HS256 shared secret' })),
  SDE_JWKS_URL: Type.Optional(Type.String({ pattern: '^https?://', description: 'identity provider key set' })),
  SDE_JWT_ISSUER: Type.Optional(Type.String({ minLength: 1 })),
  SDE_JWT_AUDIENCE: Type.Optional(Type.String({ minLength: 1 })),
  // Longest lifetime (exp − iat) a token may have, per role: a duration (90s, 30m, 12h, 7d, 2w) or seconds.
  SDE_TOKEN_MAX_LIFETIME_MEMBER: Type.String({ pattern: DURATION_PATTERN, default: DEFAULT_TOKEN_MAX_LIFETIME.member }),
  SDE_TOKEN_MAX_LIFETIME_REVIEWER: Type.String({
    pattern: DURATION_PATTERN,
    default: DEFAULT_TOKEN_MAX_LIFETIME.reviewer,
  }),
  SDE_TOKEN_MAX_LIFETIME_ML_ENGINEER: Type.String({
    pattern: DURATION_PATTERN,
    default: DEFAULT_TOKEN_MAX_LIFETIME.ml_engineer,
  }),
  SDE_TOKEN_MAX_LIFETIME_ADMIN: Type.String({ pattern: DURATION_PATTERN, default: DEFAULT_TOKEN_MAX_LIFETIME.admin }),
  SDE_JWT_ROLE_CLAIM: Type.String({
    pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$',
    default: 'role',
    description: 'claim holding the SDE role; a dotted path reaches nested claims (app_metadata.sde_role)',
  }),
  SDE_JOBS: Type.Union([Type.Literal('on'), Type.Literal('off')], { default: 'on' }),
  SDE_DWELL_REFRESH_CRON: Type.String({ pattern: '^(\\S+\\s+){4}\\S+$', default: '*/5 * * * *' }),
  // Behaviour events (docs/behaviour-events.md): how far a client's occurredAt may be from the engine's clock.
  SDE_EVENTS_MAX_FUTURE_SKEW: Type.String({ pattern: DURATION_PATTERN, default: '5m' }),
  SDE_EVENTS_MAX_AGE: Type.String({ pattern: DURATION_PATTERN, default: '24h' }),
  SDE_BEHAVIOURAL_GRACE_DAYS: Type.Integer({
    minimum: 0,
    maximum: 365,
    default: 0,
    description: 'days a behavioural opt-out keeps stored scroll events before deletion; 0 deletes at once',
  }),
  // The online learner (docs/learning.md): schedule, training window, promotion gate, rollback watch.
  SDE_LEARNER_ENABLED: Type.Union([Type.Literal('true'), Type.Literal('false')], {
    default: 'true',
    description: 'install the learner schedule; false leaves POST /api/v2/admin/learner/run as the only trigger',
  }),
  SDE_LEARNER_CRON: Type.String({ pattern: '^(\\S+\\s+){4}\\S+$', default: '*/30 * * * *' }),
  SDE_LEARNER_WINDOW_HOURS: Type.Integer({ minimum: 1, maximum: 8760, default: 168 }),
  SDE_LEARNER_OFFLINE_MARGIN: Type.Number({ minimum: -1, maximum: 1, default: 0 }),
  SDE_LEARNER_ONLINE_MARGIN: Type.Number({ minimum: -1, maximum: 10, default: 0 }),
  SDE_LEARNER_MIN_SHADOW_IMPRESSIONS: Type.Integer({ minimum: 1, maximum: 100000000, default: 500 }),
  SDE_LEARNER_MAX_SHADOW_HOURS: Type.Number({ minimum: 0, maximum: 8760, default: 48 }),
  SDE_LEARNER_GUARDRAIL_TOLERANCE: Type.Number({ minimum: 0, maximum: 10, default: 0.05 }),
  SDE_LEARNER_ROLLBACK_WATCH_HOURS: Type.Number({ minimum: 0, maximum: 8760, default: 24 }),
  SDE_LEARNER_ROLLBACK_MIN_IMPRESSIONS: Type.Integer({ minimum: 1, maximum: 100000000, default: 500 }),
  SDE_LEARNER_ROLLBACK_MAX_DROP: Type.Number({ minimum: 0, maximum: 1, default: 0.1 }),
  SDE_FEATURE_LOG_RETENTION_DAYS: Type.Integer({
    minimum: 1,
    maximum: 3650,
    default: 90,
    description:
      'days an impression keeps the pair features the ranker scored (training data); older ones are cleared daily',
  }),
  SDE_DEMO_MEMBERS: Type.Integer({ minimum: 0, maximum: 200000, default: 0 }),
  SDE_PUBLIC_URL: Type.Optional(
    Type.String({ pattern: '^https?://[^/]+(/.*)?$', description: 'how clients reach this server (signed URLs)' }),
  ),
  SDE_SECRETS_KEY: Type.Optional(
    Type.String({ pattern: '^[A-Za-z0-9+/_-]{43}=?$', description: 'AES-256-GCM key for tokens at rest, base64' }),
  ),
  SDE_SECRETS_KEY_FILE: Type.Optional(
    Type.String({ minLength: 1, description: 'file holding SDE_SECRETS_KEY; must be mode 0600 or 0400' }),
  ),
  SDE_KEYS_DIR: Type.Optional(
    Type.String({ minLength: 1, description: 'generated local keys; default: beside the data folder, <name>-keys' }),
  ),
  // Object storage for raw connector payloads.
  SDE_STORAGE_DRIVER: Type.Union([Type.Literal('local'), Type.Literal('s3')], { default: 'local' }),
  SDE_UPLOAD_URL_TTL_SECONDS: Type.Integer({ minimum: 30, maximum: 86400, default: 900 }),
  SDE_S3_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://' })),
  SDE_S3_BUCKET: Type.Optional(Type.String({ minLength: 3, maxLength: 63 })),
  SDE_S3_REGION: Type.String({ minLength: 1, default: 'us-east-1' }),
  SDE_S3_ACCESS_KEY_ID: Type.Optional(Type.String({ minLength: 1 })),
  SDE_S3_SECRET_ACCESS_KEY: Type.Optional(Type.String({ minLength: 1 })),
  // Discovery: post-rank stages, feedback, experiments.
  SDE_SAFETY_MAX_HARASSMENT: Type.Number({
    minimum: 0,
    maximum: 1,
    default: 0.8,
    description: 'candidates whose harassment_score is above this are removed from slates',
  }),
  SDE_SAFETY_UNSCORED: Type.Union([Type.Literal('keep'), Type.Literal('remove')], {
    default: 'keep',
    description: 'what happens to a candidate without a safety score (kept ones are marked unscored in the trace)',
  }),
  SDE_DIVERSITY_TRADEOFF: Type.Number({
    minimum: 0,
    maximum: 1,
    default: 0.7,
    description: 'DPP relevance/diversity trade-off θ: 1 = ranker order, 0 = most diverse',
  }),
  SDE_PARITY_BAND: Type.Number({
    minimum: 0,
    maximum: 1,
    default: 0.1,
    description: 'each gender share of a slate stays within ± this of its target share',
  }),
  SDE_PARITY_TARGET: Type.String({
    pattern:
      '^(pool|((woman|man|nonbinary):(0(\\.\\d+)?|1(\\.0+)?))(,(woman|man|nonbinary):(0(\\.\\d+)?|1(\\.0+)?))*)$',
    default: 'pool',
    description: '"pool" (shares of the eligible candidates) or fixed shares, e.g. "woman:0.5,man:0.4,nonbinary:0.1"',
  }),
  // Rate limits (docs/rate-limits.md): requests per minute per member (per client address on public routes).
  SDE_FEEDBACK_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1000000, default: 100 }),
  SDE_RATE_LIMIT_EVENTS_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1000000, default: 120 }),
  SDE_RATE_LIMIT_SLATE_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1000000, default: 60 }),
  SDE_RATE_LIMIT_WHY_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1000000, default: 120 }),
  SDE_RATE_LIMIT_RANK_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1000000, default: 60 }),
  SDE_RATE_LIMIT_EMBED_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1000000, default: 30 }),
  SDE_RATE_LIMIT_SPOTIFY_IMPORT_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1000000, default: 6 }),
  SDE_RATE_LIMIT_GRAPHQL_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1000000, default: 120 }),
  SDE_RATE_LIMIT_MEMBER_PER_MINUTE: Type.Integer({
    minimum: 1,
    maximum: 1000000,
    default: 600,
    description: 'every other authenticated route, per member, counted per replica',
  }),
  SDE_RATE_LIMIT_PUBLIC_PER_MINUTE: Type.Integer({
    minimum: 1,
    maximum: 1000000,
    default: 600,
    description: 'public routes (health, docs, uploads), per client address, counted per replica',
  }),
  // The realtime user_behavior channel (docs/realtime.md).
  SDE_RATE_LIMIT_REALTIME_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1000000, default: 30 }),
  SDE_REALTIME_HEARTBEAT_SECONDS: Type.Integer({ minimum: 1, maximum: 300, default: 15 }),
  SDE_REALTIME_RETENTION_HOURS: Type.Integer({ minimum: 1, maximum: 720, default: 24 }),
  SDE_REALTIME_MAX_BUFFERED_BYTES: Type.Integer({
    // Below Node's 16 KiB write buffer a stream would be dropped before backpressure could even show.
    minimum: 16384,
    maximum: 67108864,
    default: 262144,
    description: 'unsent bytes a user_behavior stream may queue before the slow client is dropped',
  }),
  SDE_REALTIME_MAX_STREAMS_PER_CALLER: Type.Integer({ minimum: 1, maximum: 1000, default: 5 }),
  SDE_REALTIME_MAX_STREAMS: Type.Integer({
    minimum: 1,
    maximum: 100000,
    default: 500,
    description: 'open user_behavior streams per replica; more are answered 503',
  }),
  SDE_GROWTHBOOK_API_HOST: Type.Optional(
    Type.String({ pattern: '^https?://', description: 'read flags from a GrowthBook server instead of the database' }),
  ),
  SDE_GROWTHBOOK_CLIENT_KEY: Type.Optional(Type.String({ minLength: 1 })),
  // Connectors.
  SDE_SPOTIFY_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  SDE_SPOTIFY_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  SDE_SPOTIFY_ACCOUNTS_URL: Type.String({ pattern: '^https?://', default: 'https://accounts.spotify.com' }),
  SDE_SPOTIFY_API_URL: Type.String({ pattern: '^https?://', default: 'https://api.spotify.com' }),
  // Metadata fetchers.
  SDE_TMDB_API_URL: Type.String({ pattern: '^https?://', default: 'https://api.themoviedb.org/3' }),
  SDE_TMDB_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  SDE_MUSICBRAINZ_URL: Type.String({ pattern: '^https?://', default: 'https://musicbrainz.org/ws/2' }),
  SDE_MUSICBRAINZ_USER_AGENT: Type.String({
    minLength: 1,
    default: 'SocialDiscoveryEngine/0.1 ( https://github.com/social-discovery-engine/sde )',
  }),
  SDE_OPENLIBRARY_URL: Type.String({ pattern: '^https?://', default: 'https://openlibrary.org' }),
  SDE_METADATA_CACHE_HOURS: Type.Number({ minimum: 0, maximum: 720, default: 24 }),
  // Embedding providers.
  SDE_EMBEDDING_PROVIDER: Type.Union([Type.Literal('local'), Type.Literal('openai'), Type.Literal('onnx')], {
    default: 'local',
  }),
  SDE_OPENAI_BASE_URL: Type.String({ pattern: '^https?://', default: 'https://api.openai.com/v1' }),
  SDE_OPENAI_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  SDE_OPENAI_EMBEDDING_MODEL: Type.String({ minLength: 1, default: 'text-embedding-3-large' }),
  SDE_OPENAI_EMBEDDING_DIMENSIONS: Type.Integer({ minimum: 16, maximum: 4096, default: 768 }),
  SDE_OPENAI_USD_PER_MILLION_TOKENS: Type.Number({ minimum: 0, default: 0.13 }),
  SDE_ONNX_MODEL_DIR: Type.Optional(Type.String({ minLength: 1 })),
  // GraphQL (/graphql): limits checked on the document before anything runs (docs/graphql.md).
  SDE_GRAPHQL_INTROSPECTION: Type.Union([Type.Literal('on'), Type.Literal('off')], {
    default: 'off',
    description: 'answer __schema / __type queries (schema discovery); off in production',
  }),
  SDE_GRAPHIQL: Type.Union([Type.Literal('on'), Type.Literal('off')], {
    default: 'off',
    description: 'serve the GraphiQL IDE at /graphiql (useful only with introspection on)',
  }),
  SDE_GRAPHQL_MAX_QUERY_BYTES: Type.Integer({
    minimum: 256,
    maximum: 262144,
    default: 16384,
    description: 'largest GraphQL document (the query text) in bytes; the HTTP body limit is 256 kB',
  }),
  SDE_GRAPHQL_MAX_DEPTH: Type.Integer({ minimum: 1, maximum: 100, default: 8, description: 'deepest field nesting' }),
  SDE_GRAPHQL_MAX_ALIASES: Type.Integer({
    minimum: 0,
    maximum: 10000,
    default: 20,
    description: 'aliased fields per operation (fragments counted as expanded)',
  }),
  SDE_GRAPHQL_MAX_COST: Type.Integer({
    minimum: 1,
    maximum: 1000000,
    default: 200,
    description: 'static cost per operation: each field 1, each mutation field 10, fragments counted as expanded',
  }),
  SDE_GRAPHQL_MAX_ROOT_MUTATIONS: Type.Integer({
    minimum: 1,
    maximum: 100,
    default: 5,
    description: 'mutation fields at the root of one request',
  }),
});
export type ConfigEnv = Static<typeof ConfigEnvSchema>;

const SECRET_VARIABLES = new Set([
  'DATABASE_URL',
  'SDE_JWT_SECRET',
  'SDE_SECRETS_KEY',
  'SDE_S3_SECRET_ACCESS_KEY',
  'SDE_SPOTIFY_CLIENT_SECRET',
  'SDE_TMDB_API_KEY',
  'SDE_OPENAI_API_KEY',
]);

export type AuthConfig =
  | { kind: 'hs256'; secret: string; issuer?: string; audience?: string; roleClaim: string }
  | { kind: 'jwks'; jwksUrl: string; issuer: string; audience?: string; roleClaim: string };

export interface Config {
  /** Absent: the embedded PGlite database under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  host: string;
  port: number;
  logLevel: (typeof LOG_LEVELS)[number];
  dbPoolMax: number;
  /** Timeouts and the connection cap of the HTTP server (docs/http.md). */
  http: HttpServerConfig;
  /** Port of the internal gRPC API (plaintext: keep it internal); null when it is off. */
  grpcPort: number | null;
  auth: AuthConfig;
  /** Longest lifetime a token may have, per role (SDE_TOKEN_MAX_LIFETIME_*). */
  tokens: { maxLifetimeSeconds: Record<Role, number> };
  jobs: { enabled: boolean; dwellRefreshCron: string };
  /** Privacy opt-outs (docs/privacy.md): days a behavioural opt-out's events are kept (SDE_BEHAVIOURAL_GRACE_DAYS). */
  privacy: { behaviouralGraceDays: number };
  /** Clock-skew bounds of posted behaviour events (SDE_EVENTS_MAX_FUTURE_SKEW, SDE_EVENTS_MAX_AGE). */
  behaviourEvents: { maxFutureSkewSeconds: number; maxAgeSeconds: number };
  /** The online learner (docs/learning.md; SDE_LEARNER_*). */
  learning: LearningConfig;
  /** Logged pair features of impressions (docs/ranker-training.md): cleared after SDE_FEATURE_LOG_RETENTION_DAYS. */
  featureLog: { retentionDays: number };
  demoMembers: number;
  /** Base URL clients use to reach this server; defaults to http://HOST:PORT. */
  publicUrl: string;
  /** 32-byte AES-256-GCM key for secrets kept in the database (connector refresh tokens). */
  secretsKey: Buffer;
  storage: StorageConfig;
  spotify: { clientId?: string; clientSecret?: string; accountsUrl: string; apiUrl: string };
  metadata: {
    tmdbUrl: string;
    tmdbApiKey?: string;
    musicBrainzUrl: string;
    musicBrainzUserAgent: string;
    openLibraryUrl: string;
    cacheHours: number;
  };
  discovery: DiscoveryConfig;
  /** Requests per minute per caller, by rate-limit bucket (server/http/rate-limit.plugin.ts). */
  rateLimits: RateLimitsConfig;
  /** The user_behavior stream (docs/realtime.md). */
  realtime: RealtimeConfig;
  embeddings: {
    provider: 'local' | 'openai' | 'onnx';
    openai: { baseUrl: string; apiKey?: string; model: string; dimensions: number; usdPerMillionTokens: number };
    onnxModelDir?: string;
  };
  graphql: GraphqlConfig;
}

/** What /graphql accepts; every limit is checked on the parsed document before anything runs. */
export interface GraphqlConfig {
  introspection: boolean;
  graphiql: boolean;
  maxQueryBytes: number;
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxRootMutations: number;
}

export interface HttpServerConfig {
  /** Receiving a whole request (headers and body) may take this long; then 408 and the socket closes. */
  requestTimeoutSeconds: number;
  keepAliveTimeoutSeconds: number;
  /** A socket without traffic this long is closed (a client that stops reading its response). */
  idleTimeoutSeconds: number;
  /** Open connections beyond this are closed on arrival. */
  maxConnections: number;
  /** Host / host:port names requests must carry (SDE_ALLOWED_HOSTS, DNS-rebinding defence); absent: any. */
  allowedHosts?: string[];
}

/**
 * Requests per minute, per bucket. Named buckets are per member and counted in the database (shared by
 * every replica); `member` (any other authenticated route) and `public` (per client address) are counted
 * in each process.
 */
export interface RateLimitsConfig {
  slate: number;
  why: number;
  rank: number;
  embed: number;
  spotifyImport: number;
  graphql: number;
  feedback: number;
  events: number;
  member: number;
  public: number;
  realtime: number;
}

export interface RealtimeConfig {
  heartbeatSeconds: number;
  /** Hours events stay replayable by Last-Event-ID; older ones are pruned. */
  retentionHours: number;
  /** Unsent bytes per stream beyond which a slow consumer is dropped. */
  maxBufferedBytes: number;
  maxStreamsPerCaller: number;
  /** Per replica. */
  maxStreams: number;
}

/** The online learner's schedule and thresholds (each explained in docs/learning.md). */
export interface LearningConfig {
  enabled: boolean;
  /** Cron (UTC) of the scheduled cycle. */
  cron: string;
  /** Hours of feedback a candidate is trained on (and held-out viewers are drawn from). */
  windowHours: number;
  rollback: {
    watchHours: number;
    minImpressions: number;
    /** Relative like-rate drop beyond which a significant drop rolls back. */
    maxDrop: number;
    /** One-sided significance level of the drop test. */
    alpha: number;
  };
  gate: {
    /** Candidate's held-out NDCG@10 minus the live model's must be at least this. */
    offlineMargin: number;
    /** The lower confidence bound of the relative like-rate lift must exceed this. */
    onlineMargin: number;
    /** Shadow impressions needed before a verdict. */
    minShadowImpressions: number;
    /** Hours a model may wait in shadow for that traffic before it is refused. */
    maxShadowHours: number;
    /** How much worse a guardrail may be: absolute for the parity and safety rates, relative for latency. */
    guardrailTolerance: number;
  };
}

/** The config's gender shares use the API's list, so a new gender is added in one place. */
export type { Gender } from '../../shared/schemas/attributes.js';

export interface DiscoveryConfig {
  safety: { maxHarassment: number; unscored: 'keep' | 'remove' };
  diversity: { tradeoff: number };
  /** `pool`: target shares are the eligible candidates' own; otherwise fixed shares per gender. */
  parity: { band: number; target: 'pool' | Partial<Record<Gender, number>> };
  /** Flags from a GrowthBook server (its SDK endpoint) instead of the database; null = database. */
  growthbook: { apiHost: string; clientKey: string } | null;
}

export type StorageConfig =
  | { driver: 'local'; root: string; uploadUrlTtlSeconds: number }
  | {
      driver: 's3';
      endpoint: string;
      bucket: string;
      region: string;
      accessKeyId: string;
      secretAccessKey: string;
      uploadUrlTtlSeconds: number;
    };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function allowedHostsFrom(text: string): string[] {
  try {
    return parseAllowedHosts(text);
  } catch (error) {
    throw new ConfigError(`SDE_ALLOWED_HOSTS: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Reads and validates the environment. Pure apart from the local-secret file (see below). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigEnvSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const withDefaults = Value.Default(ConfigEnvSchema, raw);
  const converted = Value.Convert(ConfigEnvSchema, withDefaults);
  const firstError = Value.Errors(ConfigEnvSchema, converted).First();
  if (firstError) {
    const variable = firstError.path.replace(/^\//, '');
    const value = raw[variable];
    // Secrets and connection strings (which carry passwords) are described, never echoed.
    const shown =
      SECRET_VARIABLES.has(variable) && typeof value === 'string'
        ? `${value.length} characters`
        : JSON.stringify(value);
    throw new ConfigError(`${variable}: ${firstError.message} (got ${shown})`);
  }
  const parsed = converted as ConfigEnv;
  const dataDir = path.resolve(parsed.SDE_DATA_DIR);
  const keys = localKeysFrom(parsed, dataDir);
  return {
    databaseUrl: parsed.DATABASE_URL,
    dataDir,
    host: parsed.HOST,
    port: parsed.PORT,
    logLevel: parsed.LOG_LEVEL,
    dbPoolMax: parsed.SDE_DB_POOL_MAX,
    http: {
      requestTimeoutSeconds: parsed.SDE_REQUEST_TIMEOUT_SECONDS,
      keepAliveTimeoutSeconds: parsed.SDE_KEEP_ALIVE_TIMEOUT_SECONDS,
      idleTimeoutSeconds: parsed.SDE_IDLE_TIMEOUT_SECONDS,
      maxConnections: parsed.SDE_MAX_CONNECTIONS,
      ...(parsed.SDE_ALLOWED_HOSTS === undefined ? {} : { allowedHosts: allowedHostsFrom(parsed.SDE_ALLOWED_HOSTS) }),
    },
    grpcPort: parsed.SDE_GRPC_PORT ?? null,
    auth: authConfigFrom(parsed, keys),
    tokens: {
      maxLifetimeSeconds: {
        member: durationSeconds(parsed.SDE_TOKEN_MAX_LIFETIME_MEMBER)!,
        reviewer: durationSeconds(parsed.SDE_TOKEN_MAX_LIFETIME_REVIEWER)!,
        ml_engineer: durationSeconds(parsed.SDE_TOKEN_MAX_LIFETIME_ML_ENGINEER)!,
        admin: durationSeconds(parsed.SDE_TOKEN_MAX_LIFETIME_ADMIN)!,
      },
    },
    jobs: { enabled: parsed.SDE_JOBS === 'on', dwellRefreshCron: parsed.SDE_DWELL_REFRESH_CRON },
    privacy: { behaviouralGraceDays: parsed.SDE_BEHAVIOURAL_GRACE_DAYS },
    behaviourEvents: {
      maxFutureSkewSeconds: durationSeconds(parsed.SDE_EVENTS_MAX_FUTURE_SKEW)!,
      maxAgeSeconds: durationSeconds(parsed.SDE_EVENTS_MAX_AGE)!,
    },
    learning: {
      enabled: parsed.SDE_LEARNER_ENABLED === 'true',
      cron: parsed.SDE_LEARNER_CRON,
      windowHours: parsed.SDE_LEARNER_WINDOW_HOURS,
      rollback: {
        watchHours: parsed.SDE_LEARNER_ROLLBACK_WATCH_HOURS,
        minImpressions: parsed.SDE_LEARNER_ROLLBACK_MIN_IMPRESSIONS,
        maxDrop: parsed.SDE_LEARNER_ROLLBACK_MAX_DROP,
        alpha: LEARNER_ROLLBACK_ALPHA,
      },
      gate: {
        offlineMargin: parsed.SDE_LEARNER_OFFLINE_MARGIN,
        onlineMargin: parsed.SDE_LEARNER_ONLINE_MARGIN,
        minShadowImpressions: parsed.SDE_LEARNER_MIN_SHADOW_IMPRESSIONS,
        maxShadowHours: parsed.SDE_LEARNER_MAX_SHADOW_HOURS,
        guardrailTolerance: parsed.SDE_LEARNER_GUARDRAIL_TOLERANCE,
      },
    },
    featureLog: { retentionDays: parsed.SDE_FEATURE_LOG_RETENTION_DAYS },
    demoMembers: parsed.SDE_DEMO_MEMBERS,
    publicUrl: (parsed.SDE_PUBLIC_URL ?? `http://${parsed.HOST}:${parsed.PORT}`).replace(/\/$/, ''),
    secretsKey: secretsKeyFrom(parsed, keys),
    storage: storageConfigFrom(parsed, dataDir),
    spotify: {
      clientId: parsed.SDE_SPOTIFY_CLIENT_ID,
      clientSecret: parsed.SDE_SPOTIFY_CLIENT_SECRET,
      accountsUrl: parsed.SDE_SPOTIFY_ACCOUNTS_URL.replace(/\/$/, ''),
      apiUrl: parsed.SDE_SPOTIFY_API_URL.replace(/\/$/, ''),
    },
    metadata: {
      tmdbUrl: parsed.SDE_TMDB_API_URL.replace(/\/$/, ''),
      tmdbApiKey: parsed.SDE_TMDB_API_KEY,
      musicBrainzUrl: parsed.SDE_MUSICBRAINZ_URL.replace(/\/$/, ''),
      musicBrainzUserAgent: parsed.SDE_MUSICBRAINZ_USER_AGENT,
      openLibraryUrl: parsed.SDE_OPENLIBRARY_URL.replace(/\/$/, ''),
      cacheHours: parsed.SDE_METADATA_CACHE_HOURS,
    },
    discovery: discoveryConfigFrom(parsed),
    rateLimits: {
      slate: parsed.SDE_RATE_LIMIT_SLATE_PER_MINUTE,
      why: parsed.SDE_RATE_LIMIT_WHY_PER_MINUTE,
      rank: parsed.SDE_RATE_LIMIT_RANK_PER_MINUTE,
      embed: parsed.SDE_RATE_LIMIT_EMBED_PER_MINUTE,
      spotifyImport: parsed.SDE_RATE_LIMIT_SPOTIFY_IMPORT_PER_MINUTE,
      graphql: parsed.SDE_RATE_LIMIT_GRAPHQL_PER_MINUTE,
      feedback: parsed.SDE_FEEDBACK_PER_MINUTE,
      events: parsed.SDE_RATE_LIMIT_EVENTS_PER_MINUTE,
      member: parsed.SDE_RATE_LIMIT_MEMBER_PER_MINUTE,
      public: parsed.SDE_RATE_LIMIT_PUBLIC_PER_MINUTE,
      realtime: parsed.SDE_RATE_LIMIT_REALTIME_PER_MINUTE,
    },
    realtime: {
      heartbeatSeconds: parsed.SDE_REALTIME_HEARTBEAT_SECONDS,
      retentionHours: parsed.SDE_REALTIME_RETENTION_HOURS,
      maxBufferedBytes: parsed.SDE_REALTIME_MAX_BUFFERED_BYTES,
      maxStreamsPerCaller: parsed.SDE_REALTIME_MAX_STREAMS_PER_CALLER,
      maxStreams: parsed.SDE_REALTIME_MAX_STREAMS,
    },
    embeddings: {
      provider: parsed.SDE_EMBEDDING_PROVIDER,
      openai: {
        baseUrl: parsed.SDE_OPENAI_BASE_URL.replace(/\/$/, ''),
        apiKey: parsed.SDE_OPENAI_API_KEY,
        model: parsed.SDE_OPENAI_EMBEDDING_MODEL,
        dimensions: parsed.SDE_OPENAI_EMBEDDING_DIMENSIONS,
        usdPerMillionTokens: parsed.SDE_OPENAI_USD_PER_MILLION_TOKENS,
      },
      onnxModelDir: parsed.SDE_ONNX_MODEL_DIR,
    },
    graphql: {
      introspection: parsed.SDE_GRAPHQL_INTROSPECTION === 'on',
      graphiql: parsed.SDE_GRAPHIQL === 'on',
      maxQueryBytes: parsed.SDE_GRAPHQL_MAX_QUERY_BYTES,
      maxDepth: parsed.SDE_GRAPHQL_MAX_DEPTH,
      maxAliases: parsed.SDE_GRAPHQL_MAX_ALIASES,
      maxCost: parsed.SDE_GRAPHQL_MAX_COST,
      maxRootMutations: parsed.SDE_GRAPHQL_MAX_ROOT_MUTATIONS,
    },
  };
}

function storageConfigFrom(parsed: ConfigEnv, dataDir: string): StorageConfig {
  const uploadUrlTtlSeconds = parsed.SDE_UPLOAD_URL_TTL_SECONDS;
  if (parsed.SDE_STORAGE_DRIVER === 'local') {
    return { driver: 'local', root: path.join(dataDir, 'storage'), uploadUrlTtlSeconds };
  }
  const required = ['SDE_S3_ENDPOINT', 'SDE_S3_BUCKET', 'SDE_S3_ACCESS_KEY_ID', 'SDE_S3_SECRET_ACCESS_KEY'] as const;
  for (const variable of required) {
    if (!parsed[variable]) throw new ConfigError(`${variable}: required when SDE_STORAGE_DRIVER is s3`);
  }
  return {
    driver: 's3',
    endpoint: parsed.SDE_S3_ENDPOINT!.replace(/\/$/, ''),
    bucket: parsed.SDE_S3_BUCKET!,
    region: parsed.SDE_S3_REGION,
    accessKeyId: parsed.SDE_S3_ACCESS_KEY_ID!,
    secretAccessKey: parsed.SDE_S3_SECRET_ACCESS_KEY!,
    uploadUrlTtlSeconds,
  };
}

function secretsKeyFrom(parsed: ConfigEnv, keys: LocalKeys): Buffer {
  if (parsed.SDE_SECRETS_KEY_FILE !== undefined) {
    if (parsed.SDE_SECRETS_KEY !== undefined) {
      throw new ConfigError('SDE_SECRETS_KEY_FILE: set it or SDE_SECRETS_KEY, not both');
    }
    return keyFromFile(path.resolve(parsed.SDE_SECRETS_KEY_FILE));
  }
  const encoded = parsed.SDE_SECRETS_KEY ?? localSecret(keys, 'secrets-key');
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== 32) throw new ConfigError('SDE_SECRETS_KEY: must be 32 bytes, base64-encoded');
  return key;
}

/** A key file the operator placed: only its owner may read it, or the key is as good as published. */
function keyFromFile(file: string): Buffer {
  let text: string;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) throw new ConfigError(`SDE_SECRETS_KEY_FILE: ${file} is not a regular file`);
    if ((stats.mode & 0o077) !== 0) {
      const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
      throw new ConfigError(`SDE_SECRETS_KEY_FILE: ${file} has mode ${mode}; others may read it (chmod 600 or 400 it)`);
    }
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`SDE_SECRETS_KEY_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`);
  }
  const key = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(text) || key.length !== 32) {
    // The file's content is the secret: describe it, never echo it.
    throw new ConfigError(
      `SDE_SECRETS_KEY_FILE: ${file} must hold 32 bytes, base64-encoded (${text.length} characters)`,
    );
  }
  return key;
}

function authConfigFrom(parsed: ConfigEnv, keys: LocalKeys): AuthConfig {
  const roleClaim = parsed.SDE_JWT_ROLE_CLAIM;
  if (parsed.SDE_JWKS_URL) {
    if (!parsed.SDE_JWT_ISSUER) {
      throw new ConfigError('SDE_JWT_ISSUER: required when SDE_JWKS_URL is set (tokens are checked against it)');
    }
    checkJwksUrl(parsed.SDE_JWKS_URL);
    return {
      kind: 'jwks',
      jwksUrl: parsed.SDE_JWKS_URL,
      issuer: parsed.SDE_JWT_ISSUER,
      audience: parsed.SDE_JWT_AUDIENCE,
      roleClaim,
    };
  }
  return {
    kind: 'hs256',
    secret: parsed.SDE_JWT_SECRET ?? localSecret(keys, 'jwt-secret'),
    issuer: parsed.SDE_JWT_ISSUER,
    audience: parsed.SDE_JWT_AUDIENCE,
    roleClaim,
  };
}

/**
 * The key set decides which tokens are genuine: fetched over plain http, anyone on the path could swap
 * in their own keys and sign any role. Plain http is allowed only to this machine (a local test issuer).
 */
function checkJwksUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`SDE_JWKS_URL: is not a URL (got ${JSON.stringify(value)})`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigError(
      `SDE_JWKS_URL: must be https (http only for localhost, 127.0.0.1 or [::1]) (got ${JSON.stringify(value)})`,
    );
  }
}

/** Where generated local keys live: never inside the data folder they protect (backups, copies, shares). */
interface LocalKeys {
  dir: string;
  /** Where versions before 0.2 kept them: moved out on the first start. */
  legacyDir: string;
}

function localKeysFrom(parsed: ConfigEnv, dataDir: string): LocalKeys {
  const dir = path.resolve(parsed.SDE_KEYS_DIR ?? defaultKeysDir(dataDir));
  const relative = path.relative(dataDir, dir);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new ConfigError(
      `SDE_KEYS_DIR: must be outside SDE_DATA_DIR (${dataDir}), or a copy of the data is a copy of the keys`,
    );
  }
  return { dir, legacyDir: dataDir };
}

/**
 * The default key folder sits beside the data folder: its name with a trailing `-data` replaced by
 * `-keys`, or `-keys` appended (`.sde-data` → `.sde-keys`, `/srv/sde` → `/srv/sde-keys`).
 */
export function defaultKeysDir(dataDir: string): string {
  const resolved = path.resolve(dataDir);
  return path.join(path.dirname(resolved), `${path.basename(resolved).replace(/-data$/, '')}-keys`);
}

/**
 * Without a configured secret, a random one is kept in the key folder so that the server and
 * `npm run token` started with the same environment agree, and restarts keep tokens (and data
 * encrypted at rest) valid. 32 random bytes, base64; the folder 0700, the file 0600.
 */
function localSecret(keys: LocalKeys, name: string): string {
  const file = path.join(keys.dir, name);
  if (!existsSync(file)) {
    // mkdir's mode only applies to folders it creates: the operator's own SDE_KEYS_DIR is left as it is.
    mkdirSync(keys.dir, { recursive: true, mode: 0o700 });
    moveLegacySecret(path.join(keys.legacyDir, name), file);
  }
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64');
  try {
    writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process (the server and `npm run token` started together) wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
  return secret;
}

/**
 * An install from before the key folder keeps its secret in the data folder: move it, so connector
 * tokens sealed under it still open and issued tokens stay valid. Another process may move it first.
 */
function moveLegacySecret(legacy: string, file: string): void {
  if (!existsSync(legacy)) return;
  try {
    renameSync(legacy, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code !== 'EXDEV') throw error;
    // Another file system: copy (exclusively, 0600), then remove the original.
    try {
      writeFileSync(file, readFileSync(legacy), { mode: 0o600, flag: 'wx' });
    } catch (copyError) {
      if ((copyError as NodeJS.ErrnoException).code !== 'EEXIST') throw copyError;
    }
    rmSync(legacy, { force: true });
  }
  chmodSync(file, 0o600);
}

function discoveryConfigFrom(parsed: ConfigEnv): DiscoveryConfig {
  let target: DiscoveryConfig['parity']['target'] = 'pool';
  if (parsed.SDE_PARITY_TARGET !== 'pool') {
    target = {};
    for (const pair of parsed.SDE_PARITY_TARGET.split(',')) {
      const [gender, share] = pair.split(':') as [Gender, string];
      target[gender] = Number(share);
    }
    const total = Object.values(target).reduce((sum, share) => sum + share, 0);
    if (Math.abs(total - 1) > 1e-6) {
      throw new ConfigError(`SDE_PARITY_TARGET: shares must add up to 1 (got ${total.toFixed(3)})`);
    }
  }
  if ((parsed.SDE_GROWTHBOOK_API_HOST === undefined) !== (parsed.SDE_GROWTHBOOK_CLIENT_KEY === undefined)) {
    throw new ConfigError('SDE_GROWTHBOOK_API_HOST: set together with SDE_GROWTHBOOK_CLIENT_KEY, or neither');
  }
  return {
    safety: { maxHarassment: parsed.SDE_SAFETY_MAX_HARASSMENT, unscored: parsed.SDE_SAFETY_UNSCORED },
    diversity: { tradeoff: parsed.SDE_DIVERSITY_TRADEOFF },
    parity: { band: parsed.SDE_PARITY_BAND, target },
    growthbook:
      parsed.SDE_GROWTHBOOK_API_HOST && parsed.SDE_GROWTHBOOK_CLIENT_KEY
        ? { apiHost: parsed.SDE_GROWTHBOOK_API_HOST.replace(/\/$/, ''), clientKey: parsed.SDE_GROWTHBOOK_CLIENT_KEY }
        : null,
  };
}
