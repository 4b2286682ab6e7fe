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
  // A subject no test signs in as; revoking it harms no later request of the walk.
  'POST /api/v2/admin/tokens/revoke': { payload: { subject: 'route-walk-nobody' } },
  // Revokes the caller's tokens issued before this second and the one that asked; the walk mints a fresh
  // token for every request, and one issued in the same second is not before the cut-off.
  'POST /api/v2/users/me/tokens/revoke': {},
  'PUT /api/v2/users/me/attributes': { payload: validAttributes() },
  'GET /api/v2/users/me/attributes': {},
  'POST /graphql': { payload: { query: '{ me { memberId } }' } },
  'GET /graphql': { url: '/graphql?query=%7B%20me%20%7B%20memberId%20%7D%20%7D' },
};
