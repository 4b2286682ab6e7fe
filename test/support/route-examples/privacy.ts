// Example requests for the privacy module's routes. The PATCH turns interests on, which every member
// already has: a no-op, so the walk changes nothing any other example relies on.
import type { RouteExamples } from './route-example.js';

export const examples: RouteExamples = {
  'GET /api/v2/discovery/privacy': {},
  'PATCH /api/v2/discovery/privacy': { payload: { interests: true } },
};
