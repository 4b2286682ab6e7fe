// The online learner's admin API: its state and decision timeline (staff may read), pausing and resuming,
// and one cycle now (ml_engineer, admin). Thin: schemas validate, the learner checks and acts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  LearnerRunResult,
  LearnerState,
  LearnerStatus,
  LearnerStatusQuery,
  PatchLearnerBody,
} from '../../shared/schemas/learning.js';
import { OPERATORS, STAFF } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';
import type { OnlineLearner } from './online-learner.service.js';

const LEARNER = '/api/v2/admin/learner';

export const learnerRoutes: FastifyPluginAsyncTypebox<{ learner: OnlineLearner }> = async (app, { learner }) => {
  app.get(
    LEARNER,
    bearerRoute(
      STAFF,
      {
        tags: ['learning'],
        summary: "The learner's state, the shadow model's online evaluation and its decisions, newest first",
        querystring: LearnerStatusQuery,
        response: { 200: LearnerStatus, ...errorResponses(400) },
      },
      { rateLimit: 'member' },
    ),
    async (request) => learner.status(request.query),
  );

  app.patch(
    LEARNER,
    bearerRoute(
      OPERATORS,
      {
        tags: ['learning'],
        summary: 'Pause or resume the learner (recorded with who and why)',
        description: 'A paused learner neither trains, promotes nor rolls back. 409 when already in that state.',
        body: PatchLearnerBody,
        response: { 200: LearnerState, ...errorResponses(400, 409) },
      },
      { rateLimit: 'member' },
    ),
    async (request) =>
      learner.setPaused({
        paused: request.body.paused,
        actor: principalOf(request).subject,
        ...(request.body.note !== undefined ? { note: request.body.note } : {}),
      }),
  );

  app.post(
    `${LEARNER}/run`,
    bearerRoute(
      OPERATORS,
      {
        tags: ['learning'],
        summary: 'Run one learner cycle now: rollback watch, promotion gate, or training',
        description:
          'Serialised with the scheduled run across replicas: 409 while another cycle runs, and 409 when paused. ' +
          'Answers with the decisions the cycle recorded (none when the shadow model is still waiting for traffic).',
        response: { 200: LearnerRunResult, ...errorResponses(409) },
      },
      { rateLimit: 'member' },
    ),
    async (request) => ({ decisions: await learner.runNow({ actor: principalOf(request).subject }) }),
  );
};
