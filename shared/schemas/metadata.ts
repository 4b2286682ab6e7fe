// Metadata about catalogue works fetched from TMDb, MusicBrainz and Open Library: the one normalised
// record every fetcher produces, the media-id patterns the metadata routes accept, and the admin
// routes' bodies and responses (the console shows them too).
import { Type, type Static } from '@sinclair/typebox';

export const METADATA_SOURCES = ['tmdb', 'musicbrainz', 'openlibrary'] as const;
export type MetadataSource = (typeof METADATA_SOURCES)[number];

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** The media ids metadata can be fetched for, one pattern per namespace. */
export const MEDIA_ID_PATTERNS = {
  imdb: '^tt\\d{7,10}$',
  musicbrainz: `^mb:(recording|release-group|artist):${UUID}$`,
  openLibrary: '^ol:OL\\d+W$',
} as const;

/** Any media id metadata can be fetched for. */
export const METADATA_MEDIA_ID_PATTERN = `^(?:tt\\d{7,10}|mb:(?:recording|release-group|artist):${UUID}|ol:OL\\d+W)$`;

export const MetadataMediaId = Type.String({
  pattern: METADATA_MEDIA_ID_PATTERN,
  maxLength: 80,
  description: 'tt… (IMDb), mb:recording|release-group|artist:<mbid>, or ol:OL…W (Open Library work)',
});

export const MetadataPerson = Type.Object(
  {
    name: Type.String(),
    role: Type.String({ description: 'e.g. director, cast, artist, author, vocal (lead vocals)' }),
  },
  { additionalProperties: false },
);
export type MetadataPerson = Static<typeof MetadataPerson>;

/** What one source says about one work, in the same shape whatever the source. */
export const MetadataRecord = Type.Object(
  {
    source: Type.Union(METADATA_SOURCES.map((source) => Type.Literal(source))),
    sourceId: Type.String({ description: "the work's id at the source (TMDb id, MBID, OL…W)" }),
    title: Type.String(),
    year: Type.Union([Type.Integer(), Type.Null()]),
    genres: Type.Array(Type.String()),
    synopsis: Type.Union([Type.String(), Type.Null()]),
    people: Type.Array(MetadataPerson),
    language: Type.Union([
      Type.String({ description: 'ISO 639-1 when known, else as the source gives it' }),
      Type.Null(),
    ]),
    runtimeMinutes: Type.Optional(Type.Integer({ minimum: 0 })),
    isrcs: Type.Optional(Type.Array(Type.String())),
    aliases: Type.Optional(Type.Array(Type.String(), { description: 'other titles (original title, aliases)' })),
    externalIds: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
    fetchedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type MetadataRecord = Static<typeof MetadataRecord>;

/** What the last fetch from one source gave: the record's id, or that the source does not know the work. */
export const MetadataSourceState = Type.Object({
  outcome: Type.Union([Type.Literal('merged'), Type.Literal('not_found')]),
  fetchedAt: Type.String({ format: 'date-time' }),
  sourceId: Type.Optional(Type.String()),
});
export type MetadataSourceState = Static<typeof MetadataSourceState>;

/** `media.metadata` after merges: fields from every source, plus what each source last said. */
export const MergedMetadata = Type.Object(
  {
    genres: Type.Optional(Type.Array(Type.String())),
    synopsis: Type.Optional(Type.String()),
    people: Type.Optional(Type.Array(MetadataPerson)),
    language: Type.Optional(Type.String()),
    runtimeMinutes: Type.Optional(Type.Integer()),
    isrcs: Type.Optional(Type.Array(Type.String())),
    externalIds: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]))),
    sources: Type.Optional(Type.Record(Type.String(), MetadataSourceState)),
  },
  // Other modules keep their own keys in `media.metadata` too; merges never drop them.
  { additionalProperties: true },
);
export type MergedMetadata = Static<typeof MergedMetadata>;

export const MediaMetadataParams = Type.Object({ mediaId: MetadataMediaId }, { additionalProperties: false });
export type MediaMetadataParams = Static<typeof MediaMetadataParams>;

/** One catalogue work with its merged metadata (admin view). */
export const MediaMetadata = Type.Object(
  {
    mediaId: Type.String(),
    kind: Type.String(),
    title: Type.String(),
    year: Type.Union([Type.Integer(), Type.Null()]),
    aliases: Type.Array(Type.String()),
    metadata: MergedMetadata,
  },
  { $id: 'MediaMetadata' },
);
export type MediaMetadata = Static<typeof MediaMetadata>;

export const METADATA_REFRESH_LIMIT = 500;

export const MetadataRefreshRequest = Type.Object(
  {
    mediaIds: Type.Array(MetadataMediaId, { minItems: 1, maxItems: METADATA_REFRESH_LIMIT, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type MetadataRefreshRequest = Static<typeof MetadataRefreshRequest>;

export const MetadataRefreshResponse = Type.Object({
  enqueued: Type.Integer({ description: 'jobs queued (a media id already waiting is not queued twice)' }),
  jobIds: Type.Array(Type.String()),
});
export type MetadataRefreshResponse = Static<typeof MetadataRefreshResponse>;

export const MetadataCacheSourceStats = Type.Object({
  source: Type.Union(METADATA_SOURCES.map((source) => Type.Literal(source))),
  hits: Type.Integer(),
  misses: Type.Integer(),
  hitRatio: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
    description: 'hits / (hits + misses); null before the first lookup',
  }),
  entries: Type.Integer({ description: 'cached responses, fresh or expired' }),
  expired: Type.Integer({ description: 'cached responses past their expiry (refetched on next use)' }),
});
export type MetadataCacheSourceStats = Static<typeof MetadataCacheSourceStats>;

export const MetadataCacheStats = Type.Object({ sources: Type.Array(MetadataCacheSourceStats) });
export type MetadataCacheStats = Static<typeof MetadataCacheStats>;
