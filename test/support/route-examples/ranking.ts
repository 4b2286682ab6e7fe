// Example requests for the ranking routes. A live model comes from the model registry's examples;
// training needs enough labelled feedback, seeded here.
import { seedFeedback } from '../feedback.js';
import type { PrepareExamples, RouteExamples } from './route-example.js';

export const examples: RouteExamples = {
  // Members rank for themselves; staff may rank for any member, so one payload serves every role.
  'POST /api/v2/discovery/rank': { payload: { viewerId: 'member-1', candidateIds: ['reviewer-1', 'admin-1'] } },
  'GET /api/v2/admin/training-data': {},
  'POST /api/v2/admin/models/train': { payload: { numIterations: 5, note: 'access walk' } },
};

export const prepare: PrepareExamples = async (t) => {
  await seedFeedback(t.scratch.db, { viewers: 12, candidates: 6, prefix: 'access-fb' });
  // A member ranks only members the engine served them.
  await t.scratch.db.query(
    `INSERT INTO slate_impressions (slate_id, position, viewer_id, candidate_id, arm)
     SELECT gen_random_uuid(), 0, 'member-1', candidate, 'control' FROM unnest(ARRAY['reviewer-1', 'admin-1']) AS candidate`,
  );
};
