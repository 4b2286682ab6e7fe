// Headers every response carries: `nosniff` so a browser never runs a JSON or text answer as script or
// HTML, and `no-store` on the API and GraphQL, whose answers are personal data that no browser or
// shared cache should keep.
import type { FastifyInstance } from 'fastify';

/** Paths whose answers are about members (and so are never cached). */
function carriesPersonalData(url: string): boolean {
  return url.startsWith('/api/') || url === '/graphql' || url.startsWith('/graphql?');
}

export function securityHeaders(url: string): Record<string, string> {
  const headers: Record<string, string> = { 'x-content-type-options': 'nosniff' };
  if (carriesPersonalData(url)) headers['cache-control'] = 'no-store';
  return headers;
}

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    reply.headers(securityHeaders(request.url));
  });
}

/**
 * The API docs page (swagger-ui): its scripts, styles and the spec all come from this server, the logo
 * is a data: URL, and "try it out" calls this API. Nothing inline runs, nothing external loads.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "base-uri 'self'",
  "connect-src 'self'",
  "font-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self'",
].join('; ');
