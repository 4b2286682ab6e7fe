// Request and response shapes of the embedding routes (media embedding and its batch job).
import { Type, type Static } from '@sinclair/typebox';
import { queuedJobSchema } from './jobs.js';

export const MediaEmbedBody = Type.Object(
  {
    mediaId: Type.String({
      minLength: 1,
      maxLength: 80,
      description: 'canonical media id (tt…, MusicBrainz MBID, Open Library work id)',
    }),
  },
  { additionalProperties: false },
);
export type MediaEmbedBody = Static<typeof MediaEmbedBody>;

export const MediaEmbedResult = Type.Object(
  {
    mediaId: Type.String(),
    model: Type.String({ description: 'id of the provider/model that made the stored embedding' }),
    dimensions: Type.Integer({ minimum: 1 }),
    skipped: Type.Boolean({ description: 'true: an embedding from this model already existed; nothing was called' }),
  },
  { additionalProperties: false },
);
export type MediaEmbedResult = Static<typeof MediaEmbedResult>;

export const EmbedMissingResult = queuedJobSchema(
  'the queued job; null when a batch was already waiting (it will cover the same media)',
);
export type EmbedMissingResult = Static<typeof EmbedMissingResult>;
