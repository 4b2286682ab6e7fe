// Real, well-known works with their real ids, checked against public references (IMDb ids of the films
// against MovieLens' links to IMDb). Works whose id was not certain were left out rather than guessed.
// The list is data, kept in curated-works.json; this loader checks its shape once, at import, so a bad
// edit to the file fails loudly here instead of as a strange row in the sample catalogue.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { MediaId, MediaKindSchema } from '../../../shared/schemas/media.js';
import type { MediaWork } from '../../media/media.repository.js';
import curated from './curated-works.json' with { type: 'json' };

const CuratedFile = Type.Object(
  {
    works: Type.Array(
      Type.Object(
        {
          id: MediaId,
          kind: MediaKindSchema,
          title: Type.String({ minLength: 1 }),
          year: Type.Union([Type.Integer(), Type.Null()]),
          aliases: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
          credit: Type.Optional(Type.String({ minLength: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    externalIds: Type.Array(
      Type.Object(
        { mediaId: MediaId, scheme: Type.String({ minLength: 1 }), value: Type.String({ minLength: 1 }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

function checked(file: unknown): Static<typeof CuratedFile> {
  const error = Value.Errors(CuratedFile, file).First();
  if (error) throw new Error(`curated-works.json${error.path.replaceAll('/', '.')}: ${error.message}`);
  return file as Static<typeof CuratedFile>;
}

const { works, externalIds } = checked(curated);

export const CURATED_WORKS: readonly MediaWork[] = works;

/** Cross ids of curated works: ISRC → recording. */
export const CURATED_EXTERNAL_IDS: ReadonlyArray<{ mediaId: string; scheme: string; value: string }> = externalIds;
