// The re-ranker over HTTP: POST /api/v2/discovery/rank orders a viewer's candidates with the live
// model; operators export training data and queue training runs. Thin: schemas validate, services act.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  RankBody,
  RankedList,
  TrainingDataExport,
  TrainingDataQuery,
  TrainRankerAccepted,
  TrainRankerBody,
} from '../../shared/schemas/ranking.js';
import { ANY_ROLE, OPERATORS } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { RankService } from './rank.service.js';
import type { RankerTrainingService } from './ranker-training.service.js';
import { QueueContracts } from '../jobs/queues.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

export const rankingRoutes: FastifyPluginAsyncTypebox<{
  rank: RankService;
  training: RankerTrainingService;
  jobs: JobQueue;
}> = async (app, { rank, training, jobs }) => {
  app.post(
    '/api/v2/discovery/rank',
    bearerRoute(
      ANY_ROLE,
      {
        tags: ['discovery'],
        summary: "Orders a viewer's candidates with the live ranking model",
        description:
          'Scores each (viewer, candidate) pair with the live LambdaMART model on the pair features ' +
          '(privacy masks applied) and returns them best first. Members rank only for themselves, only members ' +
          'the engine served them in the last 30 days, and get the order without scores; staff rank for anyone ' +
          'and see the scores. Unknown (or, for members, never served) candidate ids are a 422 naming them; ' +
          'the model version is in the ' +
          '`x-sde-model-version` header.',
        body: RankBody,
        response: { 200: RankedList, ...errorResponses(400, 404, 422, 503) },
      },
      { rateLimit: 'rank' },
    ),
    async (request, reply) => {
      const result = await rank.rank(principalOf(request), request.body.viewerId, request.body.candidateIds);
      reply.header('x-sde-model-version', result.model);
      return result.ranked;
    },
  );

  app.get(
    '/api/v2/admin/training-data',
    bearerRoute(OPERATORS, {
      tags: ['models'],
      summary: 'Labelled impressions of a window as LibSVM + query files (viewer = query group)',
      description:
        'Labels: pass, block or report 0; like 1; superlike or a like answered by a like 2. Impressions nobody ' +
        'answered are left out, and so are viewers with fewer than two labelled candidates. Features follow ' +
        'featureNames: the row each impression logged when it was served, with both members’ current privacy ' +
        'masks applied; impressions without one are left out and counted (impressionsWithoutFeatures). ' +
        'Default window: 90 days.',
      querystring: TrainingDataQuery,
      response: { 200: TrainingDataExport, ...errorResponses(400) },
    }),
    async (request) =>
      training.exportTrainingData(
        training.resolveWindow({
          ...(request.query.from ? { from: new Date(request.query.from) } : {}),
          ...(request.query.to ? { to: new Date(request.query.to) } : {}),
        }),
      ),
  );

  app.post(
    '/api/v2/admin/models/train',
    bearerRoute(OPERATORS, {
      tags: ['models'],
      summary: 'Queues a training run on recent feedback; the result is registered as a candidate',
      description:
        'Trains LambdaMART on a worker thread from the window’s labelled impressions and their logged ' +
        'features (default 90 days), ' +
        'holding out 20 % of viewers for metrics and early stopping. Watch GET /api/v2/admin/models for the new version.',
      body: TrainRankerBody,
      response: { 202: TrainRankerAccepted, ...errorResponses(400, 422) },
    }),
    async (request, reply) => {
      const { from, to, note, ...params } = request.body;
      const window = training.resolveWindow({
        ...(from ? { from: new Date(from) } : {}),
        ...(to ? { to: new Date(to) } : {}),
      });
      await training.checkTrainable(window, params);
      const jobId = await jobs.send(QueueContracts.rankerTrain, {
        from: window.from.toISOString(),
        to: window.to.toISOString(),
        params,
        actor: principalOf(request).subject,
        ...(note !== undefined ? { note } : {}),
      });
      reply.code(202);
      return { jobId: jobId ?? '', queue: QueueContracts.rankerTrain.name };
    },
  );
};
