// The revocation store (migration 012): revoked token ids and per-subject "issued before" cut-offs.
// Looked up on every authenticated request, by every replica, so nothing is kept in process memory.
import type { Queryable } from '../db/database.js';
import type { RevocationLookup } from './tokens.js';

export class TokenRevocationsRepository implements RevocationLookup {
  constructor(private readonly db: Queryable) {}

  /** Two primary-key lookups in one round trip. */
  async lookup(
    subject: string,
    tokenId: string | undefined,
  ): Promise<{ tokenRevoked: boolean; revokedBefore: Date | null }> {
    const result = await this.db.query<{ token_revoked: boolean; issued_before: Date | string | null }>(
      `SELECT EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = $1) AS token_revoked,
              (SELECT issued_before FROM token_revocation_cutoffs WHERE subject = $2) AS issued_before`,
      [tokenId ?? null, subject],
    );
    const row = result.rows[0];
    return {
      tokenRevoked: row?.token_revoked === true,
      revokedBefore: row?.issued_before ? new Date(row.issued_before) : null,
    };
  }

  async revokeToken(jti: string, revokedBy: string): Promise<void> {
    await this.db.query(`INSERT INTO revoked_tokens (jti, revoked_by) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING`, [
      jti,
      revokedBy,
    ]);
  }

  /** Moves the subject's cut-off to `issuedBefore`, never back: an earlier time would un-revoke tokens. */
  async revokeIssuedBefore(subject: string, issuedBefore: Date, revokedBy: string): Promise<void> {
    await this.db.query(
      `INSERT INTO token_revocation_cutoffs (subject, issued_before, revoked_by) VALUES ($1, $2, $3)
       ON CONFLICT (subject) DO UPDATE
         SET issued_before = GREATEST(token_revocation_cutoffs.issued_before, EXCLUDED.issued_before),
             revoked_by = EXCLUDED.revoked_by,
             revoked_at = now()`,
      [subject, issuedBefore.toISOString(), revokedBy],
    );
  }
}
