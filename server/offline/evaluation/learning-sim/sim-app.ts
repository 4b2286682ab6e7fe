// One simulated population's engine: the real app (buildApp) on its own in-memory PGlite, with a fresh
// signing secret, and a small client that calls its public API through `app.inject` as a member or as
// an ML engineer. Rate limits are lifted: hundreds of simulated members share one address and swipe at
// machine speed, which the per-minute buckets (sized for people) would refuse.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { mintLocalToken } from '../../../auth/tokens.js';
import { loadConfig, type Config } from '../../../config/config.js';
import type { Database } from '../../../db/database.js';
import { openPglite } from '../../../db/pglite-driver.js';
import type { Role } from '../../../../shared/schemas/roles.js';

/** The staff identity the simulation's operator calls (flags, models) are made as. */
export const SIM_OPERATOR = 'learning-sim';

export interface SimApp {
  app: FastifyInstance;
  db: Database;
  /** A bearer token for `subject` with `role`, signed with this app's secret. */
  token(role: Role, subject: string): Promise<string>;
  /** Calls the API as `subject` with `role`; throws with the answer when the status is not 2xx. */
  call<T>(role: Role, subject: string, request: SimRequest): Promise<T>;
  close(): Promise<void>;
}

export interface SimRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: unknown;
}

/** `buildApp` (server/app.ts), passed in by the caller: offline code does not import the app it drives. */
export type BuildApp = (config: Config, overrides: { database: Database }) => Promise<FastifyInstance>;

/** `env`: extra engine settings (the learner's SDE_LEARNER_* scaled to the simulation's traffic). */
export async function startSimApp(buildApp: BuildApp, env: Record<string, string> = {}): Promise<SimApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sde-learning-sim-'));
  const base = loadConfig({
    SDE_DATA_DIR: dataDir,
    SDE_JWT_SECRET: randomBytes(32).toString('hex'),
    SDE_SECRETS_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    PORT: '0',
    // The simulation drives every step itself (training, learner runs); no background workers race it.
    SDE_JOBS: 'off',
    ...env,
  });
  const rateLimits = { ...base.rateLimits };
  for (const bucket of Object.keys(rateLimits) as Array<keyof Config['rateLimits']>) rateLimits[bucket] = 1_000_000;
  const config: Config = { ...base, rateLimits };
  const db = await openPglite(undefined);
  const app = await buildApp(config, { database: db });
  const tokens = new Map<string, string>();
  const tokenFor = async (role: Role, subject: string) => {
    const key = `${role}:${subject}`;
    let token = tokens.get(key);
    if (!token) tokens.set(key, (token = await mintLocalToken(config.auth, { subject, role })));
    return token;
  };
  return {
    app,
    db,
    token: tokenFor,
    async call<T>(role: Role, subject: string, request: SimRequest): Promise<T> {
      const response = await app.inject({
        method: request.method,
        url: request.url,
        headers: { authorization: `Bearer ${await tokenFor(role, subject)}` },
        ...(request.payload !== undefined ? { payload: request.payload as object } : {}),
      });
      if (response.statusCode >= 300) {
        throw new Error(
          `${request.method} ${request.url} as ${subject} answered ${response.statusCode}: ${response.body}`,
        );
      }
      return response.json<T>();
    },
    async close() {
      await app.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
