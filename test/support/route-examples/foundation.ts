// Example requests for the foundation's routes, used by the route × role access test.
import type { RouteExamples } from './route-example.js';
import { validAttributes } from '../test-app.js';

export const examples: RouteExamples = {
  'GET /healthz': {},
  'GET /readyz': {},
  'GET /docs': {},
  'GET /docs/json': {},
  'GET /docs/yaml': {},
  'GET /docs/static/*': { url: '/docs/static/swagger-ui.css' },
  'GET /docs/static/index.html': {},
  'GET /docs/static/swagger-initializer.js': {},
  'GET /api/v2/admin/jobs': {},
  'PUT /api/v2/users/me/attributes': { payload: validAttributes() },
  'GET /api/v2/users/me/attributes': {},
  'POST /graphql': { payload: { query: '{ me { memberId } }' } },
  'GET /graphql': { url: '/graphql?query=%7B%20me%20%7B%20memberId%20%7D%20%7D' },
};
