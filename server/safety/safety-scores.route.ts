// The safety-score admin API: moderation systems write scores in batches, reviewers read, correct and
// delete them. Thin: schemas validate, the service acts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  SAFETY_SCORE_EDITORS,
  SafetyScore,
  SafetyScoreDeleted,
  SafetyScoreParams,
  SafetyScoresBody,
  SafetyScoresWritten,
} from '../../shared/schemas/safety.js';
import { principalOf } from '../auth/auth.plugin.js';
import { errorBody } from '../http/errors.js';
import type { SafetyScoresService } from './safety-scores.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

export const safetyScoresRoutes: FastifyPluginAsyncTypebox<{ safetyScores: SafetyScoresService }> = async (
  app,
  { safetyScores },
) => {
  app.put(
    '/api/v2/admin/safety-scores',
    bearerRoute(SAFETY_SCORE_EDITORS, {
      tags: ['safety'],
      summary: 'Stores harassment scores for up to 1000 members (insert or replace, all or nothing)',
      description:
        'Candidates scored above the configured threshold (SDE_SAFETY_MAX_HARASSMENT, default 0.8) leave every ' +
        'slate. A member id repeated in the batch is a 400, one that names no member a 422; either way nothing ' +
        'is written.',
      body: SafetyScoresBody,
      response: { 200: SafetyScoresWritten, ...errorResponses(400, 422) },
    }),
    async (request) => ({
      scores: await safetyScores.write(request.body.scores, principalOf(request).subject),
    }),
  );

  app.get(
    '/api/v2/admin/safety-scores/:memberId',
    bearerRoute(SAFETY_SCORE_EDITORS, {
      tags: ['safety'],
      summary: "A member's harassment score, who wrote it and when",
      params: SafetyScoreParams,
      response: { 200: SafetyScore, ...errorResponses(400, 404) },
    }),
    async (request, reply) => {
      const found = await safetyScores.get(request.params.memberId);
      if (!found) {
        return reply
          .status(404)
          .send(errorBody(404, `memberId: "${request.params.memberId}" has no safety score (unscored)`));
      }
      return found;
    },
  );

  app.delete(
    '/api/v2/admin/safety-scores/:memberId',
    bearerRoute(SAFETY_SCORE_EDITORS, {
      tags: ['safety'],
      summary: "Removes a member's harassment score (the member becomes unscored)",
      description: 'Idempotent: `deleted` is false when there was no score.',
      params: SafetyScoreParams,
      response: { 200: SafetyScoreDeleted, ...errorResponses(400) },
    }),
    async (request) => ({
      memberId: request.params.memberId,
      deleted: await safetyScores.remove(request.params.memberId),
    }),
  );
};
