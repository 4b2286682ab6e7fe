// Liveness (/healthz: the process answers) and readiness (/readyz: the database answers and every
// migration in migrations/ is applied without drift), for load balancers and orchestrators.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { describeDrift, checkMigrationHistory } from '../db/migrations.js';
import type { Database } from '../db/database.js';

const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  database: Type.Object({ driver: Type.String(), reachable: Type.Boolean() }),
  migrations: Type.Object({ applied: Type.Integer(), files: Type.Integer(), problems: Type.Array(Type.String()) }),
});

export const healthRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['health'],
        summary: 'The process is up',
        response: { 200: Type.Object({ status: Type.Literal('ok'), uptimeSeconds: Type.Number() }) },
      },
    },
    async () => ({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()) }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['health'],
        summary: 'The database is reachable and its migrations match migrations/',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (request, reply) => {
      try {
        const history = await checkMigrationHistory(db);
        const ready = history.problems.length === 0;
        return reply.status(ready ? 200 : 503).send({
          status: ready ? 'ready' : 'not_ready',
          database: { driver: db.driver, reachable: true },
          migrations: {
            applied: history.appliedCount,
            files: history.fileCount,
            problems: history.problems.map(describeDrift),
          },
        });
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
        return reply.status(503).send({
          status: 'not_ready',
          database: { driver: db.driver, reachable: false },
          migrations: { applied: 0, files: 0, problems: [] },
        });
      }
    },
  );
};
