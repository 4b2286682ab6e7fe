// Example requests for the model registry's admin routes, and the tiny valid ranker model they (and the
// registry's API tests) import: one tree, one split, over exactly the pair-feature columns.
import { PAIR_FEATURE_NAMES } from '../../../server/features/pair-feature-spec.js';
import { oneSplitLightGbmModel } from '../one-split-model.js';
import type { PrepareExamples, RouteExamples } from './route-example.js';

/** A one-split LightGBM model over the pair features; `leftValue` tells models apart. */
export function tinyRankerModel(leftValue = 0.25, featureNames: readonly string[] = PAIR_FEATURE_NAMES): string {
  return oneSplitLightGbmModel({
    featureNames,
    feature: 0,
    threshold: 0.5,
    leafValues: [leftValue, -leftValue],
    leafCovers: [12, 8],
    gain: 3.5,
    cover: 20,
    shrinkage: 0.1,
  });
}

export const examples: RouteExamples = {
  'GET /api/v2/admin/models': { url: '/api/v2/admin/models?kind=ranker' },
  'GET /api/v2/admin/models/:id': { url: '/api/v2/admin/models/access-example-a' },
  'GET /api/v2/admin/models/:id/artifact': { url: '/api/v2/admin/models/access-example-a/artifact' },
  // No id: each call stores a new version under a generated id, so every allowed role gets a 201.
  'POST /api/v2/admin/models': { payload: { format: 'lightgbm', artifact: tinyRankerModel(0.5) } },
  // Each allowed role promotes its own model to shadow (a model cannot be promoted to the status it has).
  'POST /api/v2/admin/models/:id/promote': {
    url: (role) => `/api/v2/admin/models/access-promote-${role}/promote`,
    payload: { to: 'shadow' },
  },
  // Rollback toggles between the two models made live in prepare, so it can be repeated.
  'POST /api/v2/admin/models/rollback': { payload: { kind: 'ranker', note: 'access walk' } },
};

export const prepare: PrepareExamples = async (t) => {
  const models = t.app.engine.models;
  await models.register({
    id: 'access-example-a',
    format: 'lightgbm',
    artifact: tinyRankerModel(0.1),
    createdBy: 'prepare',
  });
  await models.register({
    id: 'access-example-live-1',
    format: 'lightgbm',
    artifact: tinyRankerModel(0.2),
    createdBy: 'prepare',
  });
  await models.register({
    id: 'access-example-live-2',
    format: 'lightgbm',
    artifact: tinyRankerModel(0.3),
    createdBy: 'prepare',
  });
  for (const role of ['ml_engineer', 'admin']) {
    await models.register({
      id: `access-promote-${role}`,
      format: 'lightgbm',
      artifact: tinyRankerModel(0.4),
      createdBy: 'prepare',
    });
  }
  await models.promote('access-example-live-1', 'live', 'prepare');
  await models.promote('access-example-live-2', 'live', 'prepare');
};
