// Request logs keep the URL (it says what was asked) but not the secrets some URLs carry: the upload
// route's signature, tokens and signed-URL parameters in a query string. Their values are replaced
// before the line is written.
import type { FastifyRequest } from 'fastify';

const SECRET_PARAMETERS = new Set(['sig', 'code', 'api_key', 'apikey', 'x-amz-credential', 'x-amz-security-token']);
/** Names ending like these are secrets whatever comes before: signature, x-amz-signature, access_token… */
const SECRET_SUFFIX = /(signature|token|secret|password)$/;

export const REDACTED = '[redacted]';

function isSecretParameter(rawName: string): boolean {
  let name: string;
  try {
    name = decodeURIComponent(rawName.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    name = rawName.toLowerCase();
  }
  return SECRET_PARAMETERS.has(name) || SECRET_SUFFIX.test(name);
}

/** The URL with the values of secret query parameters replaced; everything else is kept as sent. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      return equals >= 0 && isSecretParameter(name) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, queryStart)}?${query}`;
}

/** Fastify's own request serializer, with the URL redacted. */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    version: request.headers?.['accept-version'],
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
