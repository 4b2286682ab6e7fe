// Catalogue rows as the metadata fetchers see them: read one work, write a merge back (metadata, a
// missing year, new aliases), and file ISRCs under `media_external_ids` when that table exists (it
// belongs to the catalogue module and may not be there yet, so its columns are looked up, not assumed).
import type { Queryable } from '../db/database.js';

export interface MediaRow {
  id: string;
  kind: string;
  title: string;
  year: number | null;
  aliases: string[];
  metadata: Record<string, unknown>;
}

interface ExternalIdColumns {
  scheme: string;
  value: string;
}

const SCHEME_COLUMNS = ['scheme', 'source', 'namespace', 'kind', 'id_type', 'type'];
const VALUE_COLUMNS = ['value', 'external_id', 'external_value', 'id_value'];

export class MetadataRepository {
  constructor(private readonly db: Queryable) {}

  async find(mediaId: string, tx: Queryable = this.db, forUpdate = false): Promise<MediaRow | null> {
    const { rows } = await tx.query<MediaRow>(
      `SELECT id, kind, title, year, aliases, metadata FROM media WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [mediaId],
    );
    return rows[0] ?? null;
  }

  /** The subset of `mediaIds` that exists in the catalogue. */
  async existing(mediaIds: readonly string[]): Promise<Set<string>> {
    const { rows } = await this.db.query<{ id: string }>(`SELECT id FROM media WHERE id = ANY($1::text[])`, [mediaIds]);
    return new Set(rows.map((row) => row.id));
  }

  async saveMerge(
    mediaId: string,
    change: { metadata: Record<string, unknown>; year: number | null; addAliases: string[] },
    tx: Queryable = this.db,
  ): Promise<void> {
    await tx.query(
      `UPDATE media SET metadata = $2::jsonb, year = COALESCE(year, $3::smallint),
              aliases = aliases || $4::text[], updated_at = now()
        WHERE id = $1`,
      [mediaId, JSON.stringify(change.metadata), change.year, change.addAliases],
    );
  }

  /** Adds external ids (e.g. ISRCs) for a work; false when the catalogue has no such table (yet). */
  async addExternalIds(mediaId: string, scheme: string, values: readonly string[], tx: Queryable = this.db) {
    if (values.length === 0) return false;
    const columns = await this.externalIdColumns(tx);
    if (!columns) return false;
    await tx.query(
      `INSERT INTO media_external_ids (media_id, ${columns.scheme}, ${columns.value})
       SELECT $1, $2, v FROM unnest($3::text[]) AS v
       ON CONFLICT DO NOTHING`,
      [mediaId, scheme, values],
    );
    return true;
  }

  private async externalIdColumns(tx: Queryable): Promise<ExternalIdColumns | null> {
    const { rows } = await tx.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
        WHERE to_regclass('media_external_ids') IS NOT NULL
          AND table_schema = current_schema() AND table_name = 'media_external_ids'`,
    );
    const names = new Set(rows.map((row) => row.column_name));
    const scheme = SCHEME_COLUMNS.find((name) => names.has(name));
    const value = VALUE_COLUMNS.find((name) => names.has(name));
    return names.has('media_id') && scheme && value ? { scheme, value } : null;
  }
}
