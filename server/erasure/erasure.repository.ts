// The SQL of an erasure: every row that names a member, deleted (or, for the few records others need,
// stripped of the member's id) inside the caller's transaction. Tables that reference members(id) are
// found in the catalog, so a table added later with a foreign key is erased without a change here;
// columns that hold member ids without a foreign key are listed below, each with why.
import type { Queryable } from '../db/database.js';

/** Rows removed per table; a table appears once it removed something. */
export type RemovedCounts = Record<string, number>;

interface MemberReference {
  table: string;
  columns: string[];
  /** Tables this one references that are themselves erased (deleted first, so their cascade is counted here). */
  references: string[];
}

export class ErasureRepository {
  /** True when the member exists; locks their row so concurrent writes about them wait for the erasure. */
  async lockMember(tx: Queryable, memberId: string): Promise<boolean> {
    const { rows } = await tx.query(`SELECT 1 FROM members WHERE id = $1 FOR UPDATE`, [memberId]);
    return rows.length > 0;
  }

  /**
   * Copies the review flags about the member (as the reviewed viewer or reported member, or as the
   * flagged candidate) to erased_review_flags under the pseudonym, without notes, actors or the other
   * member; the originals go with the member's row (ON DELETE CASCADE). Returns how many were copied.
   */
  async keepAnonymisedReviewFlags(tx: Queryable, memberId: string, pseudonym: string): Promise<number> {
    const { rowCount } = await tx.query(
      `INSERT INTO erased_review_flags
         (flag_id, pseudonym, member_role, source, status, outcome, report_count, created_at, resolved_at, history)
       SELECT f.id, $2, CASE WHEN f.viewer_id = $1 THEN 'viewer' ELSE 'candidate' END, f.source, f.status,
              f.outcome, f.report_count, f.created_at, f.resolved_at,
              coalesce((SELECT jsonb_agg(jsonb_build_object('action', e.action, 'outcome', e.outcome, 'at', e.at)
                                         ORDER BY e.id)
                          FROM review_flag_events e WHERE e.flag_id = f.id), '[]'::jsonb)
         FROM review_flags f
        WHERE f.viewer_id = $1 OR f.candidate_id = $1`,
      [memberId, pseudonym],
    );
    return rowCount;
  }

  /**
   * Where the member appears as the author of a record that is about someone else (a report they filed,
   * a reviewer's or admin's action when the member is also staff), the record stays for the people it
   * concerns and the member's id becomes the pseudonym — in actor columns and inside free-text notes.
   * Returns the number of rows rewritten.
   */
  async pseudonymiseAuthorship(tx: Queryable, memberId: string, pseudonym: string): Promise<number> {
    const statements = [
      `UPDATE review_flags SET created_by = CASE WHEN created_by = $1 THEN $2 ELSE created_by END,
              resolved_by = CASE WHEN resolved_by = $1 THEN $2 ELSE resolved_by END,
              note = replace(note, $1, $2), resolution_note = replace(resolution_note, $1, $2)
        WHERE created_by = $1 OR resolved_by = $1 OR strpos(note, $1) > 0 OR strpos(resolution_note, $1) > 0`,
      `UPDATE review_flag_events SET actor = CASE WHEN actor = $1 THEN $2 ELSE actor END,
              note = replace(note, $1, $2)
        WHERE actor = $1 OR strpos(note, $1) > 0`,
      `UPDATE preview_audit SET reviewer_id = $2 WHERE reviewer_id = $1`,
      `UPDATE safety_scores SET updated_by = $2 WHERE updated_by = $1`,
      `UPDATE revoked_tokens SET revoked_by = $2 WHERE revoked_by = $1`,
      `UPDATE token_revocation_cutoffs SET revoked_by = $2 WHERE revoked_by = $1`,
      `UPDATE model_versions SET created_by = CASE WHEN created_by = $1 THEN $2 ELSE created_by END,
              status_changed_by = CASE WHEN status_changed_by = $1 THEN $2 ELSE status_changed_by END
        WHERE created_by = $1 OR status_changed_by = $1`,
      `UPDATE model_status_changes SET changed_by = $2, note = replace(note, $1, $2)
        WHERE changed_by = $1 OR strpos(note, $1) > 0`,
      `UPDATE learner_decisions SET actor = CASE WHEN actor = $1 THEN $2 ELSE actor END,
              reason = replace(reason, $1, $2)
        WHERE actor = $1 OR strpos(reason, $1) > 0`,
      `UPDATE learner_state SET changed_by = $2 WHERE changed_by = $1`,
    ];
    let rewritten = 0;
    for (const sql of statements) rewritten += (await tx.query(sql, [memberId, pseudonym])).rowCount;
    return rewritten;
  }

  /**
   * Cost-ledger entries stay (they are the engine's spending, needed for budgets) with the member's id
   * removed. Returns how many were stripped.
   */
  async stripCostLedger(tx: Queryable, memberId: string): Promise<number> {
    const { rowCount } = await tx.query(
      `UPDATE cost_ledger SET member_id = NULL, details = details - 'memberId'
        WHERE member_id = $1 OR details ->> 'memberId' = $1`,
      [memberId],
    );
    return rowCount;
  }

  /**
   * Deletes the rows that name the member in columns without a foreign key, and rows of other members
   * that list them (shadow rankings of other viewers that ranked them). Counted per table.
   */
  async deleteUnreferencedRows(tx: Queryable, memberId: string, keySegment: string): Promise<RemovedCounts> {
    const statements: Array<[table: string, sql: string, param?: string]> = [
      // Other viewers' shadow rankings that listed the member: offline comparison data, dropped whole
      // (removing one candidate would make served and shadow orders disagree with the scores).
      ['shadow_rankings', `DELETE FROM shadow_rankings WHERE $1 = ANY (served_order) OR $1 = ANY (shadow_order)`],
      // Rate-limit windows are keyed `member:{subject}` (server/http/rate-limit.plugin.ts).
      ['rate_limit_windows', `DELETE FROM rate_limit_windows WHERE subject = 'member:' || $1`],
      ['feedback_rate_windows', `DELETE FROM feedback_rate_windows WHERE member_id = $1`],
      // "Tokens issued before" cut-offs are keyed by the subject. With the member gone, a token of
      // theirs reaches only their own (now empty) record; see docs/erasure.md.
      ['token_revocation_cutoffs', `DELETE FROM token_revocation_cutoffs WHERE subject = $1`],
      // What staff did while previewing the member's view names the member: deleted with them.
      ['preview_audit', `DELETE FROM preview_audit WHERE member_id = $1`],
      // Upload URLs handed out for the member's raw connector pages (the key holds their folder).
      [
        'storage_upload_grants',
        `DELETE FROM storage_upload_grants
          WHERE split_part(object_key, '/', 1) = 'favorites_raw' AND split_part(object_key, '/', 3) = $1`,
        keySegment,
      ],
    ];
    const removed: RemovedCounts = {};
    for (const [table, sql, param] of statements) {
      add(removed, table, (await tx.query(sql, [param ?? memberId])).rowCount);
    }
    add(removed, 'pgboss.job', await this.deleteJobs(tx, 'pgboss.job', memberId));
    add(removed, 'pgboss.archive', await this.deleteJobs(tx, 'pgboss.archive', memberId));
    return removed;
  }

  /**
   * Queued, running, finished and archived jobs whose payload or output names the member anywhere (a
   * re-embed's `memberId`, a Spotify import's), or whose singleton key is the member id.
   */
  private async deleteJobs(tx: Queryable, table: 'pgboss.job' | 'pgboss.archive', memberId: string): Promise<number> {
    const { rows } = await tx.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [table]);
    if (!rows[0]?.present) return 0;
    const { rowCount } = await tx.query(
      `DELETE FROM ${table}
        WHERE singleton_key = $1
           OR jsonb_path_exists(data, '$.** ? (@ == $m)', jsonb_build_object('m', $1::text))
           OR jsonb_path_exists(coalesce(output, '{}'::jsonb), '$.** ? (@ == $m)', jsonb_build_object('m', $1::text))`,
      [memberId],
    );
    return rowCount;
  }

  /**
   * Deletes every row of every table with a foreign key to members(id) that names the member, then
   * the member's row. Tables are read from the catalog; one that references another erased table
   * (swipe_matches → swipes) goes first, so its rows are counted rather than cascaded away.
   */
  async deleteReferencingRows(tx: Queryable, memberId: string): Promise<RemovedCounts> {
    const { rows } = await tx.query<{ table_name: string; column_name: string }>(
      `SELECT c.conrelid::regclass::text AS table_name, quote_ident(a.attname) AS column_name
         FROM pg_catalog.pg_constraint c
         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f' AND c.confrelid = 'members'::regclass AND cardinality(c.conkey) = 1
        ORDER BY 1, 2`,
    );
    const byTable = new Map<string, MemberReference>();
    for (const row of rows) {
      const reference = byTable.get(row.table_name) ?? { table: row.table_name, columns: [], references: [] };
      reference.columns.push(row.column_name);
      byTable.set(row.table_name, reference);
    }
    const { rows: links } = await tx.query<{ from_table: string; to_table: string }>(
      `SELECT conrelid::regclass::text AS from_table, confrelid::regclass::text AS to_table
         FROM pg_catalog.pg_constraint WHERE contype = 'f'`,
    );
    for (const link of links) {
      const reference = byTable.get(link.from_table);
      if (reference && byTable.has(link.to_table) && link.to_table !== link.from_table) {
        reference.references.push(link.to_table);
      }
    }
    const removed: RemovedCounts = {};
    for (const reference of orderDependentsFirst([...byTable.values()])) {
      const where = reference.columns.map((column) => `${column} = $1`).join(' OR ');
      add(
        removed,
        reference.table,
        (await tx.query(`DELETE FROM ${reference.table} WHERE ${where}`, [memberId])).rowCount,
      );
    }
    add(removed, 'members', (await tx.query(`DELETE FROM members WHERE id = $1`, [memberId])).rowCount);
    return removed;
  }

  /** The 7-day dwell averages are a materialized view over scroll_events: rebuilt so the member's row goes now. */
  async refreshDwellAverages(tx: Queryable): Promise<void> {
    await tx.query('REFRESH MATERIALIZED VIEW CONCURRENTLY user_dwell_avg');
  }

  async recordReceipt(
    tx: Queryable,
    receipt: {
      id: string;
      subjectHash: string;
      requestedBy: 'member' | 'admin';
      adminId: string | null;
      reason: string | null;
      removed: RemovedCounts;
      storageObjects: number;
      retained: unknown[];
    },
  ): Promise<Date> {
    const { rows } = await tx.query<{ erased_at: Date | string }>(
      `INSERT INTO erasure_receipts (id, subject_hash, requested_by, admin_id, reason, removed, storage_objects, retained)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING erased_at`,
      [
        receipt.id,
        receipt.subjectHash,
        receipt.requestedBy,
        receipt.adminId,
        receipt.reason,
        JSON.stringify(receipt.removed),
        receipt.storageObjects,
        JSON.stringify(receipt.retained),
      ],
    );
    return new Date(rows[0]!.erased_at);
  }
}

function add(removed: RemovedCounts, table: string, count: number): void {
  if (count > 0) removed[table] = (removed[table] ?? 0) + count;
}

/** Tables that reference other erased tables first; otherwise alphabetical (stable receipts). */
function orderDependentsFirst(references: MemberReference[]): MemberReference[] {
  const ordered: MemberReference[] = [];
  const placed = new Set<string>();
  const visit = (reference: MemberReference, path: Set<string>) => {
    if (placed.has(reference.table) || path.has(reference.table)) return;
    path.add(reference.table);
    // A table is placed after every erased table that references it.
    for (const other of references) if (other.references.includes(reference.table)) visit(other, path);
    placed.add(reference.table);
    ordered.push(reference);
  };
  for (const reference of references) visit(reference, new Set());
  return ordered;
}
