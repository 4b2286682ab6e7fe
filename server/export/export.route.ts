// The member data export routes: the export itself (inline when small, else 202 with a job), and a job's
// status or, once written, its export. Members only: the export is always the caller's own.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ExportJob, ExportParams, MemberExport } from '../../shared/schemas/export.js';
import { principalOf } from '../auth/auth.plugin.js';
import { EXPORT_ROUTE, exportFileName, type ExportService } from './export.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

const attachment = (generatedAt: string) => `attachment; filename="${exportFileName(generatedAt)}"`;

export const exportRoutes: FastifyPluginAsyncTypebox<{ exports: ExportService }> = async (app, { exports }) => {
  app.get(
    EXPORT_ROUTE,
    bearerRoute(['member'], {
      tags: ['privacy'],
      summary: 'Everything the engine holds about you, as JSON',
      description:
        'Profile, privacy settings, favorites, swipes you made, matches, slates you were shown, events you made, ' +
        'connector state (never tokens), cached explanations, taste vector, safety score, review records and ' +
        'staff previews. What others did about you appears as counts only. Small exports answer 200 as a ' +
        'download; large ones (over 10,000 rows or 5 MB) answer 202 with a job to poll.',
      response: { 200: MemberExport, 202: ExportJob, ...errorResponses(400) },
    }),
    async (request, reply) => {
      const result = await exports.request(principalOf(request).subject);
      if (result.kind === 'job') return reply.status(202).header('location', result.job.statusUrl).send(result.job);
      return reply.header('content-disposition', attachment(result.export.generatedAt)).send(result.export);
    },
  );

  app.get(
    `${EXPORT_ROUTE}/:exportId`,
    bearerRoute(['member'], {
      tags: ['privacy'],
      summary: 'A large export: 202 while it is written, then 200 with the export as a download',
      params: ExportParams,
      response: { 200: MemberExport, 202: ExportJob, ...errorResponses(400, 404, 410) },
    }),
    async (request, reply) => {
      const result = await exports.status(principalOf(request).subject, request.params.exportId);
      if (result.kind === 'pending') return reply.status(202).send(result.job);
      return reply.header('content-disposition', attachment(result.export.generatedAt)).send(result.export);
    },
  );
};
