// The review queue's HTTP routes (reviewers and admins): flag, list, read with history, resolve, reopen.
// Items opened by members' reports are listed here too; their reporters are shown to reviewers only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateReviewFlagInput,
  ReopenReviewFlagInput,
  ResolveReviewFlagInput,
  ReviewFlag,
  ReviewFlagListQuery,
  ReviewFlagPage,
  ReviewFlagParams,
  ReviewFlagWithHistory,
} from '../../shared/schemas/review.js';
import type { Role } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { ReviewService } from './review.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

/** Reviewing slates is the reviewers' job; admins may do anything. ML engineers are not reviewers. */
export const REVIEWERS: readonly Role[] = ['reviewer', 'admin'];

export const reviewRoutes: FastifyPluginAsyncTypebox<{ review: ReviewService }> = async (app, { review }) => {
  app.post(
    '/api/v2/review/flags',
    bearerRoute(REVIEWERS, {
      tags: ['review'],
      summary: "Flag a candidate on a member's slate, or the whole slate, with a note",
      body: CreateReviewFlagInput,
      response: { 201: ReviewFlag, ...errorResponses(400, 404, 422) },
    }),
    async (request, reply) => reply.status(201).send(await review.create(principalOf(request), request.body)),
  );

  app.get(
    '/api/v2/review/flags',
    bearerRoute(REVIEWERS, {
      tags: ['review'],
      summary: 'Flags with a status, newest first, with the members’ display names',
      description:
        'Reviewer flags and member-report items (`source: member_report`: one open item per reported member, ' +
        'with its report count and reporters). Filter with `source`.',
      querystring: ReviewFlagListQuery,
      response: { 200: ReviewFlagPage, ...errorResponses(400) },
    }),
    async (request) =>
      review.list(request.query.status, request.query.limit, request.query.offset, request.query.source),
  );

  app.get(
    '/api/v2/review/flags/:id',
    bearerRoute(REVIEWERS, {
      tags: ['review'],
      summary: 'One flag with its history',
      params: ReviewFlagParams,
      response: { 200: ReviewFlagWithHistory, ...errorResponses(400, 404) },
    }),
    async (request) => review.get(request.params.id),
  );

  app.post(
    '/api/v2/review/flags/:id/resolve',
    bearerRoute(REVIEWERS, {
      tags: ['review'],
      summary: 'Resolve an open flag with an outcome',
      params: ReviewFlagParams,
      body: ResolveReviewFlagInput,
      response: { 200: ReviewFlagWithHistory, ...errorResponses(400, 404, 409) },
    }),
    async (request) => review.resolve(principalOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/v2/review/flags/:id/reopen',
    bearerRoute(REVIEWERS, {
      tags: ['review'],
      summary: 'Reopen a resolved flag (its resolution stays in the history)',
      params: ReviewFlagParams,
      body: ReopenReviewFlagInput,
      response: { 200: ReviewFlagWithHistory, ...errorResponses(400, 404, 409) },
    }),
    async (request) => review.reopen(principalOf(request), request.params.id, request.body.note),
  );
};
