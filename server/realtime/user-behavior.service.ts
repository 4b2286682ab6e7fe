// The rules of the user_behavior channel: who may ask for which events (a member only their own likes
// received and matches; staff anyone's, narrowed by filters), where a resuming stream starts against the
// retention window, the replay of what it missed, the live feed, and the retention prune.
import { BEHAVIOR_EVENT_KINDS, type BehaviorEventKind } from '../../shared/schemas/realtime.js';
import { STAFF } from '../../shared/schemas/roles.js';
import type { Principal } from '../auth/tokens.js';
import { forbidden, malformed } from '../errors/domain-errors.js';
import type { BehaviorEventsRepository } from './behavior-events.repository.js';
import type { BehaviorFeed, BehaviorSubscriber } from './behavior-feed.js';
import { kindsVisibleTo, visibleTo, type BehaviorAudience, type VisibleBehaviorEvent } from './behavior-visibility.js';

const HOUR_MS = 60 * 60 * 1000;
/** Events read per replay query. */
const REPLAY_PAGE = 500;

export interface UserBehaviorOptions {
  retentionHours: number;
}

export interface StreamFilters {
  kinds?: string;
  memberId?: string;
}

/** Where a stream starts: after `after`; `missed` when the client's resume point cannot be honoured. */
export interface StreamStart {
  after: bigint;
  missed?: 'expired' | 'unknown';
}

export interface ReplayedEvent {
  id: bigint;
  view: VisibleBehaviorEvent;
}

export class UserBehaviorService {
  constructor(
    private readonly events: BehaviorEventsRepository,
    private readonly feed: BehaviorFeed,
    private readonly options: UserBehaviorOptions,
  ) {}

  /** What `caller` receives with these filters, or a refusal naming the filter. */
  audienceFor(caller: Principal, filters: StreamFilters): BehaviorAudience {
    const role = STAFF.includes(caller.role) ? 'staff' : 'member';
    const allowed = kindsVisibleTo(role);
    const kinds = filters.kinds === undefined ? allowed : parseKinds(filters.kinds);
    const refused = kinds.filter((kind) => !allowed.includes(kind));
    if (refused.length > 0) {
      throw forbidden('kinds', `members receive only ${allowed.join(', ')} events (not ${refused.join(', ')})`);
    }
    if (role === 'staff') {
      return filters.memberId === undefined ? { role, kinds } : { role, kinds, memberId: filters.memberId };
    }
    if (filters.memberId !== undefined && filters.memberId !== caller.subject) {
      throw forbidden('memberId', 'members receive only their own events; leave memberId out');
    }
    return { role, kinds, memberId: caller.subject };
  }

  /**
   * Where a stream resumes. Without a resume point: after the newest event (live only). A point whose
   * successors are gone (pruned or past retention), or that this database never issued, cannot be
   * honoured: the stream says so and starts after the newest event.
   */
  async startFor(lastEventId: string | undefined): Promise<StreamStart> {
    if (lastEventId === undefined) return { after: await this.events.latestId() };
    const requested = BigInt(lastEventId);
    const state = await this.events.resumeState(requested, this.retentionStart());
    if (state.unknown) return { after: state.latestId, missed: 'unknown' };
    if (state.missed) return { after: state.latestId, missed: 'expired' };
    return { after: requested };
  }

  /** The events after `after` within retention that `audience` may see, oldest first, a page at a time. */
  async *replay(audience: BehaviorAudience, after: bigint): AsyncGenerator<ReplayedEvent> {
    const filter = {
      kinds: audience.kinds,
      since: this.retentionStart(),
      ...(audience.memberId === undefined ? {} : { memberId: audience.memberId }),
    };
    let cursor = after;
    for (;;) {
      const page = await this.events.after(cursor, REPLAY_PAGE, filter);
      for (const event of page) {
        cursor = event.id;
        const view = visibleTo(audience, event);
        if (view) yield { id: event.id, view };
      }
      if (page.length < REPLAY_PAGE) return;
    }
  }

  /** Live events from every replica, from now on (see BehaviorFeed.subscribe). */
  subscribe(subscriber: BehaviorSubscriber): Promise<() => void> {
    return this.feed.subscribe(subscriber);
  }

  /** Deletes events past the retention window; returns how many. */
  prune(): Promise<number> {
    return this.events.pruneBefore(this.retentionStart());
  }

  private retentionStart(): Date {
    return new Date(Date.now() - this.options.retentionHours * HOUR_MS);
  }
}

function parseKinds(text: string): BehaviorEventKind[] {
  const kinds = text.split(',').map((kind) => kind.trim());
  const unknown = kinds.filter((kind) => !(BEHAVIOR_EVENT_KINDS as readonly string[]).includes(kind));
  if (unknown.length > 0) {
    throw malformed(
      'kinds',
      `unknown event kind "${unknown[0]}"; use a comma-separated list of ${BEHAVIOR_EVENT_KINDS.join(', ')}`,
    );
  }
  return [...new Set(kinds as BehaviorEventKind[])];
}
