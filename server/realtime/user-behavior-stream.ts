// Serves one user_behavior stream, in the order that loses nothing and repeats nothing: subscribe to the
// live feed first (holding what arrives), then read where to start, replay the missed events, then hand
// over to the held and later live events, dropping every id already sent. Ids commit in order
// (migrations/018), so "newer than the last id sent" is exact.
import type { ServerResponse } from 'node:http';
import type { BehaviorEvent } from './behavior-events.repository.js';
import { visibleTo, type BehaviorAudience, type VisibleBehaviorEvent } from './behavior-visibility.js';
import type { OpenStreams } from './open-streams.js';
import { SseStream, type SseEndReason, type SseStreamOptions } from './sse-stream.js';
import type { StreamStart, UserBehaviorService } from './user-behavior.service.js';

export const USER_BEHAVIOR_EVENT = 'user_behavior';
/** Live events held while a replay runs; a replay that falls this far behind drops the stream. */
const MAX_HELD_EVENTS = 10_000;

export interface UserBehaviorStreamRequest {
  audience: BehaviorAudience;
  lastEventId: string | undefined;
  /** Frees the caller's stream slot. */
  release: () => void;
  onEnd: (reason: SseEndReason) => void;
}

export interface UserBehaviorStreamDeps {
  service: UserBehaviorService;
  streams: OpenStreams;
  sse: SseStreamOptions;
}

interface VisibleEvent {
  id: bigint;
  view: VisibleBehaviorEvent;
}

/**
 * Subscribes and reads where the stream starts; a failure here (the database) is an ordinary error
 * answer, with the subscription and slot freed. Returns what writes the stream onto the response.
 */
export async function prepareUserBehaviorStream(
  request: UserBehaviorStreamRequest,
  deps: UserBehaviorStreamDeps,
): Promise<(response: ServerResponse, headers: Record<string, string>) => Promise<void>> {
  let held: VisibleEvent[] | undefined = [];
  let live: ((event: VisibleEvent) => void) | undefined;
  const unsubscribe = await deps.service.subscribe((event: BehaviorEvent) => {
    const view = visibleTo(request.audience, event);
    if (!view) return;
    if (live) return live({ id: event.id, view });
    held?.push({ id: event.id, view });
  });
  let start: StreamStart;
  try {
    start = await deps.service.startFor(request.lastEventId);
  } catch (error) {
    unsubscribe();
    request.release();
    throw error;
  }

  return async (response, headers) => {
    const stream = new SseStream(response, deps.sse);
    stream.onEnd((reason) => {
      unsubscribe();
      held = undefined;
      request.release();
      request.onEnd(reason);
    });
    deps.streams.track(stream);

    let lastSent = start.after;
    const deliver = (event: VisibleEvent) => {
      if (event.id <= lastSent) return;
      lastSent = event.id;
      stream.send({ id: event.id.toString(), event: USER_BEHAVIOR_EVENT, data: event.view });
    };
    const hold = (event: VisibleEvent) => {
      if (!held) return;
      held.push(event);
      if (held.length > MAX_HELD_EVENTS) stream.drop('slow_consumer');
    };
    live = hold;

    stream.open(headers);
    try {
      if (start.missed) {
        stream.send({ id: start.after.toString(), event: 'reset', data: resetNotice(start.missed) });
      } else {
        for await (const event of deps.service.replay(request.audience, start.after)) {
          await stream.drained();
          if (!stream.isOpen) return;
          deliver(event);
        }
      }
    } catch (error) {
      // Headers are out: the client can only see the stream end, and reconnects with its Last-Event-ID.
      stream.drop('error');
      throw error;
    }
    const caughtUp = held ?? [];
    held = undefined;
    live = deliver;
    for (const event of caughtUp) deliver(event);
  };
}

function resetNotice(reason: NonNullable<StreamStart['missed']>) {
  const why =
    reason === 'expired'
      ? 'events after your Last-Event-ID are no longer kept'
      : 'your Last-Event-ID was never issued here';
  return { reason, message: `${why}; reload your state: the stream continues from now` };
}
