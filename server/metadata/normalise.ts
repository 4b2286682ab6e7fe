// Pure mappers from each source's JSON to the one normalised MetadataRecord. They read defensively:
// upstream bodies are untrusted, so a missing or oddly typed field becomes null / empty, never a throw.
import type { MetadataPerson, MetadataRecord } from '../../shared/schemas/metadata.js';

type Json = Record<string, unknown>;

function object(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}
function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
function texts(value: unknown): string[] {
  return list(value)
    .map(text)
    .filter((v): v is string => v !== null);
}
/** A numeric or text id as text; null for anything else. */
function idText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return text(value);
}
function unique<T>(values: T[], key: (value: T) => string = String): T[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const k = key(value);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The year of an ISO-ish date or a free-text date ("1978", "March 1978"); null when none is plausible. */
export function yearOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) return value >= 1000 && value <= 3000 ? value : null;
  const match = typeof value === 'string' ? /\b(\d{4})\b/.exec(value) : null;
  const year = match ? Number(match[1]) : NaN;
  return year >= 1000 && year <= 3000 ? year : null;
}

// MusicBrainz and Open Library use ISO 639-3 codes; TMDb uses 639-1. The common ones map to 639-1 so
// every source says "en" for English; rarer codes stay as the source gave them.
const ISO_639_3_TO_1: Record<string, string> = {
  eng: 'en',
  fre: 'fr',
  fra: 'fr',
  ger: 'de',
  deu: 'de',
  spa: 'es',
  ita: 'it',
  por: 'pt',
  jpn: 'ja',
  kor: 'ko',
  chi: 'zh',
  zho: 'zh',
  rus: 'ru',
  ara: 'ar',
  hin: 'hi',
  swe: 'sv',
  nor: 'no',
  dan: 'da',
  fin: 'fi',
  dut: 'nl',
  nld: 'nl',
  pol: 'pl',
  tur: 'tr',
  gre: 'el',
  ell: 'el',
  heb: 'he',
  cze: 'cs',
  ces: 'cs',
  hun: 'hu',
  ukr: 'uk',
};

export function languageCode(value: unknown): string | null {
  const code = text(value)?.toLowerCase();
  if (!code || code === 'zxx' || code === 'mul' || code === 'und' || code === 'xx') return null;
  return ISO_639_3_TO_1[code] ?? code;
}

// TMDb's genre ids (movie and TV lists); search and find results carry ids only.
const TMDB_GENRES: Record<number, string> = {
  28: 'Action',
  12: 'Adventure',
  16: 'Animation',
  35: 'Comedy',
  80: 'Crime',
  99: 'Documentary',
  18: 'Drama',
  10751: 'Family',
  14: 'Fantasy',
  36: 'History',
  27: 'Horror',
  10402: 'Music',
  9648: 'Mystery',
  10749: 'Romance',
  878: 'Science Fiction',
  10770: 'TV Movie',
  53: 'Thriller',
  10752: 'War',
  37: 'Western',
  10759: 'Action & Adventure',
  10762: 'Kids',
  10763: 'News',
  10764: 'Reality',
  10765: 'Sci-Fi & Fantasy',
  10766: 'Soap',
  10767: 'Talk',
  10768: 'War & Politics',
};

function tmdbPeople(credits: Json): MetadataPerson[] {
  const crew = list(credits.crew)
    .map(object)
    .filter((member) => ['Director', 'Screenplay', 'Writer', 'Original Music Composer'].includes(String(member.job)))
    .map((member) => ({ name: text(member.name), role: String(member.job).toLowerCase() }));
  const cast = list(credits.cast)
    .map(object)
    .sort((a, b) => Number(a.order ?? 999) - Number(b.order ?? 999))
    .slice(0, 10)
    .map((member) => ({ name: text(member.name), role: 'cast' }));
  return unique(
    [...crew, ...cast].filter((p): p is MetadataPerson => p.name !== null),
    (p) => `${p.name}\u0000${p.role}`,
  );
}

/** `/movie/{id}` (optionally with `append_to_response=credits`). */
export function fromTmdbMovie(body: unknown, fetchedAt: string): MetadataRecord | null {
  const movie = object(body);
  const id = idText(movie.id);
  const title = text(movie.title) ?? text(movie.original_title);
  if (!id || !title) return null;
  const originalTitle = text(movie.original_title);
  const runtime = typeof movie.runtime === 'number' && movie.runtime > 0 ? Math.round(movie.runtime) : undefined;
  const externalIds: Record<string, string> = { tmdb: id };
  const imdb = text(movie.imdb_id);
  if (imdb) externalIds.imdb = imdb;
  return {
    source: 'tmdb',
    sourceId: id,
    title,
    year: yearOf(movie.release_date),
    genres: unique(
      list(movie.genres)
        .map((g) => text(object(g).name))
        .filter((g): g is string => g !== null),
    ),
    synopsis: text(movie.overview),
    people: tmdbPeople(object(movie.credits)),
    language: languageCode(movie.original_language),
    ...(runtime === undefined ? {} : { runtimeMinutes: runtime }),
    aliases: originalTitle && originalTitle !== title ? [originalTitle] : [],
    externalIds,
    fetchedAt,
  };
}

/** One movie of `/search/movie` or `movie_results` of `/find`, or one show of `tv_results`. */
export function fromTmdbListItem(
  item: unknown,
  fetchedAt: string,
  kind: 'movie' | 'tv' = 'movie',
): MetadataRecord | null {
  const entry = object(item);
  const title = kind === 'movie' ? text(entry.title) : text(entry.name);
  const originalTitle = kind === 'movie' ? text(entry.original_title) : text(entry.original_name);
  const id = idText(entry.id);
  const shownTitle = title ?? originalTitle;
  if (!id || !shownTitle) return null;
  // Films and shows have separate TMDb id spaces.
  const sourceId = kind === 'movie' ? id : `tv/${id}`;
  return {
    source: 'tmdb',
    sourceId,
    title: shownTitle,
    year: yearOf(kind === 'movie' ? entry.release_date : entry.first_air_date),
    genres: unique(
      list(entry.genre_ids)
        .map((id) => TMDB_GENRES[Number(id)])
        .filter((g): g is string => !!g),
    ),
    synopsis: text(entry.overview),
    people: [],
    language: languageCode(entry.original_language),
    aliases: originalTitle && title && originalTitle !== title ? [originalTitle] : [],
    externalIds: { tmdb: sourceId },
    fetchedAt,
  };
}

function musicBrainzGenres(entity: Json): string[] {
  const genres = list(entity.genres).map(object);
  const source = genres.length > 0 ? genres : list(entity.tags).map(object);
  return unique(
    source
      .filter((tag) => Number(tag.count ?? 1) > 0)
      .sort((a, b) => Number(b.count ?? 0) - Number(a.count ?? 0))
      .map((tag) => text(tag.name))
      .filter((name): name is string => name !== null),
  );
}

function artistCredit(entity: Json): { people: MetadataPerson[]; artistIds: string[] } {
  const credits = list(entity['artist-credit']).map(object);
  return {
    people: credits
      .map((credit) => text(credit.name) ?? text(object(credit.artist).name))
      .filter((name): name is string => name !== null)
      .map((name) => ({ name, role: 'artist' })),
    artistIds: credits.map((credit) => text(object(credit.artist).id)).filter((id): id is string => id !== null),
  };
}

function mostCommon(values: Array<string | null>): string | null {
  const counts = new Map<string, number>();
  for (const value of values) if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | null = null;
  for (const [value, count] of counts) if (best === null || count > counts.get(best)!) best = value;
  return best;
}

/** What recordings and release groups both carry: an id, a title and an artist credit; null without an id or title. */
function musicBrainzEntity(body: unknown) {
  const fields = object(body);
  const id = text(fields.id);
  const title = text(fields.title);
  if (!id || !title) return null;
  return { fields, id, title, credit: artistCredit(fields) };
}

/** The language of each release listed, as its `text-representation` gives it. */
function releaseLanguagesOf(entity: Json) {
  return list(entity.releases).map((r) => languageCode(object(object(r)['text-representation']).language));
}

/** `/recording/{mbid}?inc=artists+releases+isrcs+tags` (relations, when included, add performers). */
export function fromMusicBrainzRecording(body: unknown, fetchedAt: string): MetadataRecord | null {
  const entity = musicBrainzEntity(body);
  if (!entity) return null;
  const { fields: recording, id, title, credit } = entity;
  const relations = list(recording.relations).map(object);
  const performers = relations
    .filter((relation) => relation['target-type'] === 'artist')
    .map((relation) => {
      const name = text(object(relation.artist).name);
      const details = texts(relation.attributes);
      const role = `${String(relation.type)}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
      return { name, role };
    })
    .filter((p): p is MetadataPerson => p.name !== null);
  const workLanguages = relations
    .filter((relation) => relation['target-type'] === 'work')
    .map((relation) => languageCode(object(relation.work).language));
  const releaseLanguages = releaseLanguagesOf(recording);
  const length = typeof recording.length === 'number' && recording.length > 0 ? recording.length : undefined;
  const releaseDates = list(recording.releases)
    .map((r) => yearOf(object(r).date))
    .filter((y) => y !== null);
  return {
    source: 'musicbrainz',
    sourceId: id,
    title,
    year: yearOf(recording['first-release-date']) ?? (releaseDates.length > 0 ? Math.min(...releaseDates) : null),
    genres: musicBrainzGenres(recording),
    synopsis: null,
    people: unique([...credit.people, ...performers], (p) => `${p.name}\u0000${p.role}`),
    language: mostCommon(workLanguages) ?? mostCommon(releaseLanguages),
    ...(length === undefined ? {} : { runtimeMinutes: Math.round(length / 60_000) }),
    isrcs: unique(texts(recording.isrcs)),
    aliases: unique(
      list(recording.aliases)
        .map((a) => text(object(a).name))
        .filter((n): n is string => n !== null),
    ),
    externalIds:
      credit.artistIds.length > 0 ? { musicbrainz: id, musicbrainzArtists: credit.artistIds } : { musicbrainz: id },
    fetchedAt,
  };
}

/** `/release-group/{mbid}?inc=artists+tags` (releases, when present, give the language). */
export function fromMusicBrainzReleaseGroup(body: unknown, fetchedAt: string): MetadataRecord | null {
  const entity = musicBrainzEntity(body);
  if (!entity) return null;
  const { fields: group, id, title, credit } = entity;
  const releaseLanguages = releaseLanguagesOf(group);
  const externalIds: Record<string, string | string[]> = { musicbrainz: id };
  if (credit.artistIds.length > 0) externalIds.musicbrainzArtists = credit.artistIds;
  const primaryType = text(group['primary-type']);
  if (primaryType) externalIds.musicbrainzType = primaryType;
  return {
    source: 'musicbrainz',
    sourceId: id,
    title,
    year: yearOf(group['first-release-date']),
    genres: musicBrainzGenres(group),
    synopsis: null,
    people: credit.people,
    language: mostCommon(releaseLanguages),
    aliases: unique(
      list(group.aliases)
        .map((a) => text(object(a).name))
        .filter((n): n is string => n !== null),
    ),
    externalIds,
    fetchedAt,
  };
}

function openLibraryKey(value: unknown, prefix: string): string | null {
  const key = text(value);
  return key && key.startsWith(prefix) ? key.slice(prefix.length) : null;
}

/** `/works/{OL…W}.json`. Authors come as keys only (names need one request per author). */
export function fromOpenLibraryWork(body: unknown, fetchedAt: string): MetadataRecord | null {
  const work = object(body);
  const id = openLibraryKey(work.key, '/works/');
  const title = text(work.title);
  if (!id || !title) return null;
  const description = typeof work.description === 'string' ? work.description : object(work.description).value;
  const authorKeys = list(work.authors)
    .map((a) => openLibraryKey(object(object(a).author).key, '/authors/'))
    .filter((k): k is string => k !== null);
  const externalIds: Record<string, string | string[]> = { openlibrary: id };
  if (authorKeys.length > 0) externalIds.openlibraryAuthors = authorKeys;
  return {
    source: 'openlibrary',
    sourceId: id,
    title,
    year: yearOf(work.first_publish_date),
    genres: unique(texts(work.subjects)).slice(0, 20),
    synopsis: text(description),
    people: [],
    language: null,
    aliases: text(work.subtitle) ? [`${title}: ${text(work.subtitle)}`] : [],
    externalIds,
    fetchedAt,
  };
}

/** One document of `/search.json?q=` (a work, with author names and subjects inline). */
export function fromOpenLibrarySearchDoc(doc: unknown, fetchedAt: string): MetadataRecord | null {
  const entry = object(doc);
  const id = openLibraryKey(entry.key, '/works/');
  const title = text(entry.title);
  if (!id || !title) return null;
  return {
    source: 'openlibrary',
    sourceId: id,
    title,
    year: yearOf(entry.first_publish_year),
    genres: unique(texts(entry.subject)).slice(0, 20),
    synopsis: null,
    people: unique(texts(entry.author_name)).map((name) => ({ name, role: 'author' })),
    language: languageCode(texts(entry.language)[0]),
    aliases: [],
    externalIds: { openlibrary: id },
    fetchedAt,
  };
}
