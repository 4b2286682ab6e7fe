// Admin API for flags and experiments: read, replace and delete GrowthBook feature definitions kept in
// the database (read-only when a GrowthBook server is the source) and exposure counts per arm.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FeatureDefinition } from '@growthbook/growthbook';
import {
  ExperimentExposures,
  ExperimentParams,
  FeatureDefinitionBody,
  FlagKeyParams,
  FlagList,
} from '../../shared/schemas/experiments.js';
import { OPERATORS } from '../../shared/schemas/roles.js';
import { FlagsError, type FlagsService } from '../flags/flags.service.js';
import { DomainError, notFound } from '../errors/domain-errors.js';
import type { ExperimentsService } from './experiments.service.js';
import { definitionProblem } from './flag-definitions.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

export const experimentsRoutes: FastifyPluginAsyncTypebox<{
  flags: FlagsService;
  experiments: ExperimentsService;
}> = async (app, { flags, experiments }) => {
  app.get(
    '/api/v2/admin/flags',
    bearerRoute(OPERATORS, {
      tags: ['experiments'],
      summary: 'Every flag definition and where they come from (database or a GrowthBook server)',
      response: { 200: FlagList, ...errorResponses(400) },
    }),
    async () => ({ source: flags.sourceKind, features: await flags.allFeatures() }),
  );

  app.put(
    '/api/v2/admin/flags/:key',
    bearerRoute(OPERATORS, {
      tags: ['experiments'],
      summary: 'Creates or replaces one flag (GrowthBook feature definition)',
      description:
        'E.g. discovery_reranker_v2: `{ "defaultValue": "control", "rules": [{ "key": "reranker-v2", ' +
        '"variations": ["control", "treatment", "shadow", "holdout"], "weights": [0.4, 0.2, 0.3, 0.1], ' +
        '"hashAttribute": "id" }] }`. Every replica sees the change within 10 s. 409 when flags come from a GrowthBook server.',
      params: FlagKeyParams,
      body: FeatureDefinitionBody,
      response: { 200: FlagList, ...errorResponses(400, 409, 422) },
    }),
    async (request) => {
      const problem = definitionProblem(request.params.key, request.body);
      if (problem) throw problem;
      const features = await flags.allFeatures();
      features[request.params.key] = request.body as FeatureDefinition;
      await save(flags, features);
      return { source: flags.sourceKind, features };
    },
  );

  app.delete(
    '/api/v2/admin/flags/:key',
    bearerRoute(OPERATORS, {
      tags: ['experiments'],
      summary: 'Deletes one flag: callers fall back to their defaults',
      params: FlagKeyParams,
      response: { 200: FlagList, ...errorResponses(400, 404, 409) },
    }),
    async (request) => {
      const features = await flags.allFeatures();
      if (!(request.params.key in features)) throw notFound('key', `no flag "${request.params.key}"`);
      delete features[request.params.key];
      await save(flags, features);
      return { source: flags.sourceKind, features };
    },
  );

  app.get(
    '/api/v2/admin/experiments/:key',
    bearerRoute(OPERATORS, {
      tags: ['experiments'],
      summary: 'Viewers exposed to an experiment, per arm',
      params: ExperimentParams,
      response: { 200: ExperimentExposures, ...errorResponses(400) },
    }),
    async (request) => ({ key: request.params.key, arms: await experiments.exposureCounts(request.params.key) }),
  );
};

async function save(flags: FlagsService, features: Record<string, FeatureDefinition>): Promise<void> {
  try {
    await flags.saveFeatures(features);
  } catch (error) {
    if (error instanceof FlagsError) throw new DomainError('conflict', error.message, { topic: 'flags' });
    throw error;
  }
}
