// Front-end analytics of slate cards, as a member's app would send them (POST /api/v2/events): a card at
// least half visible for a second is a `scroll_pause`; when it leaves the view (scrolled away, swiped,
// the page hidden or left) a `dwell_time` with how long it was visible. Events are queued and posted in
// batches every few seconds, and on pagehide or unmount with `keepalive`, so the last ones outlive the
// page. Each carries a random clientEventId: a retried batch is stored once.
import { useCallback, useEffect, useRef } from 'react';
import type { BehaviourEvent } from '../../../shared/schemas/behaviour-events.js';
import { BEHAVIOUR_EVENT_LIMITS } from '../../../shared/schemas/behaviour-events.js';
import { ApiError, type ApiClient } from '../api/api-client.js';
import { useApiClient } from '../api/api-context.js';

/** How long a card must stay visible to count as a scroll pause. */
export const PAUSE_MS = 1000;
/** How often queued events are posted. */
export const FLUSH_INTERVAL_MS = 5000;
/** The share of a card that must be on screen for it to count as seen. */
export const VISIBLE_RATIO = 0.5;

interface View {
  since: number;
  pause: ReturnType<typeof setTimeout> | null;
}

/** Which cards of one slate are in view, and the events that made, waiting to be posted. */
export class CardViewTracker {
  private readonly views = new Map<number, View>();
  private queue: BehaviourEvent[] = [];

  constructor(
    private readonly slateId: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The card at `position` (1-based, as the slate numbers it) became visible. */
  shown(position: number): void {
    if (this.views.has(position)) return;
    const view: View = { since: this.now(), pause: null };
    view.pause = setTimeout(() => {
      view.pause = null;
      this.enqueue('scroll_pause', position, PAUSE_MS);
    }, PAUSE_MS);
    this.views.set(position, view);
  }

  /** The card at `position` left the view: its dwell time is the time it was visible. */
  hidden(position: number): void {
    const view = this.views.get(position);
    if (!view) return;
    if (view.pause) clearTimeout(view.pause);
    this.views.delete(position);
    this.enqueue('dwell_time', position, this.now() - view.since);
  }

  /** Every visible card leaves the view (page hidden or left, slate replaced). */
  hideAll(): void {
    for (const position of [...this.views.keys()]) this.hidden(position);
  }

  /** Up to one batch of queued events, removed from the queue. */
  take(): BehaviourEvent[] {
    return this.queue.splice(0, BEHAVIOUR_EVENT_LIMITS.maxEvents);
  }

  /** Events whose post failed for a reason that may pass (network, 5xx, 429), queued again in front. */
  putBack(events: BehaviourEvent[]): void {
    this.queue = [...events, ...this.queue];
  }

  private enqueue(type: BehaviourEvent['type'], position: number, durationMs: number): void {
    this.queue.push({
      clientEventId: crypto.randomUUID(),
      type,
      slateId: this.slateId,
      position,
      durationMs: Math.min(Math.max(0, Math.round(durationMs)), BEHAVIOUR_EVENT_LIMITS.maxDurationMs),
      occurredAt: new Date(this.now()).toISOString(),
    });
  }
}

/** Posts one batch; a refusal the server would repeat (4xx but 429) is dropped, anything else retried later. */
async function flush(api: ApiClient, tracker: CardViewTracker, keepalive: boolean): Promise<void> {
  const events = tracker.take();
  if (events.length === 0) return;
  try {
    await api.post('/api/v2/events', { events }, {}, { keepalive });
  } catch (failure) {
    const final =
      failure instanceof ApiError && failure.status >= 400 && failure.status < 500 && failure.status !== 429;
    if (!final) tracker.putBack(events);
  }
}

/**
 * Card analytics for the slate `slateId`, when `enabled` (a writable member preview; a read-only one sends
 * nothing). Returns a ref for the card at a position (1-based): attach it to the card's element.
 */
export function useCardAnalytics(
  slateId: string | null,
  enabled: boolean,
): (position: number) => (element: Element | null) => void {
  const api = useApiClient();
  const tracker = useRef<CardViewTracker | null>(null);
  const observer = useRef<IntersectionObserver | null>(null);
  // Cards mounted now, by element: a card can mount before the observer exists, and is observed then.
  const cards = useRef(new Map<Element, number>());
  const refs = useRef(new Map<number, (element: Element | null) => void>());

  useEffect(() => {
    if (!enabled || !slateId || typeof IntersectionObserver === 'undefined') return;
    const views = new CardViewTracker(slateId);
    const watcher = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const position = cards.current.get(entry.target);
          if (position === undefined) continue;
          if (entry.isIntersecting && entry.intersectionRatio >= VISIBLE_RATIO) views.shown(position);
          else views.hidden(position);
        }
      },
      { threshold: [VISIBLE_RATIO] },
    );
    for (const card of cards.current.keys()) watcher.observe(card);
    tracker.current = views;
    observer.current = watcher;
    const interval = setInterval(() => void flush(api, views, false), FLUSH_INTERVAL_MS);
    const leave = () => {
      views.hideAll();
      void flush(api, views, true);
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') leave();
    };
    window.addEventListener('pagehide', leave);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(interval);
      window.removeEventListener('pagehide', leave);
      document.removeEventListener('visibilitychange', onVisibility);
      watcher.disconnect();
      tracker.current = null;
      observer.current = null;
      leave();
    };
  }, [api, enabled, slateId]);

  // One stable ref per position, so a re-render does not read as the card leaving and coming back.
  return useCallback((position: number) => {
    let ref = refs.current.get(position);
    if (!ref) {
      let mounted: Element | null = null;
      ref = (element) => {
        if (mounted) {
          observer.current?.unobserve(mounted);
          cards.current.delete(mounted);
          tracker.current?.hidden(position);
        }
        mounted = element;
        if (element) {
          cards.current.set(element, position);
          observer.current?.observe(element);
        }
      };
      refs.current.set(position, ref);
    }
    return ref;
  }, []);
}
