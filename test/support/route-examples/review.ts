// Example requests for the review queue (reviewers and admins). The flag they read is created in
// prepare; resolve and reopen change its status, so a second allowed role would get a 409.
import type { PrepareExamples, RouteExamples } from './route-example.js';

export const examples: RouteExamples = {
  'POST /api/v2/review/flags': { payload: { viewerId: 'member-1', candidateId: 'admin-1', note: 'access walk' } },
  'GET /api/v2/review/flags': { url: '/api/v2/review/flags?status=open&limit=5' },
  'GET /api/v2/review/flags/:id': { url: '/api/v2/review/flags/1' },
  'POST /api/v2/review/flags/:id/resolve': {
    url: '/api/v2/review/flags/1/resolve',
    payload: { outcome: 'no_action' },
    unavailable:
      'a flag is resolved once (the second allowed role would get 409); test/api/review-queue.test.ts ' +
      'resolves as reviewer and reopens as admin',
  },
  'POST /api/v2/review/flags/:id/reopen': {
    url: '/api/v2/review/flags/1/reopen',
    payload: { note: 'access walk' },
    unavailable: 'only a resolved flag can be reopened, once; test/api/review-queue.test.ts reopens as admin',
  },
};

/** Flag 1: the first flag of the fresh database, on member-1's slate (every role's subject has attributes). */
export const prepare: PrepareExamples = async (t) => {
  await t.scratch.db.query(
    `INSERT INTO review_flags (viewer_id, note, created_by) VALUES ('member-1', 'access walk', 'prepare')`,
  );
};
