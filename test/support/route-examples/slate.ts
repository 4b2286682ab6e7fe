// Example requests for the slate and the experiments admin routes.
import type { PrepareExamples, RouteExamples } from './route-example.js';

export const examples: RouteExamples = {
  // Every role's subject has saved attributes, so each gets a (possibly empty) slate of its own.
  'GET /api/v2/discovery/slate': { url: '/api/v2/discovery/slate?limit=5' },
  'GET /api/v2/admin/flags': {},
  'PUT /api/v2/admin/flags/:key': { url: '/api/v2/admin/flags/access_example', payload: { defaultValue: true } },
  // Each allowed role deletes its own flag, made in prepare (a deleted flag is gone: a second delete is a 404).
  'DELETE /api/v2/admin/flags/:key': { url: (role) => `/api/v2/admin/flags/access_delete_${role}` },
  'GET /api/v2/admin/experiments/:key': { url: '/api/v2/admin/experiments/reranker-v2' },
};

export const prepare: PrepareExamples = async (t) => {
  const features = await t.app.engine.flags.allFeatures();
  for (const role of ['ml_engineer', 'admin']) features[`access_delete_${role}`] = { defaultValue: false };
  await t.app.engine.flags.saveFeatures(features);
};
