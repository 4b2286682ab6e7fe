// The engine's whole configuration: one typed schema read from environment variables, with defaults.
// Invalid values fail at start with the variable named, so a misconfigured replica never half-starts.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

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
  SDE_GRPC_PORT: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 65535, description: 'internal gRPC API (sde.v2.Embedding); unset = off' }),
  ),
  SDE_JWT_SECRET: Type.Optional(Type.String({ minLength: 32, description: 'HS256 shared secret' })),
  SDE_JWKS_URL: Type.Optional(Type.String({ pattern: '^https?://', description: 'identity provider key set' })),
  SDE_JWT_ISSUER: Type.Optional(Type.String({ minLength: 1 })),
  SDE_JWT_AUDIENCE: Type.Optional(Type.String({ minLength: 1 })),
  SDE_JWT_ROLE_CLAIM: Type.String({
    pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$',
    default: 'role',
    description: 'claim holding the SDE role; a dotted path reaches nested claims (app_metadata.sde_role)',
  }),
  SDE_JOBS: Type.Union([Type.Literal('on'), Type.Literal('off')], { default: 'on' }),
  SDE_DWELL_REFRESH_CRON: Type.String({ pattern: '^(\\S+\\s+){4}\\S+$', default: '*/5 * * * *' }),
  SDE_DEMO_MEMBERS: Type.Integer({ minimum: 0, maximum: 200000, default: 0 }),
  SDE_PUBLIC_URL: Type.Optional(
    Type.String({ pattern: '^https?://[^/]+(/.*)?$', description: 'how clients reach this server (signed URLs)' }),
  ),
  SDE_SECRETS_KEY: Type.Optional(
    Type.String({ pattern: '^[A-Za-z0-9+/_-]{43}=?$', description: 'AES-256-GCM key for tokens at rest, base64' }),
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
  SDE_FEEDBACK_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 100000, default: 100 }),
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
  /** Port of the internal gRPC API (plaintext: keep it internal); null when it is off. */
  grpcPort: number | null;
  auth: AuthConfig;
  jobs: { enabled: boolean; dwellRefreshCron: string };
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
  embeddings: {
    provider: 'local' | 'openai' | 'onnx';
    openai: { baseUrl: string; apiKey?: string; model: string; dimensions: number; usdPerMillionTokens: number };
    onnxModelDir?: string;
  };
}

export type Gender = 'woman' | 'man' | 'nonbinary';

export interface DiscoveryConfig {
  safety: { maxHarassment: number; unscored: 'keep' | 'remove' };
  diversity: { tradeoff: number };
  /** `pool`: target shares are the eligible candidates' own; otherwise fixed shares per gender. */
  parity: { band: number; target: 'pool' | Partial<Record<Gender, number>> };
  feedbackPerMinute: number;
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
  return {
    databaseUrl: parsed.DATABASE_URL,
    dataDir,
    host: parsed.HOST,
    port: parsed.PORT,
    logLevel: parsed.LOG_LEVEL,
    dbPoolMax: parsed.SDE_DB_POOL_MAX,
    grpcPort: parsed.SDE_GRPC_PORT ?? null,
    auth: authConfigFrom(parsed, dataDir),
    jobs: { enabled: parsed.SDE_JOBS === 'on', dwellRefreshCron: parsed.SDE_DWELL_REFRESH_CRON },
    demoMembers: parsed.SDE_DEMO_MEMBERS,
    publicUrl: (parsed.SDE_PUBLIC_URL ?? `http://${parsed.HOST}:${parsed.PORT}`).replace(/\/$/, ''),
    secretsKey: secretsKeyFrom(parsed, dataDir),
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

function secretsKeyFrom(parsed: ConfigEnv, dataDir: string): Buffer {
  const encoded = parsed.SDE_SECRETS_KEY ?? localSecret(dataDir, 'secrets-key');
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== 32) throw new ConfigError('SDE_SECRETS_KEY: must be 32 bytes, base64-encoded');
  return key;
}

function authConfigFrom(parsed: ConfigEnv, dataDir: string): AuthConfig {
  const roleClaim = parsed.SDE_JWT_ROLE_CLAIM;
  if (parsed.SDE_JWKS_URL) {
    if (!parsed.SDE_JWT_ISSUER) {
      throw new ConfigError('SDE_JWT_ISSUER: required when SDE_JWKS_URL is set (tokens are checked against it)');
    }
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
    secret: parsed.SDE_JWT_SECRET ?? localSecret(dataDir, 'jwt-secret'),
    issuer: parsed.SDE_JWT_ISSUER,
    audience: parsed.SDE_JWT_AUDIENCE,
    roleClaim,
  };
}

/**
 * Without a configured secret, a random one is kept in the data folder so that the server and
 * `npm run token` started with the same environment agree, and restarts keep tokens (and data
 * encrypted at rest) valid. 32 random bytes, base64.
 */
function localSecret(dataDir: string, name: string): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
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
    feedbackPerMinute: parsed.SDE_FEEDBACK_PER_MINUTE,
    growthbook:
      parsed.SDE_GROWTHBOOK_API_HOST && parsed.SDE_GROWTHBOOK_CLIENT_KEY
        ? { apiHost: parsed.SDE_GROWTHBOOK_API_HOST.replace(/\/$/, ''), clientKey: parsed.SDE_GROWTHBOOK_CLIENT_KEY }
        : null,
  };
}
