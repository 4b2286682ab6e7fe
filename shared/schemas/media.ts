// The media catalogue and members' favorites as the API and the console see them: kinds, the namespaced
// id scheme (docs/media-catalogue.md), and the request/response shapes of the favorites and search routes.
import { Type, type Static } from '@sinclair/typebox';

export const MEDIA_KINDS = ['film', 'tv', 'recording', 'release_group', 'artist', 'book'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export function isMediaKind(value: unknown): value is MediaKind {
  return typeof value === 'string' && (MEDIA_KINDS as readonly string[]).includes(value);
}

const MBID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** Each id namespace and the kinds it may name. */
export const MEDIA_ID_NAMESPACES: ReadonlyArray<{ pattern: RegExp; kinds: readonly MediaKind[]; example: string }> = [
  { pattern: /^tt\d{7,10}$/, kinds: ['film', 'tv'], example: 'tt0083658' },
  { pattern: new RegExp(`^mb:recording:${MBID}$`), kinds: ['recording'], example: 'mb:recording:<mbid>' },
  {
    pattern: new RegExp(`^mb:release-group:${MBID}$`),
    kinds: ['release_group'],
    example: 'mb:release-group:<mbid>',
  },
  { pattern: new RegExp(`^mb:artist:${MBID}$`), kinds: ['artist'], example: 'mb:artist:<mbid>' },
  { pattern: /^ol:OL\d{1,10}W$/, kinds: ['book'], example: 'ol:OL45804W' },
];

/** Every valid media id, as one JSON-schema pattern (used at the API edge). */
export const MEDIA_ID_PATTERN = `^(tt\\d{7,10}|mb:(recording|release-group|artist):${MBID}|ol:OL\\d{1,10}W)$`;

/** The kinds an id's namespace allows, or null when the id is not a media id at all. */
export function kindsForMediaId(id: string): readonly MediaKind[] | null {
  return MEDIA_ID_NAMESPACES.find((namespace) => namespace.pattern.test(id))?.kinds ?? null;
}

export const MEDIA_LIMITS = {
  maxTitleLength: 300,
  maxQueryLength: 200,
  maxSearchResults: 20,
  maxFavoritesPerMember: 500,
} as const;

export const MediaKindSchema = Type.Union(
  MEDIA_KINDS.map((kind) => Type.Literal(kind)),
  { description: 'film, tv, recording, release_group, artist or book' },
);

export const MediaId = Type.String({
  pattern: MEDIA_ID_PATTERN,
  description: 'IMDb tt… (film, tv), mb:recording|release-group|artist:<MBID>, or ol:OL…W (book)',
  examples: ['tt0083658'],
});

export const MediaSearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: MEDIA_LIMITS.maxQueryLength, pattern: '\\S' }),
    kind: Type.Optional(MediaKindSchema),
    limit: Type.Integer({ minimum: 1, maximum: MEDIA_LIMITS.maxSearchResults, default: 10 }),
  },
  { additionalProperties: false },
);
export type MediaSearchQuery = Static<typeof MediaSearchQuery>;

export const MediaSearchHit = Type.Object(
  {
    id: Type.String(),
    kind: MediaKindSchema,
    title: Type.String(),
    year: Type.Union([Type.Integer(), Type.Null()]),
    score: Type.Number({ minimum: 0, maximum: 1, description: 'how well the title matches q, 1 = exactly' }),
  },
  { additionalProperties: false },
);
export type MediaSearchHit = Static<typeof MediaSearchHit>;

export const MediaSearchResults = Type.Array(MediaSearchHit, { $id: 'MediaSearchResults' });

export const FAVORITE_SOURCES = ['manual', 'spotify', 'import'] as const;
export type FavoriteSource = (typeof FAVORITE_SOURCES)[number];

export const Favorite = Type.Object(
  {
    mediaId: Type.String(),
    kind: MediaKindSchema,
    title: Type.String(),
    year: Type.Union([Type.Integer(), Type.Null()]),
    source: Type.Union(FAVORITE_SOURCES.map((source) => Type.Literal(source))),
    addedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Favorite', additionalProperties: false },
);
export type Favorite = Static<typeof Favorite>;

export const FavoriteList = Type.Array(Favorite, { $id: 'FavoriteList' });

/** Either `{ mediaId }` or `{ title, kind? }`; the service rejects both or neither with a 400. */
export const FavoriteInput = Type.Object(
  {
    mediaId: Type.Optional(MediaId),
    title: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MEDIA_LIMITS.maxTitleLength,
        pattern: '\\S',
        description: 'free text, canonicalised against the catalogue',
      }),
    ),
    kind: Type.Optional(MediaKindSchema),
  },
  { $id: 'FavoriteInput', additionalProperties: false },
);
export type FavoriteInput = Static<typeof FavoriteInput>;

export const FavoriteAdded = Type.Object(
  {
    ...Favorite.properties,
    resolvedFrom: Type.Union([Type.String(), Type.Null()], {
      description: 'the free-text title that was canonicalised, or null when added by id',
    }),
    confidence: Type.Number({ minimum: 0, maximum: 1, description: '1 when added by id' }),
  },
  { $id: 'FavoriteAdded', additionalProperties: false },
);
export type FavoriteAdded = Static<typeof FavoriteAdded>;

export const FavoriteParams = Type.Object({ mediaId: MediaId }, { additionalProperties: false });
