// Example requests for the metadata module's operator routes, used by the route × role access test.
import type { PrepareExamples, RouteExamples } from './route-example.js';

const MEDIA_ID = 'tt9000001';

export const examples: RouteExamples = {
  'GET /api/v2/admin/metadata/cache': {},
  'POST /api/v2/admin/metadata/refresh': { payload: { mediaIds: [MEDIA_ID] } },
  'GET /api/v2/admin/metadata/:mediaId': { url: `/api/v2/admin/metadata/${MEDIA_ID}` },
};

export const prepare: PrepareExamples = async (t) => {
  await t.scratch.db.query(
    `INSERT INTO media (id, kind, title) VALUES ($1, 'film', 'Metadata access example') ON CONFLICT (id) DO NOTHING`,
    [MEDIA_ID],
  );
};
