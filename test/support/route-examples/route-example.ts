// The shape of the per-module example requests that test/api/access.test.ts walks for every role.
// Each module adds a file beside this one exporting `examples` (and `prepare` when its routes need data).
import type { Role } from '../../../shared/schemas/roles.js';
import type { TestApp } from '../test-app.js';

/** A value for every caller, or one per role — for actions a role can take only once (promote, resolve). */
export type PerRole<T> = T | ((role: Role) => T);

export interface RouteExample {
  /** A concrete URL when the route has parameters or a query; defaults to the route's own URL. */
  url?: PerRole<string>;
  payload?: unknown;
  /** Used instead of `payload` when each role needs its own body. */
  payloadFor?: (role: Role) => unknown;
  headers?: Record<string, string>;
  /**
   * The token subject each role calls with (default `${role}-1`): for routes that consume their caller
   * (DELETE /users/me erases the caller), so later examples still find `${role}-1`.
   */
  subject?: PerRole<string>;
  /** Why this example cannot run here (e.g. `../shared` fixtures are absent); the walk skips it and says so. */
  unavailable?: string;
}

/** Keyed "METHOD /route/url" exactly as Fastify registered it (parameters as `:name`). */
export type RouteExamples = Record<string, RouteExample>;

/**
 * Runs once before the walk, after every role's subject has saved attributes (subject = `${role}-1`).
 * Must leave every example answerable with a 2xx for each allowed role, called in role order
 * (member, reviewer, ml_engineer, admin) — e.g. recreate what a DELETE example removes.
 */
export type PrepareExamples = (t: TestApp) => Promise<void>;
