// One error shape for every response: { statusCode, error, message }. 4xx messages are written for
// the caller and name the field; 5xx responses never carry internals (they are logged instead).
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorResponse } from '../../shared/schemas/errors.js';
import { DomainError, type DomainErrorKind } from '../errors/domain-errors.js';

/**
 * An error of the HTTP layer itself (validators, uploads, GraphQL's request guard): the message must
 * name the field it is about. Services throw DomainError instead (server/errors/domain-errors.ts).
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The one mapping of a service's refusal to an HTTP status. */
export const HTTP_STATUS_FOR: Record<DomainErrorKind, number> = {
  malformed: 400,
  invalid: 422,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported_media_type: 415,
  unavailable: 503,
  upstream_failed: 502,
};

/**
 * Where this request carried an input: `params.id`, `querystring.viewerId`, `body.scores[3].memberId`,
 * `headers.idempotency-key`, or the whole `body`. A field the request did not send is placed where the
 * method carries its input.
 */
export function placeField(
  request: Pick<FastifyRequest, 'params' | 'query' | 'body' | 'headers' | 'method'>,
  field: string,
): string {
  const head = /^[^.[]*/.exec(field)![0];
  const sources: Array<[string, unknown]> = [
    ['params', request.params],
    ['querystring', request.query],
    ['body', request.body],
    ['headers', request.headers],
  ];
  const found = head === '' ? undefined : sources.find(([, source]) => isRecord(source) && Object.hasOwn(source, head));
  const location = found?.[0] ?? (request.method === 'GET' || request.method === 'DELETE' ? 'querystring' : 'body');
  if (field === '') return location;
  return field.startsWith('[') ? `${location}${field}` : `${location}.${field}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function errorBody(statusCode: number, message: string): ErrorResponse {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(
    (error: FastifyError | HttpError | DomainError | Error, request: FastifyRequest, reply: FastifyReply) => {
      if (error instanceof DomainError) {
        const statusCode = HTTP_STATUS_FOR[error.kind];
        const message = error.messageWithField((field) => placeField(request, field));
        if (statusCode >= 500)
          request.log.warn({ statusCode, reason: message, err: error.cause }, 'request refused: service unavailable');
        else request.log.info({ statusCode, reason: message }, 'request rejected');
        return reply.status(statusCode).send(errorBody(statusCode, message));
      }
      const statusCode = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
      if (statusCode >= 500) {
        request.log.error({ err: error }, 'request failed');
        return reply
          .status(statusCode)
          .send(errorBody(statusCode, 'The server failed to handle this request; it has been logged.'));
      }
      request.log.info({ statusCode, reason: error.message }, 'request rejected');
      return reply.status(statusCode).send(errorBody(statusCode, clientMessage(error)));
    },
  );

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
