// POST /api/v2/discovery/feedback and GET /api/v2/discovery/matches. Thin: schemas validate the body
// and the Idempotency-Key header, the service does the work; the route marks replays with
// `idempotent-replayed: true`. Its rate limit is the `feedback` bucket (429 with Retry-After).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../../shared/schemas/errors.js';
import { FeedbackHeaders, FeedbackInput, FeedbackResult, MatchList } from '../../shared/schemas/feedback.js';
import { ANY_ROLE } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { FeedbackService } from './feedback.service.js';

export const feedbackRoutes: FastifyPluginAsyncTypebox<{ feedback: FeedbackService }> = async (app, { feedback }) => {
  app.post(
    '/api/v2/discovery/feedback',
    {
      config: { access: ANY_ROLE, rateLimit: 'feedback' },
      schema: {
        tags: ['discovery'],
        summary: 'Swipe on a member: like, pass, superlike, block or report (a report carries a reason)',
        description:
          'The caller is the viewer. A like or superlike that answers the target’s like or superlike of the ' +
          'caller is a match (`match: true`, `matchedAt`). With an Idempotency-Key, a retry with the same body ' +
          'returns the original swipe (header `idempotent-replayed: true`); the same key with another body is a ' +
          '409. Rate-limited per member across all replicas (429 with Retry-After).',
        security: [{ bearer: [] }],
        headers: FeedbackHeaders,
        body: FeedbackInput,
        response: {
          201: FeedbackResult,
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
          409: ErrorResponse,
          422: ErrorResponse,
          429: ErrorResponse,
        },
      },
    },
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
    {
      config: { access: ANY_ROLE },
      schema: {
        tags: ['discovery'],
        summary: "The caller's matches, newest first",
        description: 'Members the caller matched with (a like answered by a like), minus blocked or reported pairs.',
        security: [{ bearer: [] }],
        response: { 200: MatchList, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request) => feedback.matchesOf(principalOf(request).subject),
  );
};
