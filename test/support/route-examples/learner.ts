// Example requests for the learner's admin routes: the ml_engineer pauses and the admin resumes (each a
// change, so each answers 200), and a cycle run afterwards finds the learner running.
import type { RouteExamples } from './route-example.js';

export const examples: RouteExamples = {
  'GET /api/v2/admin/learner': { url: '/api/v2/admin/learner?limit=5' },
  'PATCH /api/v2/admin/learner': {
    payloadFor: (role) => ({ paused: role === 'ml_engineer', note: 'access walk' }),
  },
  'POST /api/v2/admin/learner/run': {},
};
