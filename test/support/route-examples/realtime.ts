// Example requests for the realtime module. Its stream never ends, and app.inject waits for a response's
// end, so the inject-based walks check only its refusals (401/403); test/api/realtime-user-behavior.test.ts
// serves it to every kind of caller over real HTTP.
import type { RouteExamples } from './route-example.js';

export const examples: RouteExamples = {
  'GET /api/v2/realtime/user-behavior': {
    unavailable: 'a never-ending text/event-stream: served over real HTTP in test/api/realtime-user-behavior.test.ts',
  },
};
