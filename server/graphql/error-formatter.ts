// Turns mercurius's errors into this project's answers. Execution errors of a valid request keep the
// GraphQL convention (200 with `errors[]`, or the resolver's 4xx); a refused request (malformed,
// over a limit, invalid) answers its 4xx with the project's `{ statusCode, error, message }` beside
// GraphQL's `data: null, errors[]`, so REST-minded and GraphQL clients both read it. Anything that is
// not a client error is logged and hidden behind a 500.
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { DomainError } from '../errors/domain-errors.js';
import { errorBody, HTTP_STATUS_FOR, HttpError } from '../http/errors.js';

const SERVER_FAULT = 'The server failed to handle this request; it has been logged.';

/** Fastify's own client errors, before the request reaches GraphQL, named after what they are about. */
const FASTIFY_CLIENT_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: 'body: is empty; send a JSON object with a "query" string',
  FST_ERR_CTP_INVALID_JSON_BODY: 'body: is not valid JSON (or has a __proto__ / constructor key)',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body: is larger than this route accepts',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'content-type: /graphql accepts application/json or application/graphql',
};

interface Classified {
  formatted: GraphQLFormattedError;
  /** The caller's message in the project's convention: it starts with what it is about. */
  message: string;
  /** The 4xx this error asks for, if any; null for a GraphQL error without an HTTP status. */
  status: number | null;
  fault: boolean;
}

export function formatGraphqlErrors(
  execution: ExecutionResult & { errors: ReadonlyArray<GraphQLError> },
  log: FastifyBaseLogger,
): { statusCode: number; response: Record<string, unknown> } {
  const classified = execution.errors.flatMap((error) => classify(error, log));
  const fault = classified.some((entry) => entry.fault);
  const errors = classified.map((entry) => entry.formatted);
  const data = execution.data ?? null;
  let statusCode = 200;
  if (fault) statusCode = 500;
  else if (data === null) statusCode = classified.find((entry) => entry.status !== null)?.status ?? 200;
  if (statusCode === 200) return { statusCode, response: { data, errors } };
  const message = fault ? SERVER_FAULT : (classified[0]?.message ?? 'request: is invalid');
  return { statusCode, response: { ...errorBody(statusCode, message), data, errors } };
}

function classify(error: GraphQLError, log: FastifyBaseLogger): Classified[] {
  const original: (Error & { statusCode?: unknown; errors?: unknown }) | undefined = error.originalError;
  if (original instanceof DomainError) {
    // A service's refusal: its field is named as the GraphQL arguments name it.
    const message = original.messageWithField((field) => field || 'input');
    const status = HTTP_STATUS_FOR[original.kind];
    return [{ formatted: { ...error.toJSON(), message }, message, status, fault: false }];
  }
  const status = original instanceof HttpError ? original.statusCode : clientStatus(original);
  // mercurius wraps validation and variable errors in one error carrying them all.
  if (original && Array.isArray(original.errors) && status !== null) {
    return (original.errors as Error[]).map((inner) => {
      const graphqlError = isGraphqlError(inner) ? inner : new GraphQLError(inner.message);
      return { formatted: graphqlError.toJSON(), message: prefixed(graphqlError), status, fault: false };
    });
  }
  if (!original || isGraphqlError(original)) {
    return [{ formatted: error.toJSON(), message: prefixed(error), status, fault: false }];
  }
  if (original instanceof HttpError || status !== null) {
    const code = 'code' in original && typeof original.code === 'string' ? original.code : '';
    const message = FASTIFY_CLIENT_MESSAGES[code] ?? original.message;
    return [{ formatted: { ...error.toJSON(), message }, message, status, fault: false }];
  }
  log.error({ err: original }, 'graphql request failed');
  return [{ formatted: { message: SERVER_FAULT, path: error.path }, message: SERVER_FAULT, status: 500, fault: true }];
}

/**
 * mercurius loads graphql's CommonJS build and this code its ES module build: two GraphQLError
 * classes, so `instanceof` alone would miss mercurius's errors.
 */
function isGraphqlError(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError || (error instanceof Error && error.name === 'GraphQLError');
}

/** onResolution hook: a resolver's 4xx (or a hidden 500) carries the project's error fields too. */
export async function addProjectErrorFields(
  execution: ExecutionResult,
  context: { reply: FastifyReply },
): Promise<void> {
  const statusCode = context.reply.statusCode;
  if (statusCode < 400) return;
  Object.assign(execution, errorBody(statusCode, execution.errors?.[0]?.message ?? SERVER_FAULT));
}

function clientStatus(error: { statusCode?: unknown } | undefined): number | null {
  const status = error?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

/** GraphQL's own messages say what is wrong but not where; name the parameter and the position. */
function prefixed(error: GraphQLError): string {
  const where = error.locations?.[0] ? ` (line ${error.locations[0].line}, column ${error.locations[0].column})` : '';
  const about = /^Variable "\$/.test(error.message) ? 'variables' : 'query';
  return `${about}: ${error.message}${where}`;
}
