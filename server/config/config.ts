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
});
export type ConfigEnv = Static<typeof ConfigEnvSchema>;

const SECRET_VARIABLES = new Set(['DATABASE_URL', 'SDE_JWT_SECRET']);

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
  auth: AuthConfig;
  jobs: { enabled: boolean; dwellRefreshCron: string };
  demoMembers: number;
}

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
    auth: authConfigFrom(parsed, dataDir),
    jobs: { enabled: parsed.SDE_JOBS === 'on', dwellRefreshCron: parsed.SDE_DWELL_REFRESH_CRON },
    demoMembers: parsed.SDE_DEMO_MEMBERS,
  };
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
    secret: parsed.SDE_JWT_SECRET ?? localSecret(dataDir),
    issuer: parsed.SDE_JWT_ISSUER,
    audience: parsed.SDE_JWT_AUDIENCE,
    roleClaim,
  };
}

/**
 * Without a configured secret, a random one is kept in the data folder so that the server and
 * `npm run token` started with the same environment agree, and restarts keep tokens valid.
 */
function localSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process (the server and `npm run token` started together) wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
  return secret;
}
