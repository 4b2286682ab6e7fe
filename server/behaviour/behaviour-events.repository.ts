// The SQL of behaviour events: what the engine looks up before a batch (the member, the slates served to
// them) and the batch's insert, which runs as the member (Database.asMember) so scroll_events' row-level
// policy guards it. The lookups run as the engine: sde_member may read neither members nor slate_impressions.
import type { Database } from '../db/database.js';

export interface ServedCard {
  slateId: string;
  /** 0-based, as slate_impressions numbers it. */
  position: number;
  candidateId: string;
  servedAt: Date;
}

export interface NewScrollEvent {
  clientEventId: string;
  targetId: string;
  kind: 'dwell' | 'scroll_pause';
  dwellMs: number;
  slateId: string;
  position: number;
  occurredAt: string;
}

export interface InsertedEvents {
  stored: number;
  /** Events whose client id the member had stored before. */
  duplicates: number;
}

export class BehaviourEventsRepository {
  constructor(private readonly db: Database) {}

  /** Whether the member exists and whether they are deleted; null when there is no such member. */
  async memberDeleted(memberId: string): Promise<boolean | null> {
    const { rows } = await this.db.query<{ deleted: boolean }>(
      'SELECT deleted_at IS NOT NULL AS deleted FROM members WHERE id = $1',
      [memberId],
    );
    return rows[0]?.deleted ?? null;
  }

  /** Every card of these slates that was served to the viewer (at most 100 slates of 100 cards). */
  async servedCards(viewerId: string, slateIds: readonly string[]): Promise<ServedCard[]> {
    const { rows } = await this.db.query<{
      slate_id: string;
      position: number;
      candidate_id: string;
      served_at: Date | string;
    }>(
      `SELECT slate_id::text AS slate_id, position, candidate_id, served_at FROM slate_impressions
        WHERE viewer_id = $1 AND slate_id = ANY ($2::uuid[])`,
      [viewerId, slateIds],
    );
    return rows.map((row) => ({
      slateId: row.slate_id,
      position: row.position,
      candidateId: row.candidate_id,
      servedAt: new Date(row.served_at),
    }));
  }

  /**
   * Stores the events as the member, once per client id: the unique index (user_id, client_event_id)
   * drops a retried event. The consent trigger (migration 015) drops every event of a member who does
   * not share behavioural data, so stored + duplicates may be fewer than the events given.
   */
  insertAsMember(memberId: string, events: readonly NewScrollEvent[]): Promise<InsertedEvents> {
    const clientIds = events.map((event) => event.clientEventId);
    return this.db.asMember(memberId, async (tx) => {
      const earlier = await tx.query(
        'SELECT 1 FROM scroll_events WHERE user_id = $1 AND client_event_id = ANY ($2::text[])',
        [memberId, clientIds],
      );
      const inserted = await tx.query(
        `INSERT INTO scroll_events (user_id, client_event_id, target_id, kind, dwell_ms, slate_id, position, occurred_at)
         SELECT $1, c, t, k, d, s::uuid, p, o::timestamptz
           FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::int[], $8::text[])
                AS x (c, t, k, d, s, p, o)
         ON CONFLICT (user_id, client_event_id) DO NOTHING
         RETURNING 1`,
        [
          memberId,
          clientIds,
          events.map((event) => event.targetId),
          events.map((event) => event.kind),
          events.map((event) => event.dwellMs),
          events.map((event) => event.slateId),
          events.map((event) => event.position),
          events.map((event) => event.occurredAt),
        ],
      );
      return { stored: inserted.rows.length, duplicates: earlier.rows.length };
    });
  }
}
