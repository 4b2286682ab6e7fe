// One error shape for every response: { statusCode, error, message }. 4xx messages are written for
// the caller and name the field; 5xx responses never carry internals (they are logged instead).
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorResponse } from '../../shared/schemas/errors.js';

/** A client error raised by a service: the message must name the field it is about. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A 503 the caller can act on (e.g. "no live ranking model; train or promote one"): the message is
 * written for the caller and carries no internals, so unlike other 5xx errors it is sent as is.
 */
export class UnavailableError extends HttpError {
  constructor(message: string) {
    super(503, message);
  }
}

export function errorBody(statusCode: number, message: string): ErrorResponse {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const statusCode = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (error instanceof UnavailableError) {
      request.log.warn({ statusCode, reason: error.message }, 'request refused: service unavailable');
      return reply.status(statusCode).send(errorBody(statusCode, error.message));
    }
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply
        .status(statusCode)
        .send(errorBody(statusCode, 'The server failed to handle this request; it has been logged.'));
    }
    request.log.info({ statusCode, reason: error.message }, 'request rejected');
    return reply.status(statusCode).send(errorBody(statusCode, clientMessage(error)));
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody(404, `route ${request.method} ${request.url.split('?')[0]} does not exist`)),
  );
}

function clientMessage(error: FastifyError | Error): string {
  const code = 'code' in error ? error.code : undefined;
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'body: is not valid JSON';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'content-type: this route accepts application/json';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'body: is larger than this route accepts';
    default:
      return error.message;
  }
}
