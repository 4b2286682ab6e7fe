// GET /api/v2/admin/overview: the console's Overview page in one request (staff only).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Overview } from '../../shared/schemas/console.js';
import { STAFF } from '../../shared/schemas/roles.js';
import type { OverviewService } from './overview.service.js';
import { bearerRoute } from '../http/bearer-route.js';

export const overviewRoutes: FastifyPluginAsyncTypebox<{ overview: OverviewService }> = async (app, { overview }) => {
  app.get(
    '/api/v2/admin/overview',
    bearerRoute(STAFF, {
      tags: ['console'],
      summary: 'Members, vector coverage, live model, job queues, dwell freshness and hourly activity',
      response: { 200: Overview },
    }),
    async () => overview.overview(),
  );
};
