// NUL characters (U+0000) in string inputs. Postgres text and JSONB cannot store them, so one reaching a
// query fails it with a 500; they are refused at the edge instead, as a 400 naming the field. One check
// for every route (a preValidation hook over params, query and body) and the same helper for inputs
// that arrive another way (GraphQL variables and arguments).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';

/**
 * The path of the first string (or field name) in `value` that contains a NUL, e.g. `body.hobbies[0]`,
 * or null when there is none. A field name that holds one is shown JSON-escaped: `body["a\u0000b"]`.
 * Buffers are bytes, not text, and are skipped. The walk is iterative: a 256 kB body can nest a
 * hundred thousand levels deep, more than the call stack would take.
 */
export function findNulPath(value: unknown, context: string): string | null {
  // Paths are built only for the field found: building one per node would cost depth² on deep nesting.
  interface Node {
    value: unknown;
    segment: string;
    parent: Node | null;
  }
  const pathOf = (node: Node, last = ''): string => {
    const segments = [last];
    for (let at: Node | null = node; at; at = at.parent) segments.push(at.segment);
    return segments.reverse().join('');
  };
  const pending: Node[] = [{ value, segment: context, parent: null }];
  while (pending.length > 0) {
    const node = pending.pop()!;
    const current = node.value;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return pathOf(node);
      continue;
    }
    if (current === null || typeof current !== 'object' || Buffer.isBuffer(current)) continue;
    const children: Node[] = [];
    if (Array.isArray(current)) {
      current.forEach((item, index) => children.push({ value: item, segment: `[${index}]`, parent: node }));
    } else {
      for (const [key, item] of Object.entries(current)) {
        if (key.includes('\u0000')) return pathOf(node, `[${JSON.stringify(key)}]`);
        children.push({ value: item, segment: `.${key}`, parent: node });
      }
    }
    // Reversed onto the stack, so the first field in document order is the one named.
    for (let index = children.length - 1; index >= 0; index--) pending.push(children[index]!);
  }
  return null;
}

/** Throws a 400 naming the first field that contains a NUL. */
export function assertNoNul(value: unknown, context: string): void {
  const path = findNulPath(value, context);
  // A path through absurd nesting is cut short rather than echoed whole.
  if (path)
    throw new HttpError(400, `${path.length > 300 ? `${path.slice(0, 300)}…` : path}: contains a NUL character`);
}

/** Checks a request's URL parts (and body, once parsed) under the names validation errors use. */
export function assertRequestHasNoNul(request: FastifyRequest, parts: { body: boolean }): void {
  assertNoNul(request.params, 'params');
  assertNoNul(request.query, 'querystring');
  if (parts.body) assertNoNul(request.body, 'body');
}

export function registerNulCheck(app: FastifyInstance): void {
  // preValidation: after access checks (onRequest) and body parsing, before schemas and handlers.
  app.addHook('preValidation', async (request) => assertRequestHasNoNul(request, { body: true }));
}
