// The SQL of the user_behavior log (migrations/018): reading events after an id (the live feed and a
// stream's replay), where a resuming stream stands against the retention window, and the prune.
import type { BehaviorEventKind } from '../../shared/schemas/realtime.js';
import type { Database } from '../db/database.js';
import { isoTimestamp } from '../db/timestamps.js';

export interface BehaviorEvent {
  id: bigint;
  kind: BehaviorEventKind;
  actorId: string;
  targetId: string;
  slateId: string | null;
  createdAt: string;
  /**
   * True when members must not hear of it now: a block or report stands between the pair (either way)
   * or either member is deleted. Read with the event, so a replay obeys a block made after the swipe.
   */
  hiddenFromMembers: boolean;
}

/** What narrows a replay in SQL; the visibility rule (behavior-visibility.ts) still decides each event. */
export interface BehaviorEventFilter {
  /** Events whose actor or target is this member. */
  memberId?: string;
  kinds?: readonly BehaviorEventKind[];
  /** Only events created after this instant (the retention window). */
  since?: Date;
}

/** Where a resume point stands. */
export interface ResumeState {
  /** Events after the resume point are gone (pruned, or past retention): the client has missed some. */
  missed: boolean;
  /** The id is beyond any id ever issued (another database, a forged header): nothing is after it. */
  unknown: boolean;
  /** The newest committed event id. */
  latestId: bigint;
}

interface EventRow {
  id: string;
  kind: BehaviorEventKind;
  actor_id: string;
  target_id: string;
  slate_id: string | null;
  created_at: Date | string;
  hidden_from_members: boolean;
}

const EVENT_COLUMNS = `e.id::text AS id, e.kind, e.actor_id, e.target_id, e.slate_id::text AS slate_id, e.created_at,
       (EXISTS (SELECT 1 FROM swipes b
                 WHERE b.action IN ('block', 'report')
                   AND ((b.viewer_id = e.actor_id AND b.target_id = e.target_id)
                        OR (b.viewer_id = e.target_id AND b.target_id = e.actor_id)))
        OR EXISTS (SELECT 1 FROM members m
                    WHERE m.id IN (e.actor_id, e.target_id) AND m.deleted_at IS NOT NULL)) AS hidden_from_members`;

/** Rows deleted per prune statement, so one prune never holds a long lock. */
const PRUNE_BATCH = 10_000;

function toEvent(row: EventRow): BehaviorEvent {
  return {
    id: BigInt(row.id),
    kind: row.kind,
    actorId: row.actor_id,
    targetId: row.target_id,
    slateId: row.slate_id,
    createdAt: isoTimestamp(row.created_at),
    hiddenFromMembers: row.hidden_from_members,
  };
}

export class BehaviorEventsRepository {
  constructor(private readonly db: Database) {}

  /** Up to `limit` events with an id above `afterId`, oldest first. */
  async after(afterId: bigint, limit: number, filter: BehaviorEventFilter = {}): Promise<BehaviorEvent[]> {
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS}
         FROM behavior_events e
        WHERE e.id > $1::bigint
          AND ($2::text IS NULL OR e.actor_id = $2 OR e.target_id = $2)
          AND ($3::text[] IS NULL OR e.kind = ANY ($3::text[]))
          AND ($4::timestamptz IS NULL OR e.created_at > $4)
        ORDER BY e.id
        LIMIT $5`,
      [
        afterId.toString(),
        filter.memberId ?? null,
        filter.kinds ? [...filter.kinds] : null,
        filter.since?.toISOString() ?? null,
        limit,
      ],
    );
    return rows.map(toEvent);
  }

  /** The newest committed event id (0 when there is none). */
  async latestId(): Promise<bigint> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT coalesce(max(id), 0)::text AS id FROM behavior_events`,
    );
    return BigInt(rows[0]!.id);
  }

  /** Where `lastEventId` stands against the prune horizon, the retention window and the ids issued. */
  async resumeState(lastEventId: bigint, retentionStart: Date): Promise<ResumeState> {
    const { rows } = await this.db.query<{
      pruned_through: string;
      last_issued: string;
      expired_after: boolean;
      latest_id: string;
    }>(
      `SELECT (SELECT pruned_through::text FROM behavior_events_horizon) AS pruned_through,
              (SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text FROM behavior_events_id_seq) AS last_issued,
              EXISTS (SELECT 1 FROM behavior_events WHERE id > $1::bigint AND created_at <= $2) AS expired_after,
              (SELECT coalesce(max(id), 0)::text FROM behavior_events) AS latest_id`,
      [lastEventId.toString(), retentionStart.toISOString()],
    );
    const row = rows[0]!;
    return {
      missed: BigInt(row.pruned_through) > lastEventId || row.expired_after,
      unknown: lastEventId > BigInt(row.last_issued),
      latestId: BigInt(row.latest_id),
    };
  }

  /**
   * Deletes events created before `before`, in batches, and moves the prune horizon to the highest id
   * deleted, so a stream resuming from before it learns that it missed events. Returns how many went.
   */
  async pruneBefore(before: Date): Promise<number> {
    let deleted = 0;
    for (;;) {
      const { rows } = await this.db.query<{ deleted: number }>(
        `WITH gone AS (
           DELETE FROM behavior_events
            WHERE id IN (SELECT id FROM behavior_events WHERE created_at < $1 ORDER BY id LIMIT $2)
           RETURNING id),
         horizon AS (
           UPDATE behavior_events_horizon
              SET pruned_through = greatest(pruned_through, (SELECT max(id) FROM gone))
            WHERE EXISTS (SELECT 1 FROM gone))
         SELECT count(*)::int AS deleted FROM gone`,
        [before.toISOString(), PRUNE_BATCH],
      );
      const batch = rows[0]?.deleted ?? 0;
      deleted += batch;
      if (batch < PRUNE_BATCH) return deleted;
    }
  }
}
