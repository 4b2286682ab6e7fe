// Members' favorites (`favorites` joined with `media`). The only place that knows their SQL.
import type { Queryable } from '../db/database.js';
import type { Favorite, FavoriteSource, MediaKind } from '../../shared/schemas/media.js';
import { memberWithAttributes } from '../db/active-members.js';

interface FavoriteRow {
  media_id: string;
  kind: MediaKind;
  title: string;
  year: number | null;
  source: FavoriteSource;
  created_at: Date | string;
}

function toFavorite(row: FavoriteRow): Favorite {
  return {
    mediaId: row.media_id,
    kind: row.kind,
    title: row.title,
    year: row.year,
    source: row.source,
    addedAt: new Date(row.created_at).toISOString(),
  };
}

const FAVORITE_COLUMNS = `f.media_id, m.kind, m.title, m.year::int AS year, f.source, f.created_at`;

export class FavoritesRepository {
  constructor(private readonly db: Queryable) {}

  /** Adds a favorite; false when the member already had it (its source and date stay). */
  async add(memberId: string, mediaId: string, source: FavoriteSource, tx: Queryable = this.db): Promise<boolean> {
    const result = await tx.query(
      `INSERT INTO favorites (member_id, media_id, source) VALUES ($1, $2, $3)
       ON CONFLICT (member_id, media_id) DO NOTHING`,
      [memberId, mediaId, source],
    );
    return result.rowCount > 0;
  }

  /** Removes a favorite; false when it was not one. */
  async remove(memberId: string, mediaId: string, tx: Queryable = this.db): Promise<boolean> {
    const result = await tx.query(`DELETE FROM favorites WHERE member_id = $1 AND media_id = $2`, [memberId, mediaId]);
    return result.rowCount > 0;
  }

  /** The member's favorites, newest first. */
  async list(memberId: string, tx: Queryable = this.db): Promise<Favorite[]> {
    const result = await tx.query<FavoriteRow>(
      `SELECT ${FAVORITE_COLUMNS} FROM favorites f JOIN media m ON m.id = f.media_id
        WHERE f.member_id = $1 ORDER BY f.created_at DESC, f.media_id`,
      [memberId],
    );
    return result.rows.map(toFavorite);
  }

  async find(memberId: string, mediaId: string, tx: Queryable = this.db): Promise<Favorite | null> {
    const result = await tx.query<FavoriteRow>(
      `SELECT ${FAVORITE_COLUMNS} FROM favorites f JOIN media m ON m.id = f.media_id
        WHERE f.member_id = $1 AND f.media_id = $2`,
      [memberId, mediaId],
    );
    const row = result.rows[0];
    return row ? toFavorite(row) : null;
  }

  async count(memberId: string, tx: Queryable = this.db): Promise<number> {
    const result = await tx.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM favorites WHERE member_id = $1`,
      [memberId],
    );
    return result.rows[0]?.count ?? 0;
  }

  /**
   * Whether the member exists with saved attributes (and is not deleted); locks the member's row for the
   * rest of the transaction, so concurrent adds cannot both pass the per-member ceiling.
   */
  async lockMember(memberId: string, tx: Queryable): Promise<boolean> {
    const result = await tx.query(`SELECT id FROM members WHERE id = $1 AND ${memberWithAttributes()} FOR UPDATE`, [
      memberId,
    ]);
    return result.rows.length > 0;
  }
}
