// Every route declares who may call it (`config.access`); this plugin refuses to start an app with a
// route that does not, verifies bearer tokens, and answers 401/403 before any handler runs. Member-preview
// tokens are read-only unless minted writable, and every request made with one is audited as the
// reviewer's before it is handled.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Access } from '../../shared/schemas/roles.js';
import { ANY_ROLE } from '../../shared/schemas/roles.js';
import { errorBody } from '../http/errors.js';
import type { PreviewAuditRepository } from './preview-audit.repository.js';
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

/** What a read-only preview token may do: look, never change. */
const READ_METHODS = new Set(['GET', 'HEAD']);

export interface AuthPluginOptions {
  verifyToken: TokenVerifier;
  /** Where preview requests are recorded; without it (static-route tests) preview tokens are refused. */
  previewAudit?: PreviewAuditRepository;
}

export const authPlugin = fp<AuthPluginOptions>(
  async (app: FastifyInstance, { verifyToken, previewAudit }) => {
    app.decorate('routeCatalog', []);
    app.decorateRequest('principal', null);
    const auditRows = new WeakMap<FastifyRequest, string>();

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
      const { preview } = request.principal;
      if (preview) {
        // Recorded before anything else happens, refused or not: the trail shows every attempt.
        if (!previewAudit) {
          return reply
            .status(403)
            .send(errorBody(403, 'authorization: preview tokens are not accepted here (no audit)'));
        }
        const entry = {
          reviewerId: preview.reviewerId,
          memberId: request.principal.subject,
          tokenId: request.principal.tokenId ?? null,
          writable: preview.write,
        };
        auditRows.set(request, await previewAudit.recordRequest(entry, request.method, request.routeOptions.url!));
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
      if (preview && !preview.write && !READ_METHODS.has(request.method)) {
        return reply
          .status(403)
          .send(
            errorBody(
              403,
              `authorization: preview tokens are read-only (${request.method} refused); an admin can mint a writable preview with "write": true`,
            ),
          );
      }
    });

    app.addHook('onResponse', async (request, reply) => {
      const row = auditRows.get(request);
      if (row && previewAudit) await previewAudit.recordStatus(row, reply.statusCode);
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
