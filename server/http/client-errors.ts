// Answers for requests that never reach a route: a malformed URL or an over-long path parameter (the
// router refuses them) and connection-level errors (a request not received in time, a request line and
// headers larger than Node reads, bytes that are not HTTP). They get the same { statusCode, error,
// message } shape, request id and security headers as every other answer, and never echo the URL.
import { randomUUID } from 'node:crypto';
import { maxHeaderSize, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './errors.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import { securityHeaders } from './security-headers.js';

/** Fastify's `frameworkErrors` option: errors raised while routing, before any hook runs. */
export function createFrameworkErrorHandler(maxParamLength: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const [statusCode, message] =
      error.code === 'FST_ERR_BAD_URL'
        ? [400, 'url: is not valid percent-encoding (a "%" must be followed by two hex digits of UTF-8)']
        : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? [414, `url: a path parameter is longer than ${maxParamLength} characters`]
          : [500, 'The server failed to handle this request; it has been logged.'];
    if (statusCode >= 500) request.log.error({ err: error }, 'request failed while routing');
    else request.log.info({ statusCode, reason: message }, 'request rejected');
    // These replies skip the app's onSend hooks, so the headers they would add are set here.
    void reply
      .status(statusCode)
      .headers({ ...securityHeaders(request.url), [REQUEST_ID_HEADER]: request.id })
      .send(errorBody(statusCode, message));
  };
}

interface ConnectionError extends Error {
  code?: string;
}

/** Fastify's `clientErrorHandler`: the connection is answered in the error shape, then closed. */
export function createClientErrorHandler(requestTimeoutSeconds: number) {
  return function handleClientError(this: FastifyInstance, error: ConnectionError, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [statusCode, message] =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, `request: not received in full within ${requestTimeoutSeconds} s`]
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, `url: with the headers, longer than the ${maxHeaderSize} bytes the server reads`]
          : [400, 'request: is not valid HTTP/1.1'];
    const requestId = randomUUID();
    this.log.info({ reqId: requestId, statusCode, reason: message, code: error.code }, 'connection rejected');
    // Like Node's own handler: write only when no response has started on this connection.
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const body = JSON.stringify(errorBody(statusCode, message));
      const headers = {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(body)),
        [REQUEST_ID_HEADER]: requestId,
        ...securityHeaders('/api/'),
        connection: 'close',
      };
      const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
      // Closed once the answer is flushed: a client still sending (a trickled body) must not keep it open.
      socket.write(`HTTP/1.1 ${statusCode} ${errorBody(statusCode, '').error}\r\n${head.join('')}\r\n${body}`, () =>
        socket.destroy(),
      );
      return;
    }
    socket.destroy();
  };
}
