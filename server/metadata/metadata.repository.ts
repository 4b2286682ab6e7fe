// Catalogue rows as the metadata fetchers see them: read one work, write a merge back (metadata, a
// missing year, new aliases — kept matchable through the catalogue's own title keys), and file ISRCs
// as the work's external ids.
import type { Queryable } from '../db/database.js';
import { MediaRepository } from '../media/media.repository.js';

export interface MediaRow {
  id: string;
  kind: string;
  title: string;
  year: number | null;
  aliases: string[];
  metadata: Record<string, unknown>;
}

export class MetadataRepository {
  private readonly media: MediaRepository;

  constructor(private readonly db: Queryable) {
    this.media = new MediaRepository(db);
  }

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
    if (change.addAliases.length > 0) await this.media.refreshTitles([mediaId], tx);
  }

  /** Links external ids (e.g. ISRCs) to the work; ids already linked to a work keep theirs. */
  async addExternalIds(mediaId: string, scheme: string, values: readonly string[], tx: Queryable = this.db) {
    await this.media.addExternalIds(
      values.map((value) => ({ mediaId, scheme, value })),
      tx,
    );
  }
}
