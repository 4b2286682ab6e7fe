// Example requests for the embeddings module's routes. The media item already carries an embedding from
// the local provider, so the example is answered (skipped) without loading word vectors.
import { LOCAL_PROVIDER_ID } from '../../../server/embeddings/local-provider.js';
import type { PrepareExamples, RouteExamples } from './route-example.js';

export const examples: RouteExamples = {
  'POST /api/v2/media/embed': { payload: { mediaId: 'tt-access-embed' } },
  'POST /api/v2/admin/media/embed-missing': {},
};

export const prepare: PrepareExamples = async (t) => {
  const vector = `[${new Array(100).fill(0.1).join(',')}]`;
  await t.scratch.db.query(
    `INSERT INTO media (id, kind, title, year, embedding, embedding_model)
     VALUES ('tt-access-embed', 'film', 'Access Example', 1999, $1::halfvec, $2) ON CONFLICT (id) DO NOTHING`,
    [vector, LOCAL_PROVIDER_ID],
  );
};
