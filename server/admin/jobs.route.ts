import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JobQueueState } from '../../shared/schemas/jobs.js';
import { OPERATORS } from '../../shared/schemas/roles.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { bearerRoute } from '../http/bearer-route.js';

export const adminJobRoutes: FastifyPluginAsyncTypebox<{ jobs: JobQueue }> = async (app, { jobs }) => {
  app.get(
    '/api/v2/admin/jobs',
    bearerRoute(OPERATORS, {
      tags: ['admin'],
      summary: 'Job queues (counts by state) and cron schedules',
      response: { 200: JobQueueState },
    }),
    async () => jobs.state(),
  );
};
