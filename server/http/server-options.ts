// The HTTP server's limits, from config: how long a client may take to send a request (headers and
// body), how long a socket may sit idle or kept alive, and how many may be open at once. Without them a
// client trickling a body one byte at a time, or simply opening sockets, holds server resources forever.
import type { Server } from 'node:http';
import type { HttpServerConfig } from '../config/config.js';
import { createClientErrorHandler } from './client-errors.js';

/** Fastify options for the timeouts (milliseconds) and the answer to a request that ran out of time. */
export function httpServerOptions(limits: HttpServerConfig) {
  const requestTimeout = limits.requestTimeoutSeconds * 1000;
  return {
    requestTimeout,
    connectionTimeout: limits.idleTimeoutSeconds * 1000,
    keepAliveTimeout: limits.keepAliveTimeoutSeconds * 1000,
    http: {
      requestTimeout,
      headersTimeout: requestTimeout,
      // Node looks for expired requests on this interval (30 s by default, which would double a 30 s
      // timeout); a check is a walk over the open connections, cheap at once a second.
      connectionsCheckingInterval: Math.min(1000, requestTimeout / 4),
    },
    clientErrorHandler: createClientErrorHandler(limits.requestTimeoutSeconds),
  };
}

/** Connections beyond the cap are closed as they arrive (Node's `server.maxConnections`). */
export function capConnections(server: Server, limits: HttpServerConfig): void {
  server.maxConnections = limits.maxConnections;
}
