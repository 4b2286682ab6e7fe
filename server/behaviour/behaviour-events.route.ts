// POST /api/v2/events: a member's client posts scroll pauses and dwell times on cards it was served.
// Thin: the schema bounds the batch (1..100 events, 64 KiB), the service checks and stores it. Members
// only (a writable member preview acts as the member; a read-only one is refused by the auth plugin);
// rate-limited per member by the `events` bucket.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BehaviourEventBatch, BehaviourEventsResult } from '../../shared/schemas/behaviour-events.js';
import { principalOf } from '../auth/auth.plugin.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';
import type { BehaviourEventsService } from './behaviour-events.service.js';

/** 100 events of at most ~500 bytes each, with room to spare. */
const EVENTS_BODY_LIMIT = 64 * 1024;

export const behaviourEventsRoutes: FastifyPluginAsyncTypebox<{ behaviourEvents: BehaviourEventsService }> = async (
  app,
  { behaviourEvents },
) => {
  app.post(
    '/api/v2/events',
    {
      ...bearerRoute(
        ['member'],
        {
          tags: ['discovery'],
          summary: 'Post scroll-pause and dwell-time events on cards of slates you were served',
          description:
            'A batch of 1 to 100 events. `position` is the card’s `position` in the slate response (1-based). ' +
            'The batch is checked whole: an event about a slate or position not served to the caller, a repeated ' +
            '`clientEventId`, or an `occurredAt` outside the allowed clock skew rejects the batch and stores ' +
            'nothing. Each `clientEventId` is stored once per member, so a retried batch counts as `duplicates`. ' +
            'When the caller does not share behavioural data, the events are `skipped` (with the `reason`), not ' +
            'refused. Written through row-level security as the member (docs/behaviour-events.md).',
          body: BehaviourEventBatch,
          response: { 200: BehaviourEventsResult, ...errorResponses(400, 410, 413, 422, 429) },
        },
        { rateLimit: 'events' },
      ),
      bodyLimit: EVENTS_BODY_LIMIT,
    },
    async (request) => behaviourEvents.record(principalOf(request).subject, request.body),
  );
};
