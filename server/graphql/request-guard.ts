// Checks a /graphql request before mercurius sees it: the shape of the parameters (GET or POST), unsafe
// keys, nesting and NUL characters in variables (GET's arrive as JSON text the global NUL check cannot see), the document's size, syntax and operation, and the static
// limits. Anything wrong is an HttpError naming the parameter, so a malformed request is always a 4xx
// and an expensive one never reaches validation or a resolver.
import {
  getOperationAST,
  Kind,
  OperationTypeNode,
  parse,
  type DocumentNode,
  type OperationDefinitionNode,
} from 'graphql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.js';
import { assertNoNul } from '../http/nul-characters.js';
import { exceededLimit, measureOperation, type DocumentLimits } from './document-limits.js';

export interface GuardLimits extends DocumentLimits {
  maxQueryBytes: number;
}

/** JSON nested deeper than this in variables or extensions is refused (ours nest four levels). */
export const MAX_VARIABLES_DEPTH = 32;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

interface GraphqlParams {
  query: unknown;
  variables: unknown;
  operationName: unknown;
  extensions: unknown;
}

/** A Fastify preValidation hook for mercurius's GET and POST /graphql routes. */
export function graphqlRequestGuard(limits: GuardLimits) {
  return async function guardGraphqlRequest(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const isGet = request.method === 'GET';
    const params = isGet ? paramsFromQueryString(request.query) : paramsFromBody(request.body);
    const query = checkParams(params);
    const { document, operation } = parseOperation(query, params.operationName as string | null | undefined, limits);
    if (isGet && operation.operation !== OperationTypeNode.QUERY) {
      reply.header('allow', 'POST');
      throw new HttpError(405, `query: a ${operation.operation} must be sent with POST`);
    }
    const exceeded = exceededLimit(measure(document, operation), limits);
    if (exceeded) throw new HttpError(400, exceeded);
  };

  function checkParams(params: GraphqlParams): string {
    const { query, variables, operationName, extensions } = params;
    if (extensions !== undefined && extensions !== null) {
      if (!isPlainObject(extensions)) throw new HttpError(400, 'extensions: must be an object');
      if (Object.hasOwn(extensions, 'persistedQuery')) {
        throw new HttpError(400, 'extensions.persistedQuery: persisted queries are not supported; send the query text');
      }
      refuseUnsafeValues(extensions, 'extensions');
    }
    if (variables !== undefined && variables !== null) {
      if (!isPlainObject(variables)) throw new HttpError(400, 'variables: must be an object');
      refuseUnsafeValues(variables, 'variables');
    }
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
      throw new HttpError(400, 'operationName: must be a string');
    }
    if (query === undefined || query === null || query === '') throw new HttpError(400, 'query: is required');
    if (typeof query !== 'string') throw new HttpError(400, 'query: must be a string');
    const bytes = Buffer.byteLength(query, 'utf8');
    if (bytes > limits.maxQueryBytes) {
      throw new HttpError(
        400,
        `query: is ${bytes} bytes; the limit is ${limits.maxQueryBytes} (SDE_GRAPHQL_MAX_QUERY_BYTES)`,
      );
    }
    return query;
  }
}

function paramsFromBody(body: unknown): GraphqlParams {
  if (!isPlainObject(body)) {
    throw new HttpError(400, 'body: must be a JSON object with a "query" string (batches are not supported)');
  }
  for (const key of Object.keys(body)) {
    if (FORBIDDEN_KEYS.has(key)) throw new HttpError(400, `body.${key}: is not an allowed key`);
  }
  return {
    query: body.query,
    variables: body.variables,
    operationName: body.operationName,
    extensions: body.extensions,
  };
}

function paramsFromQueryString(queryString: unknown): GraphqlParams {
  const params = (queryString ?? {}) as Record<string, unknown>;
  const single = (name: string): unknown => {
    const value = params[name];
    if (Array.isArray(value)) throw new HttpError(400, `${name}: must be given once`);
    return value;
  };
  return {
    query: single('query'),
    variables: jsonParam('variables', single('variables')),
    operationName: single('operationName'),
    extensions: jsonParam('extensions', single('extensions')),
  };
}

/** GET carries variables and extensions as JSON text. */
function jsonParam(name: string, value: unknown): unknown {
  if (value === undefined || value === '') return undefined;
  try {
    return JSON.parse(value as string);
  } catch {
    throw new HttpError(400, `${name}: is not valid JSON`);
  }
}

function parseOperation(
  query: string,
  operationName: string | null | undefined,
  limits: GuardLimits,
): { document: DocumentNode; operation: OperationDefinitionNode } {
  let document: DocumentNode;
  try {
    // The byte limit already bounds the tokens; this only keeps the parser from more work than that.
    document = parse(query, { maxTokens: limits.maxQueryBytes });
  } catch (error) {
    if (error instanceof RangeError) throw new HttpError(400, 'query: is nested too deeply to parse');
    throw new HttpError(400, `query: ${(error as Error).message}`);
  }
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (operations.length === 0) throw new HttpError(400, 'query: contains no operation');
  const operation = getOperationAST(document, operationName);
  if (!operation) {
    throw new HttpError(
      400,
      operationName
        ? `operationName: the query has no operation named "${operationName}"`
        : 'operationName: is required when the query has several operations',
    );
  }
  return { document, operation };
}

function measure(document: DocumentNode, operation: OperationDefinitionNode): ReturnType<typeof measureOperation> {
  try {
    return measureOperation(document, operation);
  } catch (error) {
    // A chain of thousands of fragments can outrun the stack; it is no query anyone needs.
    if (error instanceof RangeError) throw new HttpError(400, 'query: nests fragments too deeply');
    throw error;
  }
}

/**
 * Refuses prototype-polluting keys, absurd nesting and NUL characters (Postgres text cannot hold them)
 * anywhere in `value`, naming the path. The key and depth walk is iterative, so deep nesting cannot
 * exhaust the stack; the NUL check then walks at most MAX_VARIABLES_DEPTH levels.
 */
export function refuseUnsafeValues(value: unknown, root: string): void {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, path, depth } = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_VARIABLES_DEPTH) {
      throw new HttpError(400, `${path}: is nested deeper than ${MAX_VARIABLES_DEPTH} levels`);
    }
    if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push({ value: item, path: `${path}[${index}]`, depth: depth + 1 }));
      continue;
    }
    for (const [key, item] of Object.entries(current)) {
      if (FORBIDDEN_KEYS.has(key)) throw new HttpError(400, `${path}.${key}: is not an allowed key`);
      pending.push({ value: item, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  assertNoNul(value, root);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
