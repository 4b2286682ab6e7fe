// The SQL of feedback: storing a swipe (and, in the same transaction, the match it makes), finding a
// swipe by its idempotency key, the checks a swipe needs (member profiles, slate impressions), the
// caller's matches. (Its rate limit is counted by server/http/rate-limit.repository.ts.)
import type { FeedbackAction, Match } from '../../shared/schemas/feedback.js';
import type { Database } from '../db/database.js';
import { fileMemberReport } from '../review/review.repository.js';
import { discoverableMember } from '../db/active-members.js';
import { isoTimestamp, isoTimestampOrNull } from '../db/timestamps.js';

export interface StoredSwipe {
  id: string;
  targetId: string;
  action: FeedbackAction;
  slateId: string | null;
  reason: string | null;
  createdAt: string;
  /** When this swipe made a match, else null. */
  matchedAt: string | null;
}

export interface NewSwipe {
  viewerId: string;
  targetId: string;
  action: FeedbackAction;
  slateId: string | null;
  reason: string | null;
  idempotencyKey: string | null;
}

interface SwipeRow {
  id: string;
  target_id: string;
  action: FeedbackAction;
  slate_id: string | null;
  reason: string | null;
  created_at: Date | string;
  matched_at: Date | string | null;
}

function toSwipe(row: SwipeRow): StoredSwipe {
  return {
    id: row.id,
    targetId: row.target_id,
    action: row.action,
    slateId: row.slate_id,
    reason: row.reason,
    createdAt: isoTimestamp(row.created_at),
    matchedAt: isoTimestampOrNull(row.matched_at),
  };
}

/** A block or report between $1 and $2, in either direction. */
const PAIR_BLOCKED = `EXISTS (SELECT 1 FROM swipes b WHERE b.action IN ('block', 'report')
                               AND ((b.viewer_id = $1 AND b.target_id = $2) OR (b.viewer_id = $2 AND b.target_id = $1)))`;

export class FeedbackRepository {
  constructor(private readonly db: Database) {}

  /** A member with saved attributes who is not deleted (the same test candidate retrieval applies). */
  async hasProfile(memberId: string): Promise<boolean> {
    const { rows } = await this.db.query(
      `SELECT 1 FROM members
        WHERE id = $1 AND ${discoverableMember()}`,
      [memberId],
    );
    return rows.length > 0;
  }

  /** Whether slate `slateId` showed `candidateId` to `viewerId`. */
  async wasShown(slateId: string, viewerId: string, candidateId: string): Promise<boolean> {
    const { rows } = await this.db.query(
      `SELECT 1 FROM slate_impressions
        WHERE slate_id = $1::uuid AND viewer_id = $2 AND candidate_id = $3 LIMIT 1`,
      [slateId, viewerId, candidateId],
    );
    return rows.length > 0;
  }

  /** The swipe the viewer stored with this idempotency key, if any. */
  async findByIdempotencyKey(viewerId: string, key: string): Promise<StoredSwipe | null> {
    const { rows } = await this.db.query<SwipeRow>(
      `SELECT s.id::text AS id, s.target_id, s.action, s.slate_id::text AS slate_id, s.reason, s.created_at,
              m.matched_at
         FROM swipes s LEFT JOIN swipe_matches m ON m.swipe_id = s.id
        WHERE s.viewer_id = $1 AND s.idempotency_key = $2`,
      [viewerId, key],
    );
    return rows[0] ? toSwipe(rows[0]) : null;
  }

  /**
   * Stores the swipe and, for a like or superlike that answers the target's standing like or
   * superlike of the viewer (their latest like/pass/superlike of them, with no block or report
   * between the pair), the match it makes. Returns null when the idempotency key is already taken
   * (a concurrent retry won): the unique index `swipes_idempotency` is the guard.
   *
   * A report also files (or joins) the review-queue item about the target, in this same transaction.
   *
   * Swipes of one pair are serialised by an advisory lock, so two members liking each other at the
   * same moment cannot both miss the other's like: the second sees the first once it commits.
   */
  async insertSwipe(swipe: NewSwipe): Promise<StoredSwipe | null> {
    const [low, high] = [swipe.viewerId, swipe.targetId].sort();
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `swipe-pair:${JSON.stringify([low, high])}`,
      ]);
      const inserted = await tx.query<Omit<SwipeRow, 'matched_at'>>(
        `INSERT INTO swipes (viewer_id, target_id, action, slate_id, reason, idempotency_key)
         VALUES ($1, $2, $3, $4::uuid, $5, $6)
         ON CONFLICT (viewer_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING id::text AS id, target_id, action, slate_id::text AS slate_id, reason, created_at`,
        [swipe.viewerId, swipe.targetId, swipe.action, swipe.slateId, swipe.reason, swipe.idempotencyKey],
      );
      const row = inserted.rows[0];
      if (!row) return null;
      // A report reaches the review queue in the same transaction: never a stored report without its item.
      if (swipe.action === 'report' && swipe.reason !== null) {
        await fileMemberReport(tx, { reporterId: swipe.viewerId, targetId: swipe.targetId, reason: swipe.reason });
      }
      if (swipe.action !== 'like' && swipe.action !== 'superlike') return toSwipe({ ...row, matched_at: null });
      const matched = await tx.query<{ matched_at: Date | string }>(
        `INSERT INTO swipe_matches (swipe_id, viewer_id, target_id, matched_at)
         SELECT $3::bigint, $1, $2, now()
          WHERE (SELECT s.action FROM swipes s
                  WHERE s.viewer_id = $2 AND s.target_id = $1 AND s.action IN ('like', 'pass', 'superlike')
                  ORDER BY s.created_at DESC, s.id DESC LIMIT 1) IN ('like', 'superlike')
            AND NOT ${PAIR_BLOCKED}
         RETURNING matched_at`,
        [swipe.viewerId, swipe.targetId, row.id],
      );
      return toSwipe({ ...row, matched_at: matched.rows[0]?.matched_at ?? null });
    });
  }

  /** The member's matches with live members and no block or report between them, newest first. */
  async matchesOf(memberId: string): Promise<Match[]> {
    const { rows } = await this.db.query<{ user_id: string; matched_at: Date | string }>(
      `SELECT pair.other AS user_id, min(pair.matched_at) AS matched_at
         FROM (SELECT target_id AS other, matched_at FROM swipe_matches WHERE viewer_id = $1
               UNION ALL
               SELECT viewer_id AS other, matched_at FROM swipe_matches WHERE target_id = $1) pair
         JOIN members other ON other.id = pair.other AND other.deleted_at IS NULL
        WHERE NOT EXISTS (SELECT 1 FROM swipes b WHERE b.action IN ('block', 'report')
                            AND ((b.viewer_id = $1 AND b.target_id = pair.other)
                                 OR (b.viewer_id = pair.other AND b.target_id = $1)))
        GROUP BY pair.other
        ORDER BY matched_at DESC, user_id`,
      [memberId],
    );
    return rows.map((row) => ({ userId: row.user_id, matchedAt: isoTimestamp(row.matched_at) }));
  }
}
