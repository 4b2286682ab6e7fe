// The member-preview audit trail (migration 012): who acted as whom, what they asked, and the answer.
import type { Queryable } from '../db/database.js';

export interface PreviewAuditEntry {
  reviewerId: string;
  memberId: string;
  tokenId: string | null;
  writable: boolean;
}

export class PreviewAuditRepository {
  constructor(private readonly db: Queryable) {}

  async recordMint(entry: PreviewAuditEntry): Promise<void> {
    await this.db.query(
      `INSERT INTO preview_audit (reviewer_id, member_id, token_id, event, writable) VALUES ($1, $2, $3, 'mint', $4)`,
      [entry.reviewerId, entry.memberId, entry.tokenId, entry.writable],
    );
  }

  /** Written before the request is handled; returns the row id for recordStatus. */
  async recordRequest(entry: PreviewAuditEntry, method: string, route: string): Promise<string> {
    const result = await this.db.query<{ id: string | number }>(
      `INSERT INTO preview_audit (reviewer_id, member_id, token_id, event, writable, method, route)
       VALUES ($1, $2, $3, 'request', $4, $5, $6) RETURNING id`,
      [entry.reviewerId, entry.memberId, entry.tokenId, entry.writable, method, route],
    );
    return String(result.rows[0]!.id);
  }

  async recordStatus(id: string, status: number): Promise<void> {
    await this.db.query(`UPDATE preview_audit SET status = $2 WHERE id = $1`, [id, status]);
  }
}
