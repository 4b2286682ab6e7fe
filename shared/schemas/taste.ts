// Request and response shapes of the taste routes: embedding an ad-hoc profile into the taste space.
import { Type, type Static } from '@sinclair/typebox';
import { queuedJobSchema } from './jobs.js';

/**
 * Ceilings of one embed request (HTTP and gRPC). Each bounds the work: every string is embedded and every
 * favorite is looked up, so besides items per list and characters per string, the characters of all
 * lists together are capped (checked by the service, 400 `body: … characters in total`).
 */
export const TASTE_LIMITS = {
  textItems: 50,
  textLength: 200,
  favoriteItems: 200,
  favoriteLength: 500,
  totalCharacters: 20_000,
} as const;

/** Characters (code points, as `maxLength` counts them) of every string in an embed body, all lists together. */
export function embedBodyCharacters(body: {
  interests?: readonly string[];
  hobbies?: readonly string[];
  communities?: readonly string[];
  favorites?: readonly string[];
}): number {
  let total = 0;
  for (const list of [body.interests, body.hobbies, body.communities, body.favorites]) {
    // Code points, not UTF-16 units: a surrogate pair (an emoji) is one character.
    for (const value of list ?? []) {
      total += value.length - (value.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
    }
  }
  return total;
}

const texts = (description: string) =>
  Type.Array(Type.String({ minLength: 1, maxLength: TASTE_LIMITS.textLength }), {
    maxItems: TASTE_LIMITS.textItems,
    description,
  });

export const EmbedProfileBody = Type.Object(
  {
    interests: Type.Optional(texts('free-text interests, each embedded with the active text provider')),
    hobbies: Type.Optional(texts('hobbies, embedded like interests')),
    communities: Type.Optional(texts('community names; matched exactly (case and spacing ignored)')),
    favorites: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: TASTE_LIMITS.favoriteLength }), {
        maxItems: TASTE_LIMITS.favoriteItems,
        description: 'media ids (tt…, MBIDs, Open Library ids) or exact titles',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      `At most ${TASTE_LIMITS.textItems} interests, hobbies and communities (${TASTE_LIMITS.textLength} characters ` +
      `each), ${TASTE_LIMITS.favoriteItems} favorites (${TASTE_LIMITS.favoriteLength} characters each), and ` +
      `${TASTE_LIMITS.totalCharacters} characters in all lists together.`,
  },
);
export type EmbedProfileBody = Static<typeof EmbedProfileBody>;

export const EmbedProfileResult = Type.Object(
  {
    vector: Type.Array(Type.Number(), { minItems: 256, maxItems: 256, description: 'unit-length taste vector' }),
    model: Type.String({ description: 'taste model version: taste-v1@<fit id or content-only>/<text model id>' }),
    unresolvedFavorites: Type.Array(Type.String(), {
      description: 'favorites that named no known media item (they contributed nothing)',
    }),
  },
  { additionalProperties: false },
);
export type EmbedProfileResult = Static<typeof EmbedProfileResult>;

export const TasteQualityCheck = Type.Object(
  {
    modelId: Type.String({ description: 'the fit the check was run against' }),
    embeddingModel: Type.String({ description: 'the text model whose media embeddings count as fallback' }),
    checkedAt: Type.String({ format: 'date-time' }),
    favorites: Type.Integer({ minimum: 0, description: 'shareable favorites (members who share them)' }),
    withFactor: Type.Integer({ minimum: 0 }),
    withEmbeddingOnly: Type.Integer({ minimum: 0 }),
    coverage: Type.Number({
      minimum: 0,
      maximum: 1,
      description: '(withFactor + withEmbeddingOnly) / favorites; 1 when none',
    }),
    threshold: Type.Number(),
    passed: Type.Boolean({ description: 'coverage ≥ threshold' }),
    membersRebuilt: Type.Integer({ minimum: 0 }),
    mediaEmbedded: Type.Integer({ minimum: 0, description: 'favorited media embedded by this run' }),
  },
  { additionalProperties: false },
);
export type TasteQualityCheck = Static<typeof TasteQualityCheck>;

export const TasteRebuildQueued = queuedJobSchema(
  'the queued rebuild; null when one was already waiting (it will do the same work)',
);
export type TasteRebuildQueued = Static<typeof TasteRebuildQueued>;
