// Example requests for the behaviour events route: member-1 was served a one-card slate (prepared here),
// and posts a dwell time on its card.
import type { PrepareExamples, RouteExamples } from './route-example.js';

const SLATE_ID = '5d0e7c1a-3b2f-4a6d-8e9c-1f2a3b4c5d6e';
const SHOWN = 'access-events-shown';

export const examples: RouteExamples = {
  'POST /api/v2/events': {
    payloadFor: () => ({
      events: [
        {
          clientEventId: `access-walk-${Date.now()}`,
          type: 'dwell_time',
          slateId: SLATE_ID,
          position: 1,
          durationMs: 1200,
          occurredAt: new Date(Date.now() - 60_000).toISOString(),
        },
      ],
    }),
  },
};

export const prepare: PrepareExamples = async (t) => {
  await t.scratch.db.query('INSERT INTO members (id) VALUES ($1)', [SHOWN]);
  await t.scratch.db.query(
    `INSERT INTO slate_impressions (slate_id, position, viewer_id, candidate_id, served_at)
     VALUES ($1::uuid, 0, 'member-1', $2, now() - interval '1 hour')`,
    [SLATE_ID, SHOWN],
  );
};
