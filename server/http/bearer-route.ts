// Route options of a bearer-authenticated route, written once: who may call it (`config.access`, checked
// by the auth plugin), the bearer security requirement the OpenAPI document shows, and the 401 and 403
// answers every such route can give. Routes list only what is particular to them.
import type { FastifyContextConfig, FastifySchema } from 'fastify';
import { ErrorResponse } from '../../shared/schemas/errors.js';
import type { Access } from '../../shared/schemas/roles.js';

/** A response map entry of `ErrorResponse` for each status code given. */
export function errorResponses<const Code extends number>(...codes: Code[]): Record<Code, typeof ErrorResponse> {
  return Object.fromEntries(codes.map((code) => [code, ErrorResponse])) as Record<Code, typeof ErrorResponse>;
}

/** What the auth plugin answers on any bearer route: no or a bad token (401), a role not allowed (403). */
const AUTHENTICATION_ERRORS = errorResponses(401, 403);

interface BearerRouteSchema extends FastifySchema {
  tags: string[];
  summary: string;
  description?: string;
  response: Record<number, unknown>;
}

/**
 * The `config` and `schema` of a route callable with a bearer token by `access`; `config` carries the
 * rest of the route's config (its rate-limit bucket).
 */
export function bearerRoute<Schema extends BearerRouteSchema>(
  access: Access,
  schema: Schema,
  config: Omit<FastifyContextConfig, 'access'> = {},
) {
  return {
    config: { access, ...config },
    schema: {
      ...schema,
      security: [{ bearer: [] as string[] }],
      response: { ...schema.response, ...AUTHENTICATION_ERRORS },
    },
  };
}
