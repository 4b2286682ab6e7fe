// Example requests for the feedback routes. Every role's subject has saved attributes before the walk,
// so each can swipe; the target is a member created here, and each role liking them once is allowed.
import type { PrepareExamples, RouteExamples } from './route-example.js';

const TARGET = 'access-feedback-target';

export const examples: RouteExamples = {
  'POST /api/v2/discovery/feedback': { payload: { targetId: TARGET, action: 'like' } },
  'GET /api/v2/discovery/matches': {},
};

export const prepare: PrepareExamples = async (t) => {
  await t.scratch.db.query(
    `INSERT INTO members (id, gender, seeking, birthday, lat, lon)
     VALUES ($1, 'man', ARRAY['woman'], '1990-05-01', 52.52, 13.405)`,
    [TARGET],
  );
};
