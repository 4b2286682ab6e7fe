// GraphQL surface for privacy settings (docs/privacy.md): query `privacy`, mutation `updatePrivacy`, added
// to the /graphql schema the profiles module registers (server/profiles/attributes.graphql.ts). Inputs pass
// the same validation and the same service as PATCH /api/v2/discovery/privacy.
import type { FastifyInstance } from 'fastify';
import { PrivacyPatch } from '../../shared/schemas/privacy.js';
import { compileBodyValidator } from '../http/validators.js';
import { plainInput } from '../profiles/attributes.graphql.js';
import { requireSomeGroup, type PrivacyService } from './privacy.service.js';

const privacySchema = /* GraphQL */ `
  type PrivacySetting {
    enabled: Boolean!
    changedAt: String
  }

  type PrivacySettings {
    interests: PrivacySetting!
    behavioural: PrivacySetting!
    connectors: PrivacySetting!
    favorites: PrivacySetting!
  }

  "What a change set in motion, e.g. taste_vector_deleted or reembed_queued."
  type PrivacyEffect {
    effect: String!
    group: String
    count: Int
    at: String
  }

  type PrivacyResult {
    settings: PrivacySettings!
    effects: [PrivacyEffect!]!
  }

  input PrivacyInput {
    interests: Boolean
    behavioural: Boolean
    connectors: Boolean
    favorites: Boolean
  }

  extend type Query {
    "The caller's privacy settings."
    privacy: PrivacyResult!
  }

  extend type Mutation {
    "Turn feature groups on or off; effects run in the same transaction as the change."
    updatePrivacy(input: PrivacyInput!): PrivacyResult!
  }
`;

const validatePrivacyInput = compileBodyValidator<PrivacyPatch>(PrivacyPatch, 'input');

/** Adds the privacy fields to the /graphql schema registered by `registerAttributesGraphql`. */
export async function registerPrivacyGraphql(app: FastifyInstance, privacy: PrivacyService): Promise<void> {
  // Typed as possibly async (federation); awaiting also surfaces a schema error at start-up.
  await app.graphql.extendSchema(privacySchema);
  app.graphql.defineResolvers({
    Query: {
      privacy: (_root, _args, context) => privacy.get(context.principal.subject),
    },
    Mutation: {
      updatePrivacy: async (_root, args: { input: unknown }, context) => {
        const input = validatePrivacyInput(plainInput(args.input));
        requireSomeGroup(input, 'input');
        return privacy.update(context.principal.subject, input);
      },
    },
  });
}
