import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { UserAttributes, UserAttributesInput } from '../../shared/schemas/attributes.js';
import { ANY_ROLE } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import { errorBody } from '../http/errors.js';
import type { AttributesService } from './attributes.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

export const attributesRoutes: FastifyPluginAsyncTypebox<{ attributes: AttributesService }> = async (
  app,
  { attributes },
) => {
  app.get(
    '/api/v2/users/me/attributes',
    bearerRoute(ANY_ROLE, {
      tags: ['profiles'],
      summary: "The caller's attributes",
      response: { 200: UserAttributes, ...errorResponses(400, 404) },
    }),
    async (request, reply) => {
      const found = await attributes.get(principalOf(request).subject);
      if (!found) {
        return reply.status(404).send(errorBody(404, 'attributes: none saved for this member yet; PUT them first'));
      }
      return found;
    },
  );

  app.put(
    '/api/v2/users/me/attributes',
    bearerRoute(ANY_ROLE, {
      tags: ['profiles'],
      summary: "Create or replace the caller's attributes (the first save creates the member)",
      description: 'Saving queues a re-embed of the member’s taste vector.',
      body: UserAttributesInput,
      response: { 200: UserAttributes, 201: UserAttributes, ...errorResponses(400, 422) },
    }),
    async (request, reply) => {
      const saved = await attributes.save(principalOf(request).subject, request.body);
      return reply.status(saved.created ? 201 : 200).send(saved.attributes);
    },
  );
};
