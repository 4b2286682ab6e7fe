// The review queue's HTTP routes (reviewers and admins): flag, list, read with history, resolve, reopen.
// Items opened by members' reports are listed here too; their reporters are shown to reviewers only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../../shared/schemas/errors.js';
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

/** Reviewing slates is the reviewers' job; admins may do anything. ML engineers are not reviewers. */
export const REVIEWERS: readonly Role[] = ['reviewer', 'admin'];

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };
const common = { tags: ['review'], security: [{ bearer: [] }] };

export const reviewRoutes: FastifyPluginAsyncTypebox<{ review: ReviewService }> = async (app, { review }) => {
  app.post(
    '/api/v2/review/flags',
    {
      config: { access: REVIEWERS },
      schema: {
        ...common,
        summary: "Flag a candidate on a member's slate, or the whole slate, with a note",
        body: CreateReviewFlagInput,
        response: { 201: ReviewFlag, 404: ErrorResponse, 422: ErrorResponse, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await review.create(principalOf(request), request.body)),
  );

  app.get(
    '/api/v2/review/flags',
    {
      config: { access: REVIEWERS },
      schema: {
        ...common,
        summary: 'Flags with a status, newest first, with the members’ display names',
        description:
          'Reviewer flags and member-report items (`source: member_report`: one open item per reported member, ' +
          'with its report count and reporters). Filter with `source`.',
        querystring: ReviewFlagListQuery,
        response: { 200: ReviewFlagPage, ...errors },
      },
    },
    async (request) =>
      review.list(request.query.status, request.query.limit, request.query.offset, request.query.source),
  );

  app.get(
    '/api/v2/review/flags/:id',
    {
      config: { access: REVIEWERS },
      schema: {
        ...common,
        summary: 'One flag with its history',
        params: ReviewFlagParams,
        response: { 200: ReviewFlagWithHistory, 404: ErrorResponse, ...errors },
      },
    },
    async (request) => review.get(request.params.id),
  );

  app.post(
    '/api/v2/review/flags/:id/resolve',
    {
      config: { access: REVIEWERS },
      schema: {
        ...common,
        summary: 'Resolve an open flag with an outcome',
        params: ReviewFlagParams,
        body: ResolveReviewFlagInput,
        response: { 200: ReviewFlagWithHistory, 404: ErrorResponse, 409: ErrorResponse, ...errors },
      },
    },
    async (request) => review.resolve(principalOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/v2/review/flags/:id/reopen',
    {
      config: { access: REVIEWERS },
      schema: {
        ...common,
        summary: 'Reopen a resolved flag (its resolution stays in the history)',
        params: ReviewFlagParams,
        body: ReopenReviewFlagInput,
        response: { 200: ReviewFlagWithHistory, 404: ErrorResponse, 409: ErrorResponse, ...errors },
      },
    },
    async (request) => review.reopen(principalOf(request), request.params.id, request.body.note),
  );
};
