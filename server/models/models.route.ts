// The model registry's admin API (ml_engineer, admin): list, inspect, download, import, promote and roll
// back model versions. Thin: schemas validate, the registry checks and acts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  MODEL_LIMITS,
  ModelDetail,
  ModelIdParams,
  ModelImportBody,
  ModelList,
  ModelListQuery,
  ModelVersion,
  PromoteBody,
  PromoteResult,
  RollbackBody,
  RollbackResult,
} from '../../shared/schemas/models.js';
import { OPERATORS } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { ModelRegistry } from './model-registry.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

/** JSON escaping can grow an artifact's text (quotes, newlines), so the body may be twice its size. */
const IMPORT_BODY_LIMIT = 2 * MODEL_LIMITS.maxArtifactBytes;

export const modelsRoutes: FastifyPluginAsyncTypebox<{ models: ModelRegistry }> = async (app, { models }) => {
  app.get(
    '/api/v2/admin/models',
    bearerRoute(OPERATORS, {
      tags: ['models'],
      summary: 'Model versions, newest first (without artifacts)',
      querystring: ModelListQuery,
      response: { 200: ModelList, ...errorResponses(400) },
    }),
    async (request) => ({ models: await models.list(request.query) }),
  );

  app.get(
    '/api/v2/admin/models/:id',
    bearerRoute(OPERATORS, {
      tags: ['models'],
      summary: 'One model version: metrics, parameters, training window, feature importance, status history',
      params: ModelIdParams,
      response: { 200: ModelDetail, ...errorResponses(400, 404) },
    }),
    async (request) => models.get(request.params.id),
  );

  app.get(
    '/api/v2/admin/models/:id/artifact',
    bearerRoute(OPERATORS, {
      tags: ['models'],
      summary: 'The model file as registered (LightGBM text or XGBoost JSON)',
      params: ModelIdParams,
      produces: ['text/plain', 'application/json'],
      response: { 200: Type.String({ description: 'the model file' }), ...errorResponses(400, 404) },
    }),
    async (request, reply) => {
      const { id } = request.params;
      const artifact = await models.artifact(id);
      const lightgbm = artifact.format === 'lightgbm';
      return reply
        .header('content-type', lightgbm ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${id}${lightgbm ? '.txt' : '.json'}"`)
        .serializer((payload: unknown) => payload as string)
        .send(artifact.text);
    },
  );

  app.post(
    '/api/v2/admin/models',
    {
      ...bearerRoute(OPERATORS, {
        tags: ['models'],
        summary: 'Import a model file as a new candidate version',
        description:
          'The artifact is parsed first: a malformed file is refused with 422 naming the line, tree or field. ' +
          'The version starts as candidate; promote it to shadow or live.',
        body: ModelImportBody,
        response: { 201: ModelVersion, ...errorResponses(400, 409, 422) },
      }),
      bodyLimit: IMPORT_BODY_LIMIT,
    },
    async (request, reply) => {
      const { id, format, artifact, params, metrics, trainingWindow, note } = request.body;
      const stored = await models.register({
        id,
        format,
        artifact,
        params,
        metrics,
        trainingWindow,
        note,
        createdBy: principalOf(request).subject,
      });
      return reply.status(201).send(stored);
    },
  );

  app.post(
    '/api/v2/admin/models/:id/promote',
    bearerRoute(OPERATORS, {
      tags: ['models'],
      summary: 'Move a version to live, shadow, candidate or retired',
      description:
        'Live and shadow are single per kind: promoting to live retires the current live model, promoting ' +
        'to shadow sends the current shadow back to candidate. Only models whose feature columns equal the ' +
        'pair-feature spec may be live or shadow. The live model itself is replaced by promoting another ' +
        'one or by a rollback.',
      params: ModelIdParams,
      body: PromoteBody,
      response: { 200: PromoteResult, ...errorResponses(400, 404, 409) },
    }),
    async (request) =>
      models.promote(request.params.id, request.body.to, principalOf(request).subject, request.body.note),
  );

  app.post(
    '/api/v2/admin/models/rollback',
    bearerRoute(OPERATORS, {
      tags: ['models'],
      summary: 'Make the previously live model live again and retire the current one',
      body: RollbackBody,
      response: { 200: RollbackResult, ...errorResponses(400, 409) },
    }),
    async (request) => models.rollback(request.body.kind ?? 'ranker', principalOf(request).subject, request.body.note),
  );
};
