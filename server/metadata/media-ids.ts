// Which source knows a catalogue id, and under which id: IMDb ids go to TMDb, MusicBrainz ids to
// MusicBrainz, Open Library work ids to Open Library.
import { MEDIA_ID_PATTERNS, type MetadataSource } from '../../shared/schemas/metadata.js';

export type MetadataTarget =
  | { source: 'tmdb'; imdbId: string }
  | { source: 'musicbrainz'; entity: 'recording' | 'release-group' | 'artist'; mbid: string }
  | { source: 'openlibrary'; workId: string };

const imdb = new RegExp(MEDIA_ID_PATTERNS.imdb);
const musicBrainz = new RegExp(MEDIA_ID_PATTERNS.musicbrainz);
const openLibrary = new RegExp(MEDIA_ID_PATTERNS.openLibrary);

/** The source to ask about `mediaId`; null when the id is in no namespace a fetcher serves. */
export function metadataTargetOf(mediaId: string): MetadataTarget | null {
  if (imdb.test(mediaId)) return { source: 'tmdb', imdbId: mediaId };
  if (musicBrainz.test(mediaId)) {
    const [, entity, mbid] = mediaId.split(':') as [string, 'recording' | 'release-group' | 'artist', string];
    return { source: 'musicbrainz', entity, mbid: mbid.toLowerCase() };
  }
  if (openLibrary.test(mediaId)) return { source: 'openlibrary', workId: mediaId.slice('ol:'.length) };
  return null;
}

export function sourceOf(mediaId: string): MetadataSource | null {
  return metadataTargetOf(mediaId)?.source ?? null;
}
