// Example requests for the retrieval module's routes, used by the route × role access test. Every
// role's subject has saved attributes before the walk, so each is a known viewer.
import type { RouteExamples } from './route-example.js';

export const examples: RouteExamples = {
  'GET /api/v2/discovery/candidates': { url: '/api/v2/discovery/candidates?k=5' },
};
