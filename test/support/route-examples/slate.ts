// Example requests for the slate and the experiments admin routes.
import type { RouteExamples } from './route-example.js';

export const examples: RouteExamples = {
  // Every role's subject has saved attributes, so each gets a (possibly empty) slate of its own.
  'GET /api/v2/discovery/slate': { url: '/api/v2/discovery/slate?limit=5' },
  'GET /api/v2/admin/flags': {},
  'PUT /api/v2/admin/flags/:key': { url: '/api/v2/admin/flags/access_example', payload: { defaultValue: true } },
  'DELETE /api/v2/admin/flags/:key': {
    url: '/api/v2/admin/flags/access_example',
    unavailable:
      'a deletion cannot be repeated (the second allowed role finds no flag: 404); test/api/slate.test.ts deletes flags',
  },
  'GET /api/v2/admin/experiments/:key': { url: '/api/v2/admin/experiments/reranker-v2' },
};
