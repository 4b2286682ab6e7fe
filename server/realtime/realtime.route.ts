// GET /api/v2/realtime/user-behavior: server-sent events of swipes and matches (docs/realtime.md). Thin:
// the service decides who sees what and where a stream starts; this edge caps open streams (429 per
// caller, 503 per replica), then hands the raw response to the stream. Opening a stream counts against
// the `realtime` rate-limit bucket. The bearer token goes in the Authorization header only (a token in a
// URL ends up in proxy and browser logs): clients stream with fetch, not EventSource.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { UserBehaviorHeaders, UserBehaviorQuery } from '../../shared/schemas/realtime.js';
import { ANY_ROLE } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';
import { errorBody } from '../http/errors.js';
import { REQUEST_ID_HEADER } from '../http/request-id.js';
import { securityHeaders } from '../http/security-headers.js';
import { prepareUserBehaviorStream, type UserBehaviorStreamDeps } from './user-behavior-stream.js';

/** How long a refused client should wait before trying again, seconds. */
const RETRY_AFTER_SECONDS = 30;

export const realtimeRoutes: FastifyPluginAsyncTypebox<UserBehaviorStreamDeps> = async (app, deps) => {
  app.get(
    '/api/v2/realtime/user-behavior',
    bearerRoute(
      ANY_ROLE,
      {
        tags: ['realtime'],
        summary: 'Stream swipes and matches as server-sent events (text/event-stream)',
        description:
          'Staff receive every member’s likes, superlikes, passes, blocks, reports and matches (filters: `kinds`, ' +
          '`memberId` as actor or target). A member receives only likes and superlikes they received and their ' +
          'matches, naming the other member by id. Each event is `id:`, `event: user_behavior`, `data: {json}`; ' +
          '`: ping` comments keep the stream open. Send `Last-Event-ID` (or `lastEventId`) to resume: missed ' +
          'events within the retention window are replayed first; beyond it the stream starts with `event: reset`. ' +
          'Too many open streams: 429 per caller, 503 per replica.',
        querystring: UserBehaviorQuery,
        headers: UserBehaviorHeaders,
        response: {
          200: {
            description: 'the event stream (never ends on its own; reconnect with Last-Event-ID when it does)',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...errorResponses(400, 429, 503),
        },
      },
      { rateLimit: 'realtime' },
    ),
    async (request, reply) => {
      const caller = principalOf(request);
      const audience = deps.service.audienceFor(caller, request.query);
      const admission = deps.streams.admit(caller.subject);
      if (!admission.admitted) {
        reply.header('retry-after', String(RETRY_AFTER_SECONDS));
        return admission.limit === 'caller'
          ? reply
              .status(429)
              .send(errorBody(429, 'realtime: too many open streams for this caller; close one (or wait) and retry'))
          : reply
              .status(503)
              .send(errorBody(503, 'realtime: this server holds as many streams as it may; retry shortly'));
      }
      const run = await prepareUserBehaviorStream(
        {
          audience,
          // EventSource reconnects to the same URL with the header: the header is the newer point.
          lastEventId: request.headers['last-event-id'] ?? request.query.lastEventId,
          release: admission.release,
          onEnd: (reason) => request.log.info({ reason }, 'user behaviour stream ended'),
        },
        deps,
      );
      reply.hijack();
      // The stream has already ended itself; the failure is only logged (the client reconnects).
      await run(reply.raw, { ...securityHeaders(request.url), [REQUEST_ID_HEADER]: request.id }).catch(
        (error: unknown) => request.log.error({ err: error }, 'user behaviour stream failed'),
      );
    },
  );
};
