// Example requests for the safety-score admin routes. Each route works on its own member, so the walk's
// order does not matter: the GET example's score is stored up front and DELETE is idempotent.
import type { PrepareExamples, RouteExamples } from './route-example.js';

export const examples: RouteExamples = {
  'PUT /api/v2/admin/safety-scores': {
    payload: { scores: [{ memberId: 'member-1', harassmentScore: 0.2, source: 'access-walk' }] },
  },
  'GET /api/v2/admin/safety-scores/:memberId': { url: '/api/v2/admin/safety-scores/reviewer-1' },
  'DELETE /api/v2/admin/safety-scores/:memberId': { url: '/api/v2/admin/safety-scores/admin-1' },
};

export const prepare: PrepareExamples = async (t) => {
  await t.scratch.db.query(
    `INSERT INTO safety_scores (member_id, harassment_score, source, updated_by)
     VALUES ('reviewer-1', 0.1, 'access-walk', 'admin-1') ON CONFLICT (member_id) DO NOTHING`,
  );
};
