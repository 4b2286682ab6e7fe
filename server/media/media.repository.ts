// The media catalogue's SQL: works (`media`), their matching keys (`media_titles`, one per title and
// alias, written here with the shared normaliser so stored and typed titles meet), cross ids
// (`media_external_ids`), and the candidate queries behind canonicalise and autocomplete.
import type { Queryable } from '../db/database.js';
import type { MediaKind } from '../../shared/schemas/media.js';
import { parseTitle } from '../../shared/media/normalise-title.js';

export interface MediaRecord {
  id: string;
  kind: MediaKind;
  title: string;
  year: number | null;
  aliases: string[];
  credit: string | null;
  popularity: number;
  metadata: Record<string, unknown>;
  embeddingModel: string | null;
}

/** A work as importers and the seed write it; metadata and embeddings are left to their own writers. */
export interface MediaWork {
  id: string;
  kind: MediaKind;
  title: string;
  year: number | null;
  aliases?: string[];
  /** Artist credit for music, author for books, director for films, when known. */
  credit?: string | null;
  /** Any non-negative number; only its order matters (it breaks ties between same-named works). */
  popularity?: number;
}

export interface WriteCounts {
  added: number;
  updated: number;
  unchanged: number;
}

export interface TitleCandidate {
  id: string;
  /** The matching key (title or alias) this candidate was found by. */
  normalised: string;
  kind: MediaKind;
  title: string;
  year: number | null;
  credit: string | null;
  popularity: number;
  similarity: number;
}

export interface SearchCandidate {
  id: string;
  kind: MediaKind;
  title: string;
  year: number | null;
  score: number;
}

interface MediaRow extends Omit<MediaRecord, 'embeddingModel'> {
  embedding_model: string | null;
}

const MEDIA_COLUMNS = `m.id, m.kind, m.title, m.year::int AS year, m.aliases, m.credit, m.popularity::float8 AS popularity,
  m.metadata, m.embedding_model`;

function toRecord(row: MediaRow): MediaRecord {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    year: row.year,
    aliases: row.aliases,
    credit: row.credit,
    popularity: Number(row.popularity),
    metadata: row.metadata,
    embeddingModel: row.embedding_model,
  };
}

/** The distinct matching keys of a work: its title's and each alias's. */
export function matchingKeys(work: Pick<MediaWork, 'title' | 'aliases'>): string[] {
  const keys = [work.title, ...(work.aliases ?? [])]
    .map((title) => parseTitle(title).key.slice(0, 500))
    .filter((key) => key.length > 0);
  return [...new Set(keys)];
}

/** Escapes LIKE wildcards so a typed `%` or `_` matches itself. */
function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

// Keys this short get the same-first-letter, similar-length scan on top of the nearest neighbours.
const SHORT_KEY = 8;
const SHORT_KEY_CANDIDATES = 400;

// Nearest neighbours always exist; below this (a trigram similarity of 0.3, scaled by 0.8) they are noise.
const MIN_SEARCH_SCORE = 0.24;

// Rows per statement for bulk writes: large enough to be fast, small enough for PGlite's memory.
const BATCH_SIZE = 2000;

export class MediaRepository {
  constructor(private readonly db: Queryable) {}

  async findById(id: string, tx: Queryable = this.db): Promise<MediaRecord | null> {
    const result = await tx.query<MediaRow>(`SELECT ${MEDIA_COLUMNS} FROM media m WHERE m.id = $1`, [id]);
    const row = result.rows[0];
    return row ? toRecord(row) : null;
  }

  async findByExternalId(scheme: string, value: string, tx: Queryable = this.db): Promise<MediaRecord | null> {
    const result = await tx.query<MediaRow>(
      `SELECT ${MEDIA_COLUMNS} FROM media_external_ids x JOIN media m ON m.id = x.media_id
        WHERE x.scheme = $1 AND x.value = $2`,
      [scheme, value],
    );
    const row = result.rows[0];
    return row ? toRecord(row) : null;
  }

  /** Which of `ids` are in the catalogue. */
  async existingIds(ids: readonly string[], tx: Queryable = this.db): Promise<Set<string>> {
    const found = new Set<string>();
    for (let start = 0; start < ids.length; start += BATCH_SIZE * 5) {
      const result = await tx.query<{ id: string }>(`SELECT id FROM media WHERE id = ANY($1::text[])`, [
        ids.slice(start, start + BATCH_SIZE * 5),
      ]);
      for (const row of result.rows) found.add(row.id);
    }
    return found;
  }

  async count(tx: Queryable = this.db): Promise<number> {
    const result = await tx.query<{ count: number }>(`SELECT count(*)::int AS count FROM media`);
    return result.rows[0]?.count ?? 0;
  }

  /** Adds works that are not in the catalogue yet and leaves existing ones untouched (the seed). */
  async insertMissing(works: readonly MediaWork[], tx: Queryable = this.db): Promise<WriteCounts> {
    const counts: WriteCounts = { added: 0, updated: 0, unchanged: 0 };
    for (let start = 0; start < works.length; start += BATCH_SIZE) {
      const batch = works.slice(start, start + BATCH_SIZE);
      const result = await tx.query<{ id: string }>(
        `INSERT INTO media (id, kind, title, year, aliases, credit, popularity)
         SELECT r.id, r.kind, r.title, r.year::smallint, ARRAY(SELECT jsonb_array_elements_text(r.aliases)),
                r.credit, r.popularity
           FROM jsonb_to_recordset($1::jsonb)
             AS r(id text, kind text, title text, year int, aliases jsonb, credit text, popularity real)
         ON CONFLICT (id) DO NOTHING
         RETURNING id`,
        [JSON.stringify(batch.map(toJsonRow))],
      );
      const added = new Set(result.rows.map((row) => row.id));
      await this.writeTitles(
        batch.filter((work) => added.has(work.id)),
        tx,
      );
      counts.added += added.size;
      counts.unchanged += batch.length - added.size;
    }
    return counts;
  }

  /**
   * Adds new works and updates title, year, aliases, kind and credit of existing ones (importers);
   * metadata and embeddings stay as they are. `works` must not repeat an id.
   */
  async upsert(works: readonly MediaWork[], tx: Queryable = this.db): Promise<WriteCounts> {
    const counts: WriteCounts = { added: 0, updated: 0, unchanged: 0 };
    for (let start = 0; start < works.length; start += BATCH_SIZE) {
      const batch = works.slice(start, start + BATCH_SIZE);
      const result = await tx.query<{ id: string; inserted: boolean }>(
        `INSERT INTO media AS m (id, kind, title, year, aliases, credit, popularity)
         SELECT r.id, r.kind, r.title, r.year::smallint, ARRAY(SELECT jsonb_array_elements_text(r.aliases)),
                r.credit, r.popularity
           FROM jsonb_to_recordset($1::jsonb)
             AS r(id text, kind text, title text, year int, aliases jsonb, credit text, popularity real)
         ON CONFLICT (id) DO UPDATE SET
           kind = excluded.kind, title = excluded.title, year = excluded.year, aliases = excluded.aliases,
           credit = coalesce(excluded.credit, m.credit),
           popularity = CASE WHEN excluded.popularity > 0 THEN excluded.popularity ELSE m.popularity END,
           updated_at = now()
         WHERE (m.kind, m.title, m.year, m.aliases) IS DISTINCT FROM
               (excluded.kind, excluded.title, excluded.year, excluded.aliases)
            OR (excluded.credit IS NOT NULL AND excluded.credit IS DISTINCT FROM m.credit)
            OR (excluded.popularity > 0 AND excluded.popularity IS DISTINCT FROM m.popularity)
         RETURNING m.id, (xmax = 0) AS inserted`,
        [JSON.stringify(batch.map(toJsonRow))],
      );
      const written = new Set(result.rows.map((row) => row.id));
      await this.writeTitles(
        batch.filter((work) => written.has(work.id)),
        tx,
      );
      const added = result.rows.filter((row) => row.inserted).length;
      counts.added += added;
      counts.updated += result.rows.length - added;
      counts.unchanged += batch.length - result.rows.length;
    }
    return counts;
  }

  /** Links cross ids to works; an (scheme, value) already linked keeps its work. Returns how many were new. */
  async addExternalIds(
    links: ReadonlyArray<{ mediaId: string; scheme: string; value: string }>,
    tx: Queryable = this.db,
  ): Promise<number> {
    let added = 0;
    for (let start = 0; start < links.length; start += BATCH_SIZE) {
      const batch = links.slice(start, start + BATCH_SIZE);
      const result = await tx.query(
        `INSERT INTO media_external_ids (scheme, value, media_id)
         SELECT r.scheme, r.value, r.media_id FROM jsonb_to_recordset($1::jsonb) AS r(scheme text, value text, media_id text)
         ON CONFLICT (scheme, value) DO NOTHING`,
        [JSON.stringify(batch.map((link) => ({ scheme: link.scheme, value: link.value, media_id: link.mediaId })))],
      );
      added += result.rowCount;
    }
    return added;
  }

  /**
   * The titles nearest to `key` and `looseKey` by trigram distance (GiST nearest-neighbour scans), plus,
   * for short keys, the titles of similar length sharing the first letter, where one typo leaves too
   * few trigrams in common ("dvae" / "dave"). One row per (work, matching key). `kinds` null = any kind.
   */
  async titleCandidates(
    key: string,
    looseKey: string,
    kinds: readonly MediaKind[] | null,
    limit: number,
    tx: Queryable = this.db,
  ): Promise<TitleCandidate[]> {
    const kindFilter = '($3::text[] IS NULL OR t.kind = ANY($3::text[]))';
    const short = [...key].length <= SHORT_KEY;
    const result = await tx.query<TitleCandidate>(
      `WITH near AS (
         (SELECT t.media_id, t.normalised FROM media_titles t WHERE ${kindFilter}
           ORDER BY t.normalised <-> $1 LIMIT $4)
         UNION
         (SELECT t.media_id, t.normalised FROM media_titles t WHERE ${kindFilter} AND $2 <> $1
           ORDER BY t.normalised <-> $2 LIMIT $4)
         ${
           short
             ? `UNION
         (SELECT t.media_id, t.normalised FROM media_titles t
           WHERE ${kindFilter} AND t.normalised LIKE $5 AND length(t.normalised) BETWEEN $6 AND $7
           LIMIT ${SHORT_KEY_CANDIDATES})`
             : ''
         }
       )
       SELECT m.id, m.kind, m.title, m.year::int AS year, m.credit, m.popularity::float8 AS popularity,
              n.normalised,
              greatest(similarity(n.normalised, $1), similarity(n.normalised, $2))::float8 AS similarity
         FROM near n JOIN media m ON m.id = n.media_id`,
      short
        ? [key, looseKey, kinds, limit, likePrefix([...key][0] ?? ''), Math.max(1, key.length - 2), key.length + 2]
        : [key, looseKey, kinds, limit],
    );
    return result.rows.map((row) => ({
      ...row,
      similarity: Number(row.similarity),
      popularity: Number(row.popularity),
    }));
  }

  /**
   * Autocomplete: titles that start with `key` (found through the prefix index) and, from three
   * characters on, the nearest by word similarity (GiST). Scored 1 for the whole title, 0.8–1 for a
   * prefix by how much of the title is typed, else ≤ 0.8 by trigram / word similarity.
   */
  async search(
    key: string,
    kind: MediaKind | null,
    limit: number,
    tx: Queryable = this.db,
  ): Promise<SearchCandidate[]> {
    const fuzzy = key.length >= 3;
    const kindFilter = '($3::text IS NULL OR t.kind = $3::text)';
    const result = await tx.query<SearchCandidate>(
      `WITH near AS (
         (SELECT t.media_id, t.normalised FROM media_titles t WHERE t.normalised LIKE $2 AND ${kindFilter}
           ORDER BY t.normalised USING ~<~ LIMIT 50)
         ${
           fuzzy
             ? `UNION
         (SELECT t.media_id, t.normalised FROM media_titles t WHERE ${kindFilter}
           ORDER BY $1 <<-> t.normalised LIMIT 50)`
             : ''
         }
       ), scored AS (
         SELECT media_id,
                max(CASE
                      WHEN normalised = $1 THEN 1.0
                      WHEN normalised LIKE $2 THEN 0.8 + 0.2 * length($1)::float8 / length(normalised)
                      ELSE 0.8 * greatest(similarity(normalised, $1), word_similarity($1, normalised))
                    END) AS score
           FROM near GROUP BY media_id
       )
       SELECT m.id, m.kind, m.title, m.year::int AS year, round(s.score::numeric, 4)::float8 AS score
         FROM scored s JOIN media m ON m.id = s.media_id
        WHERE s.score >= ${MIN_SEARCH_SCORE}
        ORDER BY s.score DESC, m.popularity DESC, length(m.title), m.id
        LIMIT $4`,
      [key, likePrefix(key), kind, limit],
    );
    return result.rows.map((row) => ({ ...row, score: Number(row.score) }));
  }

  /** Rebuilds the matching keys of works whose title or aliases another writer changed (metadata merges). */
  async refreshTitles(mediaIds: readonly string[], tx: Queryable = this.db): Promise<void> {
    const { rows } = await tx.query<Pick<MediaWork, 'id' | 'kind' | 'title' | 'aliases'>>(
      `SELECT id, kind, title, aliases FROM media WHERE id = ANY($1::text[])`,
      [mediaIds],
    );
    await this.writeTitles(
      rows.map((row) => ({ ...row, year: null })),
      tx,
    );
  }

  /** Replaces the matching keys of `works` (after their rows were written). */
  private async writeTitles(works: readonly MediaWork[], tx: Queryable): Promise<void> {
    if (works.length === 0) return;
    await tx.query(`DELETE FROM media_titles WHERE media_id = ANY($1::text[])`, [works.map((work) => work.id)]);
    const rows = works.flatMap((work) =>
      matchingKeys(work).map((normalised, index) => ({
        media_id: work.id,
        normalised,
        is_primary: index === 0,
        kind: work.kind,
      })),
    );
    await tx.query(
      `INSERT INTO media_titles (media_id, normalised, is_primary, kind)
       SELECT r.media_id, r.normalised, r.is_primary, r.kind
         FROM jsonb_to_recordset($1::jsonb) AS r(media_id text, normalised text, is_primary boolean, kind text)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }
}

function toJsonRow(work: MediaWork): Record<string, unknown> {
  return {
    id: work.id,
    kind: work.kind,
    title: work.title,
    year: work.year,
    aliases: work.aliases ?? [],
    credit: work.credit ?? null,
    popularity: work.popularity ?? 0,
  };
}
