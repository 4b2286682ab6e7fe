// Example request for the explanations route: every role's subject asks why a seeded member was
// suggested to them. Needs a live model (one is registered only when none is live: the model registry's
// examples make their own live models too), a target with saved attributes, and — since members may ask
// only about members they were served — an impression of the target for the member's subject.
import { hobbyRankerModel } from '../feedback.js';
import type { PrepareExamples, RouteExamples } from './route-example.js';

const TARGET = 'access-why-target';

export const examples: RouteExamples = {
  'GET /api/v2/discovery/why/:targetId': { url: `/api/v2/discovery/why/${TARGET}` },
};

export const prepare: PrepareExamples = async (t) => {
  if ((await t.app.engine.models.liveModel('ranker')) === null) {
    await t.app.engine.models.register({
      id: 'access-explain-live',
      format: 'lightgbm',
      artifact: hobbyRankerModel(),
      createdBy: 'prepare',
      status: 'live',
    });
  }
  await t.scratch.db.query(
    `INSERT INTO members (id, display_name, gender, seeking, birthday, lat, lon, hobbies)
     VALUES ($1, 'Why Target', 'man', ARRAY['woman'], '1990-05-06', 52.5, 13.4, ARRAY['climbing'])`,
    [TARGET],
  );
  await t.scratch.db.query(
    `INSERT INTO slate_impressions (slate_id, position, viewer_id, candidate_id, arm)
     VALUES (gen_random_uuid(), 0, 'member-1', $1, 'control')`,
    [TARGET],
  );
};
