// Imports an operator's own catalogue into `media`: a plain CSV (`id,kind,title,year,aliases`, aliases
// `|`-separated, optional `credit`) or a MovieLens folder (`movies.csv` beside `links.csv`, which maps
// each movie to its IMDb id). Rows are upserted (title, year, aliases, kind, credit change; metadata and
// embeddings stay); every rejected row is reported with its line number and the reason.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Database } from '../../db/database.js';
import { isMediaKind, kindsForMediaId, type MediaKind } from '../../../shared/schemas/media.js';
import { moveTrailingArticle } from '../../../shared/media/normalise-title.js';
import { MediaRepository, type MediaWork, type WriteCounts } from '../../media/media.repository.js';

export type ImportFormat = 'csv' | 'movielens';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['csv', 'movielens'];

export interface Rejection {
  line: number;
  reason: string;
}

export interface ParsedCatalogue {
  works: MediaWork[];
  externalIds: Array<{ mediaId: string; scheme: string; value: string }>;
  rejected: Rejection[];
}

export interface ImportReport extends WriteCounts {
  rejected: Rejection[];
  externalIdsAdded: number;
}

/** The input cannot be read at all (missing file, not a CSV): the only failure the command exits on. */
export class UnreadableInputError extends Error {
  override name = 'UnreadableInputError';
}

const MAX_ALIASES = 50;

interface CsvRecord {
  fields: string[];
  line: number;
}

async function readCsv(file: string): Promise<{ records: CsvRecord[]; rejected: Rejection[] }> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UnreadableInputError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const rejected: Rejection[] = [];
  const records: CsvRecord[] = [];
  // Malformed records (an unclosed quote, …) are skipped and reported, not fatal.
  const parser = parse({ info: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_error: true });
  parser.on('skip', (error: Error & { lines?: number }) => {
    rejected.push({ line: error.lines ?? 0, reason: error.message });
  });
  Readable.from([text.replace(/^\uFEFF/, '')]).pipe(parser);
  for await (const row of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    records.push({ fields: row.record, line: row.info.lines });
  }
  return { records, rejected };
}

function parseYear(text: string | undefined): number | null | 'invalid' {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return null;
  if (!/^\d{4}$/.test(trimmed)) return 'invalid';
  const year = Number(trimmed);
  return year >= 1000 && year <= 3000 ? year : 'invalid';
}

/** Checks one work's fields; returns the reason it is rejected, or null. */
export function rejectionReason(work: MediaWork): string | null {
  const kinds = kindsForMediaId(work.id);
  if (!kinds) return `id "${work.id}" is not a media id (tt…, mb:recording|release-group|artist:<mbid>, ol:OL…W)`;
  if (!kinds.includes(work.kind)) return `id "${work.id}" names a ${kinds.join(' or ')}, not a ${work.kind}`;
  if (work.title.length === 0) return 'title is empty';
  if (work.title.length > 500) return 'title is longer than 500 characters';
  if ((work.aliases ?? []).some((alias) => alias.length > 500)) return 'an alias is longer than 500 characters';
  if ((work.aliases ?? []).length > MAX_ALIASES) return `more than ${MAX_ALIASES} aliases`;
  return null;
}

/** A CSV with a header naming at least `id`, `kind` and `title` (and optionally `year`, `aliases`, `credit`). */
export async function parseCatalogueCsv(file: string): Promise<ParsedCatalogue> {
  const { records, rejected } = await readCsv(file);
  const header = records.shift();
  const columns = header?.fields.map((name) => name.trim().toLowerCase()) ?? [];
  for (const required of ['id', 'kind', 'title']) {
    if (!columns.includes(required)) {
      throw new UnreadableInputError(`${file}: the header must name id, kind and title (found: ${columns.join(',')})`);
    }
  }
  const at = (record: CsvRecord, name: string) => {
    const index = columns.indexOf(name);
    return index < 0 ? undefined : record.fields[index]?.trim();
  };
  const works: MediaWork[] = [];
  const seen = new Map<string, number>();
  for (const record of records) {
    const id = at(record, 'id') ?? '';
    const kind = at(record, 'kind') ?? '';
    const year = parseYear(at(record, 'year'));
    if (!isMediaKind(kind)) {
      rejected.push({
        line: record.line,
        reason: `kind "${kind}" is not one of film, tv, recording, release_group, artist, book`,
      });
      continue;
    }
    if (year === 'invalid') {
      rejected.push({ line: record.line, reason: `year "${at(record, 'year')}" is not a year between 1000 and 3000` });
      continue;
    }
    const work: MediaWork = {
      id,
      kind,
      title: at(record, 'title') ?? '',
      year,
      aliases: [
        ...new Set(
          (at(record, 'aliases') ?? '')
            .split('|')
            .map((alias) => alias.trim())
            .filter(Boolean),
        ),
      ],
      credit: at(record, 'credit') || null,
    };
    const reason = rejectionReason(work) ?? duplicateReason(seen, id, record.line);
    if (reason) rejected.push({ line: record.line, reason });
    else works.push(work);
  }
  return { works, externalIds: [], rejected };
}

function duplicateReason(seen: Map<string, number>, id: string, line: number): string | null {
  const first = seen.get(id);
  if (first !== undefined) return `id "${id}" already given on line ${first}`;
  seen.set(id, line);
  return null;
}

/**
 * A MovieLens title, e.g. `City of Lost Children, The (Cité des enfants perdus, La) (1995)`: the trailing
 * year, alternative titles in brackets (`a.k.a. …`, original-language titles) as aliases, and catalogue
 * articles moved back to the front.
 */
export function parseMovieLensTitle(raw: string): { title: string; year: number | null; aliases: string[] } {
  let text = raw.trim();
  let year: number | null = null;
  const yearMatch = /\s*\((\d{4})(?:\s*[-–]\s*(?:\d{4})?)?\)\s*$/.exec(text);
  if (yearMatch) {
    year = Number(yearMatch[1]);
    text = text.slice(0, yearMatch.index);
  }
  const aliases: string[] = [];
  for (;;) {
    const group = /^(.*\S)\s*\(([^()]+)\)$/.exec(text);
    if (!group?.[1] || !group[2]) break;
    aliases.unshift(moveTrailingArticle(group[2].replace(/^a\.k\.a\.\s*/i, '').trim()));
    text = group[1];
  }
  return { title: moveTrailingArticle(text), year, aliases: aliases.filter(Boolean) };
}

/** `movies.csv` (with or without its header row) and `links.csv` beside it; `ratings.csv`, if present, gives popularity. */
export async function parseMovieLens(moviesFile: string): Promise<ParsedCatalogue> {
  const folder = path.dirname(moviesFile);
  const linksFile = path.join(folder, 'links.csv');
  if (!existsSync(linksFile))
    throw new UnreadableInputError(`${linksFile}: not found (MovieLens keeps it beside movies.csv)`);
  const imdbByMovie = new Map<string, { imdb: string; tmdb: string }>();
  for (const { fields } of (await readCsv(linksFile)).records) {
    const [movieId = '', imdbId = '', tmdbId = ''] = fields.map((field) => field.trim());
    if (/^\d+$/.test(movieId) && /^\d+$/.test(imdbId)) imdbByMovie.set(movieId, { imdb: imdbId, tmdb: tmdbId });
  }
  const popularity = ratingCounts(path.join(folder, 'ratings.csv'));
  const { records, rejected } = await readCsv(moviesFile);
  const works: MediaWork[] = [];
  const externalIds: ParsedCatalogue['externalIds'] = [];
  const seen = new Map<string, number>();
  for (const record of records) {
    const [movieId = '', rawTitle = ''] = record.fields.map((field) => field.trim());
    if (record.line === 1 && movieId.toLowerCase() === 'movieid') continue; // header row, when there is one
    if (!/^\d+$/.test(movieId)) {
      rejected.push({ line: record.line, reason: `movieId "${movieId}" is not a number` });
      continue;
    }
    const link = imdbByMovie.get(movieId);
    if (!link) {
      rejected.push({ line: record.line, reason: `movieId ${movieId} has no imdbId in links.csv` });
      continue;
    }
    const id = `tt${link.imdb.padStart(7, '0')}`;
    const parsed = parseMovieLensTitle(rawTitle);
    const work: MediaWork = {
      id,
      kind: 'film' satisfies MediaKind,
      title: parsed.title,
      year: parsed.year !== null && parsed.year >= 1000 && parsed.year <= 3000 ? parsed.year : null,
      aliases: parsed.aliases,
      popularity: popularity.get(movieId) ?? 0,
    };
    const reason = rejectionReason(work) ?? duplicateReason(seen, id, record.line);
    if (reason) {
      rejected.push({ line: record.line, reason });
      continue;
    }
    works.push(work);
    externalIds.push({ mediaId: id, scheme: 'movielens', value: movieId });
    if (/^\d+$/.test(link.tmdb)) externalIds.push({ mediaId: id, scheme: 'tmdb_movie', value: link.tmdb });
  }
  return { works, externalIds, rejected };
}

function ratingCounts(file: string): Map<string, number> {
  const counts = new Map<string, number>();
  if (!existsSync(file)) return counts;
  // Column 2 of `userId,movieId,rating,timestamp`; a header line simply never matches a number.
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const movieId = line.split(',', 2)[1];
    if (movieId && /^\d+$/.test(movieId)) counts.set(movieId, (counts.get(movieId) ?? 0) + 1);
  }
  return counts;
}

export function parseCatalogueFile(format: ImportFormat, file: string): Promise<ParsedCatalogue> {
  if (!existsSync(file)) throw new UnreadableInputError(`${file}: not found`);
  return format === 'csv' ? parseCatalogueCsv(file) : parseMovieLens(file);
}

/** Parses and writes a catalogue file in one transaction; rejected rows are reported, not fatal. */
export async function importCatalogue(db: Database, format: ImportFormat, file: string): Promise<ImportReport> {
  const parsed = await parseCatalogueFile(format, file);
  return db.transaction(async (tx) => {
    const repository = new MediaRepository(tx);
    const counts = await repository.upsert(parsed.works);
    const externalIdsAdded = await repository.addExternalIds(parsed.externalIds);
    return { ...counts, externalIdsAdded, rejected: parsed.rejected.sort((a, b) => a.line - b.line) };
  });
}
