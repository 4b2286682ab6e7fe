// Every route declares who may call it (`config.access`); this plugin refuses to start an app with a
// route that does not, verifies bearer tokens, and answers 401/403 before any handler runs.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Access } from '../../shared/schemas/roles.js';
import { ANY_ROLE } from '../../shared/schemas/roles.js';
import { errorBody } from '../http/errors.js';
import { TokenRejected, type Principal, type TokenVerifier } from './tokens.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every route with its access, for the docs and the route × role test. */
    routeCatalog: Array<{ method: string; url: string; access: Access }>;
  }
}

/** Routes that third-party plugins add, which cannot carry our config. */
const PLUGIN_ROUTE_ACCESS: Array<{ prefix: string; access: Access }> = [
  { prefix: '/docs', access: 'public' },
  { prefix: '/graphql', access: ANY_ROLE },
  { prefix: '/graphiql', access: 'public' },
];

function accessOf(route: Pick<RouteOptions, 'url' | 'config'>): Access | undefined {
  const declared = route.config?.access;
  if (declared) return declared;
  return PLUGIN_ROUTE_ACCESS.find((entry) => route.url.startsWith(entry.prefix))?.access;
}

export const authPlugin = fp<{ verifyToken: TokenVerifier }>(
  async (app: FastifyInstance, { verifyToken }) => {
    app.decorate('routeCatalog', []);
    app.decorateRequest('principal', null);

    app.addHook('onRoute', (route) => {
      const access = accessOf(route);
      if (!access) throw new Error(`route ${String(route.method)} ${route.url} does not declare config.access`);
      route.config = { ...(route.config as object), access };
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') app.routeCatalog.push({ method, url: route.url, access });
      }
    });

    app.addHook('onRequest', async (request, reply) => {
      const access = request.routeOptions.config.access;
      // Unknown routes (404s) carry no access; the not-found handler answers them.
      if (!access || access === 'public') return;
      try {
        request.principal = await verifyToken(bearerToken(request));
      } catch (error) {
        if (!(error instanceof TokenRejected)) throw error;
        if (error.statusCode === 401) reply.header('www-authenticate', 'Bearer error="invalid_token"');
        return reply.status(error.statusCode).send(errorBody(error.statusCode, error.message));
      }
      if (!access.includes(request.principal.role)) {
        return reply
          .status(403)
          .send(
            errorBody(
              403,
              `authorization: role "${request.principal.role}" may not call ${request.method} ${request.routeOptions.url} (allowed: ${access.join(', ')})`,
            ),
          );
      }
    });
  },
  { name: 'sde-auth' },
);

function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header) throw new TokenRejected('authorization: missing bearer token');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new TokenRejected('authorization: header must be "Bearer <token>"');
  return match[1];
}

/** The caller of a route that is not public; the auth hook guarantees it is set. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error(`no principal on ${request.method} ${request.url}`);
  return request.principal;
}
