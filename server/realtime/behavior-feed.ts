// One replica's live feed of behaviour events: one LISTEN on `sde_user_behavior` (the database's shared
// listener connection) for every open stream, and one read of the new rows per wake-up, handed to every
// subscriber. A NOTIFY only wakes the feed; the rows themselves are read by id, so a burst of swipes is
// one query, not one per swipe per stream. Ids commit in order (migrations/018), so reading "after the
// last id seen" never skips an event; a periodic read covers notifications lost while the listener
// reconnects. With no subscriber the feed reads nothing.
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.js';
import type { BehaviorEvent, BehaviorEventsRepository } from './behavior-events.repository.js';

/** The NOTIFY channel the triggers of migrations/018 send on. */
export const USER_BEHAVIOR_CHANNEL = 'sde_user_behavior';

/** Rows read per query; a larger backlog is read in several. */
const PAGE = 500;

export type BehaviorSubscriber = (event: BehaviorEvent) => void;

export interface BehaviorFeedOptions {
  /** How often the feed reads even without a notification (a lost NOTIFY delays, never drops, an event). */
  pollIntervalMs: number;
}

export class BehaviorFeed {
  private readonly subscribers = new Set<BehaviorSubscriber>();
  /** The last id handed to subscribers; undefined while nobody listens (re-read on the next subscribe). */
  private cursor: bigint | undefined;
  /** Reads and subscriptions run one at a time, in order, on this chain. */
  private chain: Promise<void> = Promise.resolve();
  private readPending = false;
  private stopListening: (() => Promise<void>) | undefined;
  private poll: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly events: BehaviorEventsRepository,
    private readonly log: Pick<FastifyBaseLogger, 'warn'>,
    private readonly options: BehaviorFeedOptions,
  ) {}

  async start(): Promise<void> {
    if (this.stopListening) return;
    this.stopListening = await this.db.listen(USER_BEHAVIOR_CHANNEL, () => this.wake());
    this.poll = setInterval(() => {
      if (this.subscribers.size > 0) this.wake();
    }, this.options.pollIntervalMs);
  }

  async close(): Promise<void> {
    clearInterval(this.poll);
    this.subscribers.clear();
    const stop = this.stopListening;
    this.stopListening = undefined;
    await this.chain;
    await stop?.().catch(() => undefined);
  }

  /**
   * Starts handing new events to `subscriber`: every event committed after this resolves, and possibly
   * some committed shortly before (callers drop ids they already have). Returns the unsubscribe.
   */
  async subscribe(subscriber: BehaviorSubscriber): Promise<() => void> {
    await this.enqueue(async () => {
      // A feed nobody listened to stopped reading: it starts again from what is committed now.
      this.cursor ??= await this.events.latestId();
      this.subscribers.add(subscriber);
    });
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  /** Subscribers now (the replica's open streams). */
  get size(): number {
    return this.subscribers.size;
  }

  private wake(): void {
    // One read waiting is enough: it reads everything committed by the time it runs.
    if (this.readPending) return;
    this.readPending = true;
    void this.enqueue(async () => {
      this.readPending = false;
      await this.readNew();
    });
  }

  private async readNew(): Promise<void> {
    if (this.subscribers.size === 0) {
      this.cursor = undefined;
      return;
    }
    for (;;) {
      const page = await this.events.after(this.cursor ?? 0n, PAGE);
      for (const event of page) {
        this.cursor = event.id;
        for (const subscriber of this.subscribers) {
          // One failing stream must not starve the others of the event.
          try {
            subscriber(event);
          } catch (error) {
            this.log.warn({ err: error, channel: USER_BEHAVIOR_CHANNEL }, 'user behaviour subscriber failed');
          }
        }
      }
      if (page.length < PAGE) return;
    }
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.chain.then(work);
    this.chain = run.catch((error: unknown) => {
      this.log.warn({ err: error, channel: USER_BEHAVIOR_CHANNEL }, 'user behaviour feed read failed');
    });
    return run;
  }
}
