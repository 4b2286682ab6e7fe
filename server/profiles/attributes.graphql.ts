// GraphQL surface for profiles (mercurius): query `me`, mutation `upsertUserAttributes`.
// Inputs pass the same JSON-schema validation and the same service as the REST routes. Every request
// is checked for shape and cost before mercurius runs it (server/graphql/, docs/graphql.md).
import mercurius from 'mercurius';
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UserAttributesInput } from '../../shared/schemas/attributes.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { GraphqlConfig } from '../config/config.js';
import { compileBodyValidator } from '../http/validators.js';
import { addProjectErrorFields, formatGraphqlErrors } from '../graphql/error-formatter.js';
import { graphqlRequestGuard, refuseUnsafeValues } from '../graphql/request-guard.js';
import type { AttributesService } from './attributes.service.js';

const schema = /* GraphQL */ `
  scalar JSON

  type Location {
    lat: Float!
    lon: Float!
    place: String
  }

  type UserAttributes {
    memberId: ID!
    location: Location!
    birthday: String!
    hobbies: [String!]!
    communities: [String!]!
    connectors: JSON!
    gender: String!
    seeking: [String!]!
    updatedAt: String!
  }

  input LocationInput {
    lat: Float!
    lon: Float!
    place: String
  }

  input UserAttributesInput {
    location: LocationInput!
    birthday: String!
    hobbies: [String!]!
    communities: [String!]!
    connectors: JSON!
    gender: String!
    seeking: [String!]!
  }

  type Query {
    "The caller's attributes, or null before the first save."
    me: UserAttributes
  }

  type Mutation {
    "Create or replace the caller's attributes; queues a re-embed."
    upsertUserAttributes(input: UserAttributesInput!): UserAttributes!
  }
`;

/** Arbitrary JSON objects (connectors); literals are turned into plain values. */
const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: function literal(node: ValueNode): unknown {
    switch (node.kind) {
      case Kind.OBJECT:
        return Object.fromEntries(node.fields.map((field) => [field.name.value, literal(field.value)]));
      case Kind.LIST:
        return node.values.map(literal);
      case Kind.STRING:
      case Kind.BOOLEAN:
        return node.value;
      case Kind.INT:
      case Kind.FLOAT:
        return Number(node.value);
      case Kind.NULL:
        return null;
      default:
        throw new GraphQLError('JSON literal cannot contain variables here');
    }
  },
});

const validateInput = compileBodyValidator<UserAttributesInput>(UserAttributesInput, 'input');

/** GraphQL input objects arrive with a null prototype and explicit nulls for omitted optionals. */
export function plainInput(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainInput);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, plainInput(v)]),
    );
  }
  return value;
}

export async function registerAttributesGraphql(
  app: FastifyInstance,
  attributes: AttributesService,
  config: GraphqlConfig,
): Promise<void> {
  await app.register(mercurius, {
    schema,
    path: '/graphql',
    graphiql: config.graphiql,
    // Shape, size, depth, aliases, cost, mutations and introspection are checked here, on GET and
    // POST alike, before mercurius parses, validates or executes anything.
    additionalRouteOptions: { preValidation: graphqlRequestGuard(config) },
    context: (request: FastifyRequest) => ({ principal: principalOf(request) }),
    resolvers: {
      JSON: JsonScalar,
      Query: {
        me: (_root, _args, context) => attributes.get(context.principal.subject),
      },
      Mutation: {
        upsertUserAttributes: async (_root, args: { input: unknown }, context) => {
          const plain = plainInput(args.input);
          // Inline literals skip the request guard's variables check; Postgres text cannot hold NUL.
          refuseUnsafeValues(plain, 'input');
          const input = validateInput(plain);
          return (await attributes.save(context.principal.subject, input)).attributes;
        },
      },
    },
    errorFormatter: (execution, context) => formatGraphqlErrors(execution, context.reply.log),
  });
  app.graphql.addHook('onResolution', addProjectErrorFields);
}

declare module 'mercurius' {
  interface MercuriusContext {
    principal: ReturnType<typeof principalOf>;
  }
}
