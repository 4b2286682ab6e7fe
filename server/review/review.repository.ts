// The review queue's SQL: flags, their history, and the checks a new flag needs (members and slates);
// and the member-report item a `report` swipe opens or joins inside the swipe's own transaction.
import type { Database, Queryable } from '../db/database.js';
import type { ReviewFlag, ReviewFlagEvent, ReviewFlagSource, ReviewOutcome } from '../../shared/schemas/review.js';

interface FlagRow {
  id: string | number;
  viewer_id: string;
  viewer_name: string | null;
  candidate_id: string | null;
  candidate_name: string | null;
  slate_id: string | null;
  note: string;
  status: 'open' | 'resolved';
  outcome: ReviewOutcome | null;
  created_by: string;
  created_at: Date | string;
  resolved_by: string | null;
  resolved_at: Date | string | null;
  resolution_note: string | null;
  source: ReviewFlagSource;
  report_count: number;
  reporter_ids: string[] | null;
}

interface EventRow {
  action: ReviewFlagEvent['action'];
  actor: string;
  outcome: ReviewOutcome | null;
  note: string | null;
  at: Date | string;
}

const FLAG_SELECT = `
  SELECT f.id, f.viewer_id, v.display_name AS viewer_name, f.candidate_id, c.display_name AS candidate_name,
         f.slate_id::text AS slate_id, f.note, f.status, f.outcome, f.created_by, f.created_at,
         f.resolved_by, f.resolved_at, f.resolution_note, f.source, f.report_count,
         -- Reporters in the order they first reported (the 'opened' and 'reported' events of a member report).
         (SELECT array_agg(r.actor ORDER BY r.first_event)
            FROM (SELECT e.actor, min(e.id) AS first_event FROM review_flag_events e
                   WHERE e.flag_id = f.id AND f.source = 'member_report' AND e.action IN ('opened', 'reported')
                   GROUP BY e.actor) r) AS reporter_ids
    FROM review_flags f
    JOIN members v ON v.id = f.viewer_id
    LEFT JOIN members c ON c.id = f.candidate_id`;

function toFlag(row: FlagRow): ReviewFlag {
  return {
    id: Number(row.id),
    viewerId: row.viewer_id,
    viewerName: row.viewer_name,
    candidateId: row.candidate_id,
    candidateName: row.candidate_name,
    slateId: row.slate_id,
    note: row.note,
    status: row.status,
    outcome: row.outcome,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at === null ? null : new Date(row.resolved_at).toISOString(),
    resolutionNote: row.resolution_note,
    source: row.source,
    reportCount: Number(row.report_count),
    reporterIds: row.reporter_ids ?? [],
  };
}

export interface NewFlag {
  viewerId: string;
  candidateId: string | null;
  slateId: string | null;
  note: string;
  createdBy: string;
}

export interface MemberReport {
  reporterId: string;
  targetId: string;
  reason: string;
}

/**
 * Files a member's report in the review queue on `tx` (the transaction that stores the report swipe):
 * opens an item about the target, or joins the target's open one (count + 1, the reason in its history).
 * The upsert on the unique index of open member-report items keeps concurrent reports to one item.
 * Returns the item's id.
 */
export async function fileMemberReport(tx: Queryable, report: MemberReport): Promise<number> {
  const upserted = await tx.query<{ id: string | number; opened: boolean }>(
    `INSERT INTO review_flags (viewer_id, note, created_by, source, report_count)
     VALUES ($1, $2, $3, 'member_report', 1)
     ON CONFLICT (viewer_id) WHERE source = 'member_report' AND status = 'open'
     DO UPDATE SET report_count = review_flags.report_count + 1
     RETURNING id, (xmax = 0) AS opened`,
    [report.targetId, report.reason, report.reporterId],
  );
  const row = upserted.rows[0]!;
  const id = Number(row.id);
  await addEvent(tx, id, row.opened ? 'opened' : 'reported', report.reporterId, null, report.reason);
  return id;
}

async function addEvent(
  tx: Queryable,
  flagId: number,
  action: ReviewFlagEvent['action'],
  actor: string,
  outcome: ReviewOutcome | null,
  note: string | null,
): Promise<void> {
  await tx.query(`INSERT INTO review_flag_events (flag_id, action, actor, outcome, note) VALUES ($1, $2, $3, $4, $5)`, [
    flagId,
    action,
    actor,
    outcome,
    note,
  ]);
}

/** What a reopen did: a member's second open report item would split its reports, so it is refused. */
export type ReopenResult = 'reopened' | 'not_resolved' | 'open_report_exists';

export class ReviewRepository {
  constructor(private readonly db: Database) {}

  /** Whether the member exists and is not deleted (flags need not wait for attributes). */
  async memberExists(memberId: string): Promise<boolean> {
    const result = await this.db.query<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM members WHERE id = $1 AND deleted_at IS NULL) AS found`,
      [memberId],
    );
    return result.rows[0]?.found === true;
  }

  /** Whether this slate was served to this viewer (it is in the impressions log). */
  async slateServedTo(slateId: string, viewerId: string): Promise<boolean> {
    const result = await this.db.query<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM slate_impressions WHERE slate_id = $1 AND viewer_id = $2) AS found`,
      [slateId, viewerId],
    );
    return result.rows[0]?.found === true;
  }

  async create(flag: NewFlag): Promise<number> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx.query<{ id: string | number }>(
        `INSERT INTO review_flags (viewer_id, candidate_id, slate_id, note, created_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [flag.viewerId, flag.candidateId, flag.slateId, flag.note, flag.createdBy],
      );
      const id = Number(inserted.rows[0]!.id);
      await addEvent(tx, id, 'opened', flag.createdBy, null, flag.note);
      return id;
    });
  }

  async find(id: number): Promise<ReviewFlag | null> {
    const result = await this.db.query<FlagRow>(`${FLAG_SELECT} WHERE f.id = $1`, [id]);
    const row = result.rows[0];
    return row ? toFlag(row) : null;
  }

  async history(id: number): Promise<ReviewFlagEvent[]> {
    const result = await this.db.query<EventRow>(
      `SELECT action, actor, outcome, note, at FROM review_flag_events WHERE flag_id = $1 ORDER BY id`,
      [id],
    );
    return result.rows.map((row) => ({
      action: row.action,
      actor: row.actor,
      outcome: row.outcome,
      note: row.note,
      at: new Date(row.at).toISOString(),
    }));
  }

  /** Newest first; ties (same instant) by id so pages never overlap. No source lists both sources. */
  async list(
    status: 'open' | 'resolved',
    limit: number,
    offset: number,
    source?: ReviewFlagSource,
  ): Promise<{ flags: ReviewFlag[]; total: number }> {
    const filter = `f.status = $1 AND ($2::text IS NULL OR f.source = $2::text)`;
    const [page, count] = await Promise.all([
      this.db.query<FlagRow>(
        `${FLAG_SELECT} WHERE ${filter} ORDER BY f.created_at DESC, f.id DESC LIMIT $3 OFFSET $4`,
        [status, source ?? null, limit, offset],
      ),
      this.db.query<{ total: number }>(`SELECT count(*)::int AS total FROM review_flags f WHERE ${filter}`, [
        status,
        source ?? null,
      ]),
    ]);
    return { flags: page.rows.map(toFlag), total: count.rows[0]?.total ?? 0 };
  }

  /** Resolves an open flag; false when it was not open (already resolved, or gone). */
  async resolve(id: number, outcome: ReviewOutcome, actor: string, note: string | null): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const updated = await tx.query(
        `UPDATE review_flags
            SET status = 'resolved', outcome = $2, resolved_by = $3, resolved_at = now(), resolution_note = $4
          WHERE id = $1 AND status = 'open'`,
        [id, outcome, actor, note],
      );
      if ((updated.rowCount ?? 0) === 0) return false;
      await addEvent(tx, id, 'resolved', actor, outcome, note);
      return true;
    });
  }

  /**
   * Reopens a resolved flag (its resolution stays in the history). A member-report item is not reopened
   * while a newer one about the same member is open (the unique index says so).
   */
  async reopen(id: number, actor: string, note: string): Promise<ReopenResult> {
    try {
      return await this.db.transaction(async (tx) => {
        const updated = await tx.query(
          `UPDATE review_flags
              SET status = 'open', outcome = NULL, resolved_by = NULL, resolved_at = NULL, resolution_note = NULL
            WHERE id = $1 AND status = 'resolved'`,
          [id],
        );
        if ((updated.rowCount ?? 0) === 0) return 'not_resolved';
        await addEvent(tx, id, 'reopened', actor, null, note);
        return 'reopened';
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === '23505') return 'open_report_exists';
      throw error;
    }
  }

  /** The open member-report item about this member, if any. */
  async openMemberReportAbout(memberId: string): Promise<number | null> {
    const result = await this.db.query<{ id: string | number }>(
      `SELECT id FROM review_flags WHERE viewer_id = $1 AND source = 'member_report' AND status = 'open'`,
      [memberId],
    );
    const row = result.rows[0];
    return row ? Number(row.id) : null;
  }
}
