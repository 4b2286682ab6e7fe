// GraphQL surface for profiles (mercurius): query `me`, mutation `upsertUserAttributes`.
// Inputs pass the same JSON-schema validation and the same service as the REST routes.
import mercurius from 'mercurius';
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UserAttributesInput } from '../../shared/schemas/attributes.js';
import { principalOf } from '../auth/auth.plugin.js';
import { HttpError } from '../http/errors.js';
import { compileBodyValidator } from '../http/validators.js';
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
function plainInput(value: unknown): unknown {
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

export async function registerAttributesGraphql(app: FastifyInstance, attributes: AttributesService): Promise<void> {
  await app.register(mercurius, {
    schema,
    path: '/graphql',
    graphiql: false,
    context: (request: FastifyRequest) => ({ principal: principalOf(request) }),
    resolvers: {
      JSON: JsonScalar,
      Query: {
        me: (_root, _args, context) => attributes.get(context.principal.subject),
      },
      Mutation: {
        upsertUserAttributes: async (_root, args: { input: unknown }, context) => {
          const input = validateInput(plainInput(args.input));
          return (await attributes.save(context.principal.subject, input)).attributes;
        },
      },
    },
    errorFormatter: (execution, context) => {
      const formatted = mercurius.defaultErrorFormatter(execution, context);
      let statusCode = formatted.statusCode;
      const errors = (formatted.response.errors ?? []).map((error) => {
        const original = execution.errors.find((e) => e.message === error.message)?.originalError;
        if (!original || original instanceof HttpError || original instanceof GraphQLError) return error;
        // Anything else is a server fault: log it, never show it.
        context.reply.log.error({ err: original }, 'graphql resolver failed');
        statusCode = 500;
        return { message: 'The server failed to handle this request; it has been logged.', path: error.path };
      });
      return { statusCode, response: { ...formatted.response, errors } };
    },
  });
}

declare module 'mercurius' {
  interface MercuriusContext {
    principal: ReturnType<typeof principalOf>;
  }
}
