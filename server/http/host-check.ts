// The Host-header check (DNS-rebinding defence) for a server that must only be reached by name as
// itself, such as the desktop app's loopback server: a web page on an attacker's domain that rebinds
// that name to 127.0.0.1 sends its requests with the attacker's Host, and is refused here (421) before
// any route, static file or docs page runs. Configured by SDE_ALLOWED_HOSTS; unset, every Host is served.
import type { FastifyInstance } from 'fastify';
import { errorBody } from './errors.js';

/** A host name, IPv4 address or bracketed IPv6 address, with an optional port: what a Host header holds. */
const HOST_PATTERN = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/;

interface HostAndPort {
  host: string;
  /** Null in an allowed entry: the port the server listens on. */
  port: number | null;
}

function parseHost(text: string): HostAndPort | null {
  const match = HOST_PATTERN.exec(text.trim().toLowerCase());
  if (!match) return null;
  const port = match[2] === undefined ? null : Number(match[2]);
  if (port !== null && port > 65535) return null;
  return { host: match[1]!, port };
}

/**
 * SDE_ALLOWED_HOSTS as a list of `host` / `host:port` entries (lower case); a `host` without a port
 * allows that name on the port the server listens on (the desktop app listens on a random one).
 * Throws naming the entry that is neither.
 */
export function parseAllowedHosts(text: string): string[] {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.some((entry) => entry === '')) throw new Error('an empty entry; list host or host:port entries');
  return entries.map((entry) => {
    const parsed = parseHost(entry);
    if (!parsed) throw new Error(`"${entry}" is not a host or host:port (e.g. 127.0.0.1,localhost:8080)`);
    return parsed.port === null ? parsed.host : `${parsed.host}:${parsed.port}`;
  });
}

/** Whether a Host header names an allowed entry; an absent port in the header is HTTP's 80. */
export function isAllowedHost(header: string | undefined, allowed: readonly string[], listeningPort: number | null) {
  if (header === undefined) return false;
  const requested = parseHost(header);
  if (!requested) return false;
  const port = requested.port ?? 80;
  return allowed.some((entry) => {
    const expected = parseHost(entry);
    if (!expected || expected.host !== requested.host) return false;
    // A port-less entry means "the port this server listens on"; app.inject, which never listens, skips it.
    const expectedPort = expected.port ?? listeningPort;
    return expectedPort === null || expectedPort === port;
  });
}

/** Adds the check as the first onRequest hook of the whole app; nothing when `allowedHosts` is unset. */
export function registerHostCheck(app: FastifyInstance, allowedHosts: readonly string[] | undefined): void {
  if (!allowedHosts || allowedHosts.length === 0) return;
  app.addHook('onRequest', async (request, reply) => {
    const address = app.server.address();
    const listeningPort = typeof address === 'object' && address !== null ? address.port : null;
    if (isAllowedHost(request.headers.host, allowedHosts, listeningPort)) return;
    request.log.warn({ host: request.headers.host }, 'request refused: Host is not an allowed host');
    return reply
      .status(421)
      .send(errorBody(421, 'headers.host: this server answers only to its own host names (SDE_ALLOWED_HOSTS)'));
  });
}
