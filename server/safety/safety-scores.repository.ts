// Safety scores in the `safety_scores` table. The only place that knows their SQL.
import type { Queryable } from '../db/database.js';
import type { SafetyScore } from '../../shared/schemas/safety.js';

interface SafetyScoreRow {
  member_id: string;
  harassment_score: number;
  source: string;
  updated_by: string;
  updated_at: Date | string;
}

const COLUMNS = 'member_id, harassment_score, source, updated_by, updated_at';

function toScore(row: SafetyScoreRow): SafetyScore {
  return {
    memberId: row.member_id,
    harassmentScore: Number(row.harassment_score),
    source: row.source,
    updatedBy: row.updated_by,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export interface SafetyScoreWrite {
  memberId: string;
  harassmentScore: number;
  source: string;
}

export class SafetyScoresRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Which of `memberIds` name a member who is not deleted. Locks those rows against deletion until the
   * transaction ends (FOR KEY SHARE), so the upsert that follows cannot meet a vanished member.
   */
  async existingMembers(memberIds: readonly string[], tx: Queryable = this.db): Promise<Set<string>> {
    const result = await tx.query<{ id: string }>(
      `SELECT id FROM members WHERE id = ANY($1::text[]) AND deleted_at IS NULL FOR KEY SHARE`,
      [memberIds],
    );
    return new Set(result.rows.map((row) => row.id));
  }

  /** Inserts or replaces every score in one statement; returns them in input order. */
  async upsertMany(
    writes: readonly SafetyScoreWrite[],
    updatedBy: string,
    tx: Queryable = this.db,
  ): Promise<SafetyScore[]> {
    const result = await tx.query<SafetyScoreRow>(
      `INSERT INTO safety_scores AS s (member_id, harassment_score, source, updated_by)
       SELECT w.member_id, w.harassment_score, w.source, $4
         FROM unnest($1::text[], $2::double precision[], $3::text[]) AS w (member_id, harassment_score, source)
       ON CONFLICT (member_id) DO UPDATE SET
         harassment_score = excluded.harassment_score, source = excluded.source,
         updated_by = excluded.updated_by, updated_at = now()
       RETURNING ${COLUMNS}`,
      [writes.map((w) => w.memberId), writes.map((w) => w.harassmentScore), writes.map((w) => w.source), updatedBy],
    );
    const byMember = new Map(result.rows.map((row) => [row.member_id, toScore(row)]));
    return writes.map((w) => {
      const stored = byMember.get(w.memberId);
      if (!stored) throw new Error(`upsert of the safety score of ${w.memberId} returned no row`);
      return stored;
    });
  }

  async find(memberId: string, tx: Queryable = this.db): Promise<SafetyScore | null> {
    const result = await tx.query<SafetyScoreRow>(`SELECT ${COLUMNS} FROM safety_scores WHERE member_id = $1`, [
      memberId,
    ]);
    const row = result.rows[0];
    return row ? toScore(row) : null;
  }

  /** True when a score was removed. */
  async remove(memberId: string, tx: Queryable = this.db): Promise<boolean> {
    const result = await tx.query(`DELETE FROM safety_scores WHERE member_id = $1`, [memberId]);
    return result.rowCount > 0;
  }

  /** Harassment scores of the members that have one, in one query. */
  async scoresFor(memberIds: readonly string[], tx: Queryable = this.db): Promise<Map<string, number>> {
    if (memberIds.length === 0) return new Map();
    const result = await tx.query<{ member_id: string; harassment_score: number }>(
      `SELECT member_id, harassment_score FROM safety_scores WHERE member_id = ANY($1::text[])`,
      [memberIds],
    );
    return new Map(result.rows.map((row) => [row.member_id, Number(row.harassment_score)]));
  }
}
