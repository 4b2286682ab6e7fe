// GET /api/v2/admin/overview: the console's Overview page in one request (staff only).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Overview } from '../../shared/schemas/console.js';
import { ErrorResponse } from '../../shared/schemas/errors.js';
import { STAFF } from '../../shared/schemas/roles.js';
import type { OverviewService } from './overview.service.js';

export const overviewRoutes: FastifyPluginAsyncTypebox<{ overview: OverviewService }> = async (app, { overview }) => {
  app.get(
    '/api/v2/admin/overview',
    {
      config: { access: STAFF },
      schema: {
        tags: ['console'],
        summary: 'Members, vector coverage, live model, job queues, dwell freshness and hourly activity',
        security: [{ bearer: [] }],
        response: { 200: Overview, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async () => overview.overview(),
  );
};
