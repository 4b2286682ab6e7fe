// Notices that something a member's recommendations depend on changed, so modules that keep
// per-member state (the candidates memo, the explanations cache) can drop it without the writers
// knowing about them. Every replica on the database hears every change: a change is sent with
// Postgres NOTIFY and each replica's listeners run when it arrives. The publishing replica also runs
// its own listeners at once, so its very next request never sees the old state; hearing the change
// a second time (its own echo) only drops an entry again, which is harmless.
import type { FastifyBaseLogger } from 'fastify';
import type { Database, Queryable } from '../db/database.js';
import { parseJsonObject } from '../lib/json-object.js';

export type MemberChangeReason = 'profile' | 'taste_vector' | 'privacy' | 'swipe' | 'safety_score' | 'favorites';

export interface MemberChange {
  memberId: string;
  reason: MemberChangeReason;
}

/** The NOTIFY channel shared by every replica (one place, so sender and listener cannot disagree). */
export const MEMBER_CHANGES_CHANNEL = 'sde_member_changes';

const REASONS: ReadonlySet<string> = new Set<MemberChangeReason>([
  'profile',
  'taste_vector',
  'privacy',
  'swipe',
  'safety_score',
  'favorites',
]);

/** The wire form: the member id and the reason, nothing else (NOTIFY payloads end at 8000 bytes). */
export function encodeMemberChange(change: MemberChange): string {
  return JSON.stringify({ memberId: change.memberId, reason: change.reason });
}

/** The change a payload names, or undefined for anything else on the channel (it is dropped). */
export function decodeMemberChange(payload: string): MemberChange | undefined {
  const value = parseJsonObject(payload);
  if (!value) return undefined;
  const { memberId, reason } = value;
  if (typeof memberId !== 'string' || memberId.length === 0 || typeof reason !== 'string' || !REASONS.has(reason)) {
    return undefined;
  }
  return { memberId, reason: reason as MemberChangeReason };
}

export interface MemberChangesTransport {
  db: Database;
  log: Pick<FastifyBaseLogger, 'warn'>;
}

export class MemberChanges {
  private readonly listeners = new Set<(change: MemberChange) => void>();
  /** Notifications sent but not yet acknowledged; close() waits for them. */
  private readonly sending = new Set<Promise<void>>();
  private stopListening: (() => Promise<void>) | undefined;

  /** Without a transport the changes stay in this process (unit tests). */
  constructor(private readonly transport?: MemberChangesTransport) {}

  /** Starts hearing the changes other replicas (and this one) publish. */
  async start(): Promise<void> {
    if (!this.transport || this.stopListening) return;
    this.stopListening = await this.transport.db.listen(MEMBER_CHANGES_CHANNEL, (payload) => {
      const change = decodeMemberChange(payload);
      if (change) this.notifyLocal(change);
      else this.transport?.log.warn({ channel: MEMBER_CHANGES_CHANNEL }, 'member change notification not understood');
    });
  }

  /** Stops listening and waits for notifications still being sent. */
  async close(): Promise<void> {
    const stop = this.stopListening;
    this.stopListening = undefined;
    await Promise.all([...this.sending]);
    await stop?.().catch(() => undefined);
  }

  subscribe(listener: (change: MemberChange) => void): void {
    this.listeners.add(listener);
  }

  /**
   * Without `tx`: call after the change is committed; this replica's listeners run now and the
   * others' when the notification arrives (a failure to send is logged, not thrown: the writer's
   * work is done, and other replicas' caches still expire on their TTL).
   * With `tx`: the notification is part of the transaction, so other replicas hear of the change
   * only if it commits (Postgres delivers NOTIFY at commit); await it inside the transaction.
   */
  publish(change: MemberChange): void;
  publish(change: MemberChange, tx: Queryable): Promise<void>;
  publish(change: MemberChange, tx?: Queryable): void | Promise<void> {
    // Dropping an entry early is always safe: an entry refilled before the commit is dropped again
    // when this replica hears its own notification.
    this.notifyLocal(change);
    if (!this.transport) return tx ? Promise.resolve() : undefined;
    if (tx) return this.send(tx, change);
    const sending = this.send(this.transport.db, change).catch((error: unknown) => {
      this.transport?.log.warn({ err: error, memberId: change.memberId }, 'member change notification not sent');
    });
    this.sending.add(sending);
    void sending.finally(() => this.sending.delete(sending));
  }

  private async send(db: Queryable, change: MemberChange): Promise<void> {
    await db.query('SELECT pg_notify($1, $2)', [MEMBER_CHANGES_CHANNEL, encodeMemberChange(change)]);
  }

  private notifyLocal(change: MemberChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
