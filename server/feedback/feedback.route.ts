// POST /api/v2/discovery/feedback and GET /api/v2/discovery/matches. Thin: schemas validate the body
// and the Idempotency-Key header, the service does the work; the route marks replays with
// `idempotent-replayed: true`. Its rate limit is the `feedback` bucket (429 with Retry-After).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FeedbackHeaders, FeedbackInput, FeedbackResult, MatchList } from '../../shared/schemas/feedback.js';
import { ANY_ROLE } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { FeedbackService } from './feedback.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

export const feedbackRoutes: FastifyPluginAsyncTypebox<{ feedback: FeedbackService }> = async (app, { feedback }) => {
  app.post(
    '/api/v2/discovery/feedback',
    bearerRoute(
      ANY_ROLE,
      {
        tags: ['discovery'],
        summary: 'Swipe on a member: like, pass, superlike, block or report (a report carries a reason)',
        description:
          'The caller is the viewer. A like or superlike that answers the target’s like or superlike of the ' +
          'caller is a match (`match: true`, `matchedAt`). With an Idempotency-Key, a retry with the same body ' +
          'returns the original swipe (header `idempotent-replayed: true`); the same key with another body is a ' +
          '409. Rate-limited per member across all replicas (429 with Retry-After).',
        headers: FeedbackHeaders,
        body: FeedbackInput,
        response: { 201: FeedbackResult, ...errorResponses(400, 404, 409, 422, 429) },
      },
      { rateLimit: 'feedback' },
    ),
    async (request, reply) => {
      const outcome = await feedback.submit(
        principalOf(request).subject,
        request.body,
        request.headers['idempotency-key'],
      );
      if (outcome.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(201).send(outcome.result);
    },
  );

  app.get(
    '/api/v2/discovery/matches',
    bearerRoute(ANY_ROLE, {
      tags: ['discovery'],
      summary: "The caller's matches, newest first",
      description: 'Members the caller matched with (a like answered by a like), minus blocked or reported pairs.',
      response: { 200: MatchList },
    }),
    async (request) => feedback.matchesOf(principalOf(request).subject),
  );
};
