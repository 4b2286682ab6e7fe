// Upload grants of the local storage driver: one row per issued upload URL, so a URL can be used once
// (a replay finds `used_at` set) and its key, content type and size limit never travel in the URL.
import type { Queryable } from '../db/database.js';

export interface UploadGrant {
  id: string;
  objectKey: string;
  contentType: string;
  maxBytes: number;
  expiresAt: Date;
  usedAt: Date | null;
}

interface GrantRow {
  id: string;
  object_key: string;
  content_type: string;
  max_bytes: number;
  expires_at: Date | string;
  used_at: Date | string | null;
}

function toGrant(row: GrantRow): UploadGrant {
  return {
    id: row.id,
    objectKey: row.object_key,
    contentType: row.content_type,
    maxBytes: row.max_bytes,
    expiresAt: new Date(row.expires_at),
    usedAt: row.used_at === null ? null : new Date(row.used_at),
  };
}

export class UploadGrantsRepository {
  constructor(private readonly db: Queryable) {}

  async insert(grant: Omit<UploadGrant, 'usedAt'>): Promise<void> {
    await this.db.query(
      `INSERT INTO storage_upload_grants (id, object_key, content_type, max_bytes, expires_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [grant.id, grant.objectKey, grant.contentType, grant.maxBytes, grant.expiresAt],
    );
  }

  async find(id: string): Promise<UploadGrant | null> {
    const { rows } = await this.db.query<GrantRow>(
      `SELECT id, object_key, content_type, max_bytes, expires_at, used_at FROM storage_upload_grants WHERE id = $1`,
      [id],
    );
    return rows[0] ? toGrant(rows[0]) : null;
  }

  /** Marks the grant used; false when it already was (a replay, or a concurrent upload that won). */
  async claim(id: string, at: Date): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE storage_upload_grants SET used_at = $2 WHERE id = $1 AND used_at IS NULL`,
      [id, at],
    );
    return rowCount === 1;
  }

  /** Undoes a claim whose write failed, so the uploader can retry with the same URL. */
  async release(id: string): Promise<void> {
    await this.db.query(`UPDATE storage_upload_grants SET used_at = NULL WHERE id = $1`, [id]);
  }

  /** Drops grants expired for a day: they can only ever answer "expired", which the URL itself says. */
  async deleteExpiredBefore(cutoff: Date): Promise<void> {
    await this.db.query(`DELETE FROM storage_upload_grants WHERE expires_at < $1`, [cutoff]);
  }
}
