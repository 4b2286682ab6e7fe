import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JobQueueState } from '../../shared/schemas/jobs.js';
import { ErrorResponse } from '../../shared/schemas/errors.js';
import { OPERATORS } from '../../shared/schemas/roles.js';
import type { JobQueue } from '../jobs/job-queue.js';

export const adminJobRoutes: FastifyPluginAsyncTypebox<{ jobs: JobQueue }> = async (app, { jobs }) => {
  app.get(
    '/api/v2/admin/jobs',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['admin'],
        summary: 'Job queues (counts by state) and cron schedules',
        security: [{ bearer: [] }],
        response: { 200: JobQueueState, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async () => jobs.state(),
  );
};
