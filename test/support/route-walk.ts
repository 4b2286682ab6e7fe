/// <reference types="vite/client" />
// Tests that walk every route (the route × role access test, the fuzz test) start the app the same
// way: every module's example requests, with the settings those examples need, prepared for every role.
import type { Config } from '../../server/config/config.js';
import { ROLES } from '../../shared/schemas/roles.js';
import type { DatabaseKind } from './databases.js';
import type { PrepareExamples, RouteExample, RouteExamples } from './route-examples/route-example.js';
import { bearer, startTestApp, validAttributes, type TestApp } from './test-app.js';

interface ExampleModule {
  examples: RouteExamples;
  prepare?: PrepareExamples;
  /** Settings the module's routes need to answer at all (e.g. a fake upstream's URL). */
  configure?: () => Promise<Partial<Config>>;
}

// Every module's examples; a route without one fails the access test.
const modules = Object.values(import.meta.glob<ExampleModule>('./route-examples/*.ts', { eager: true }));

export const routeExamples: RouteExamples = Object.assign({}, ...modules.map((m) => m.examples ?? {}));

export function exampleFor(method: string, url: string): RouteExample {
  return routeExamples[`${method} ${url}`] ?? {};
}

/**
 * The app with every module's settings (plus `config`), where every role's subject (`${role}-1`) has
 * saved attributes and every module's examples are prepared.
 */
export async function startAppForRouteWalk(kind: DatabaseKind, config: Partial<Config> = {}): Promise<TestApp> {
  const configs = await Promise.all(modules.map((m) => (m.configure ? m.configure() : Promise.resolve({}))));
  const t = await startTestApp(kind, { config: Object.assign({}, ...configs, config) as Partial<Config> });
  // GET attributes answers 404 until the caller has saved some: save them for every role's subject.
  for (const role of ROLES) {
    await t.app.inject({
      method: 'PUT',
      url: '/api/v2/users/me/attributes',
      headers: bearer(await t.token(role)),
      payload: validAttributes(),
    });
  }
  for (const module of modules) await module.prepare?.(t);
  return t;
}
