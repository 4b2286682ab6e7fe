// Example requests for the taste module's routes. Communities alone need no text model, so the embed
// example is answered without loading word vectors; the quality example reads a stored check.
import type { PrepareExamples, RouteExamples } from './route-example.js';

export const examples: RouteExamples = {
  'POST /api/v2/embed': { payload: { communities: ['Access Example Club'] } },
  'POST /api/v2/admin/taste/rebuild': {},
  'GET /api/v2/admin/taste/quality': {},
};

export const prepare: PrepareExamples = async (t) => {
  await t.scratch.db.query(
    `INSERT INTO taste_models (id, rank, members, items, favorites, singular_values)
     VALUES ('fit-access-example', 32, 0, 0, 0, '{}') ON CONFLICT (id) DO NOTHING`,
  );
  await t.scratch.db.query(
    `INSERT INTO taste_quality_checks (model_id, embedding_model, favorites, with_factor, with_embedding_only,
       coverage, threshold, passed, members_rebuilt, media_embedded)
     VALUES ('fit-access-example', 'local-glove-100d-sif@1', 0, 0, 0, 1, 0.95, true, 0, 0)`,
  );
};
