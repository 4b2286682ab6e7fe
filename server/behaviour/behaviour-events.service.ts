// Behaviour events from a member's client: checks the whole batch first (no client id twice, every event
// about a card served to this member, its timestamp within the allowed skew), so a batch with one bad
// event stores nothing and the client learns of its bug; then stores the batch as the member. Whom an
// event is about comes from the slate impression, never from the client.
import type {
  BehaviourEvent,
  BehaviourEventBatch,
  BehaviourEventsResult,
} from '../../shared/schemas/behaviour-events.js';
import { DomainError, invalid, malformed } from '../errors/domain-errors.js';
import type { BehaviourEventsRepository, NewScrollEvent, ServedCard } from './behaviour-events.repository.js';

/** How far a client's clock may be from the engine's (SDE_EVENTS_MAX_FUTURE_SKEW, SDE_EVENTS_MAX_AGE). */
export interface BehaviourEventsLimits {
  maxFutureSkewSeconds: number;
  maxAgeSeconds: number;
}

const KIND_OF: Record<BehaviourEvent['type'], NewScrollEvent['kind']> = {
  dwell_time: 'dwell',
  scroll_pause: 'scroll_pause',
};

export class BehaviourEventsService {
  constructor(
    private readonly repository: BehaviourEventsRepository,
    private readonly limits: BehaviourEventsLimits,
  ) {}

  async record(memberId: string, batch: BehaviourEventBatch): Promise<BehaviourEventsResult> {
    const { events } = batch;
    rejectRepeatedClientIds(events);
    if (await this.repository.memberDeleted(memberId)) {
      throw new DomainError('gone', `member "${memberId}" is deleted and cannot post events`, { topic: 'member' });
    }
    const slateIds = [...new Set(events.map((event) => event.slateId.toLowerCase()))];
    const cards = await this.repository.servedCards(memberId, slateIds);
    const nowMs = Date.now();
    const rows = events.map((event, index) => this.toRow(event, index, cards, nowMs));
    const { stored, duplicates } = await this.repository.insertAsMember(memberId, rows);
    const skipped = events.length - stored - duplicates;
    return {
      received: events.length,
      stored,
      duplicates,
      skipped,
      reason: skipped > 0 ? 'behavioural_sharing_off' : null,
    };
  }

  /** The stored row of event `index`, once it names a served card and a believable time. */
  private toRow(event: BehaviourEvent, index: number, cards: readonly ServedCard[], nowMs: number): NewScrollEvent {
    const slateId = event.slateId.toLowerCase();
    const slate = cards.filter((card) => card.slateId === slateId);
    if (slate.length === 0) {
      throw invalid(`events[${index}].slateId`, `slate "${event.slateId}" was not served to you`);
    }
    // The API numbers cards as the slate response does (1-based); impressions are stored 0-based.
    const card = slate.find((candidate) => candidate.position === event.position - 1);
    if (!card) {
      throw invalid(
        `events[${index}].position`,
        `slate "${event.slateId}" has no position ${event.position} (it showed positions 1 to ${slate.length})`,
      );
    }
    const occurredMs = Date.parse(event.occurredAt);
    const field = `events[${index}].occurredAt`;
    const { maxFutureSkewSeconds: skew, maxAgeSeconds } = this.limits;
    // The date-time format admits a leap second (23:59:60), which JavaScript cannot read.
    if (Number.isNaN(occurredMs))
      throw malformed(field, 'is not a time this server can read; send it without a leap second');
    if (occurredMs > nowMs + skew * 1000) {
      throw malformed(field, `is more than ${skew}s in the future; check the client clock`);
    }
    if (occurredMs < nowMs - maxAgeSeconds * 1000) {
      throw malformed(field, `is more than ${maxAgeSeconds}s old; events that old are not accepted`);
    }
    // The client's clock may lag the engine's by the same allowance it may run ahead.
    if (occurredMs < card.servedAt.getTime() - skew * 1000) {
      throw malformed(
        field,
        `is before slate "${event.slateId}" was served (${card.servedAt.toISOString()}, allowing ${skew}s of clock skew)`,
      );
    }
    return {
      clientEventId: event.clientEventId,
      targetId: card.candidateId,
      kind: KIND_OF[event.type],
      dwellMs: event.durationMs,
      slateId,
      position: card.position,
      occurredAt: new Date(occurredMs).toISOString(),
    };
  }
}

/** A client id twice in one batch is a client bug, not a retry: refused, naming the second. */
function rejectRepeatedClientIds(events: readonly BehaviourEvent[]): void {
  const firstIndex = new Map<string, number>();
  events.forEach((event, index) => {
    const earlier = firstIndex.get(event.clientEventId);
    if (earlier !== undefined) {
      throw malformed(`events[${index}].clientEventId`, `repeats events[${earlier}].clientEventId in this batch`);
    }
    firstIndex.set(event.clientEventId, index);
  });
}
