// @vitest-environment jsdom
// Card analytics against a scripted IntersectionObserver and clock: a card half visible for a second is a
// scroll_pause, leaving the view is a dwell_time with the visible time, batches go out every few seconds
// and with keepalive on unmount, failed posts are retried with the same client ids (a 4xx is dropped), and
// a disabled tracker (read-only preview) observes and sends nothing.
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BehaviourEvent } from '../../../shared/schemas/behaviour-events.js';
import { ApiError, type ApiClient } from '../api/api-client.js';
import { ApiProvider } from '../api/api-context.js';
import { mockApiClient } from '../test-support/render-with-api.js';
import { FLUSH_INTERVAL_MS, PAUSE_MS, useCardAnalytics } from './use-card-analytics.js';

const SLATE_ID = '0b4c2a8e-1111-4222-8333-444455556666';
const A_UUID: unknown = expect.stringMatching(/^[0-9a-f-]{36}$/);

/** The one observer the hook makes, driven by the test. */
class ScriptedObserver {
  static instances: ScriptedObserver[] = [];
  readonly observed = new Set<Element>();
  constructor(private readonly callback: IntersectionObserverCallback) {
    ScriptedObserver.instances.push(this);
  }
  observe(element: Element) {
    this.observed.add(element);
  }
  unobserve(element: Element) {
    this.observed.delete(element);
  }
  disconnect() {
    this.observed.clear();
  }
  /** The element is now `ratio` visible. */
  show(element: Element, ratio: number) {
    const entry = { target: element, isIntersecting: ratio > 0, intersectionRatio: ratio };
    act(() => this.callback([entry as IntersectionObserverEntry], this as unknown as IntersectionObserver));
  }
}

function Cards({ enabled, positions }: { enabled: boolean; positions: number[] }) {
  const track = useCardAnalytics(SLATE_ID, enabled);
  return (
    <>
      {positions.map((position) => (
        <article key={position} data-testid={`card-${position}`} ref={track(position)} />
      ))}
    </>
  );
}

interface Post {
  events: BehaviourEvent[];
  keepalive: boolean;
}

function setUp(enabled: boolean, positions = [1, 2], answer: () => Promise<unknown> = async () => ({})) {
  const posts: Post[] = [];
  const api: ApiClient = mockApiClient({
    post: vi.fn(
      async (_path: string, body: { events: BehaviourEvent[] }, _headers, options?: { keepalive?: boolean }) => {
        posts.push({ events: body.events, keepalive: options?.keepalive ?? false });
        return answer();
      },
    ),
  });
  const view = render(
    <ApiProvider client={api}>
      <Cards enabled={enabled} positions={positions} />
    </ApiProvider>,
  );
  const card = (position: number) => view.getByTestId(`card-${position}`);
  return { api, posts, view, card, observer: () => ScriptedObserver.instances.at(-1)! };
}

async function advance(ms: number) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-01T12:00:00.000Z') });
  ScriptedObserver.instances = [];
  vi.stubGlobal('IntersectionObserver', ScriptedObserver);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('useCardAnalytics', () => {
  it('reports a scroll pause after a second half in view, then the dwell time when the card leaves', async () => {
    const { posts, card, observer } = setUp(true);
    expect([...observer().observed]).toEqual([card(1), card(2)]);
    observer().show(card(1), 0.6);
    // Less than half of card 2 is visible: it is not seen.
    observer().show(card(2), 0.3);
    await advance(PAUSE_MS);
    await advance(1500);
    observer().show(card(1), 0);
    await advance(FLUSH_INTERVAL_MS - PAUSE_MS - 1500);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.keepalive).toBe(false);
    expect(posts[0]!.events).toEqual([
      {
        clientEventId: A_UUID,
        type: 'scroll_pause',
        slateId: SLATE_ID,
        position: 1,
        durationMs: PAUSE_MS,
        occurredAt: '2026-03-01T12:00:01.000Z',
      },
      {
        clientEventId: A_UUID,
        type: 'dwell_time',
        slateId: SLATE_ID,
        position: 1,
        durationMs: 2500,
        occurredAt: '2026-03-01T12:00:02.500Z',
      },
    ]);
    expect(new Set(posts[0]!.events.map((event) => event.clientEventId)).size).toBe(2);
  });

  it('a card seen for less than a second is a dwell time without a scroll pause', async () => {
    const { posts, card, observer } = setUp(true);
    observer().show(card(2), 1);
    await advance(400);
    observer().show(card(2), 0.1);
    await advance(FLUSH_INTERVAL_MS);
    expect(posts.flatMap((post) => post.events).map((event) => [event.type, event.position, event.durationMs])).toEqual(
      [['dwell_time', 2, 400]],
    );
  });

  it('on unmount (or pagehide) the cards in view end their dwell and the batch goes out with keepalive', async () => {
    const { posts, card, observer, view } = setUp(true);
    observer().show(card(1), 1);
    await advance(700);
    view.unmount();
    expect(posts).toEqual([
      { keepalive: true, events: [expect.objectContaining({ type: 'dwell_time', position: 1, durationMs: 700 })] },
    ]);
  });

  it('a card swiped away (unmounted) ends its dwell at once', async () => {
    const { posts, card, observer, view } = setUp(true, [1]);
    observer().show(card(1), 1);
    await advance(1200);
    view.rerender(
      <ApiProvider client={mockApiClient({})}>
        <Cards enabled positions={[]} />
      </ApiProvider>,
    );
    await advance(FLUSH_INTERVAL_MS);
    expect(posts.flatMap((post) => post.events).map((event) => event.type)).toEqual(['scroll_pause', 'dwell_time']);
  });

  it('retries a batch that failed in transit with the same client ids, and drops one the server refused', async () => {
    const answers = [
      () => Promise.reject(new TypeError('network down')),
      async () => ({}),
      () => Promise.reject(new ApiError(422, 'body.events[0].position: …')),
    ];
    const { posts, card, observer } = setUp(true, [1, 2], () => answers.shift()!());
    observer().show(card(1), 1);
    await advance(300);
    observer().show(card(1), 0);
    await advance(FLUSH_INTERVAL_MS);
    await advance(FLUSH_INTERVAL_MS);
    expect(posts).toHaveLength(2);
    expect(posts[1]!.events).toEqual(posts[0]!.events);

    observer().show(card(2), 1);
    await advance(200);
    observer().show(card(2), 0);
    await advance(FLUSH_INTERVAL_MS);
    await advance(FLUSH_INTERVAL_MS);
    // The refused batch is not sent again.
    expect(posts).toHaveLength(3);
  });

  it('sends nothing and observes nothing when disabled (a read-only preview)', async () => {
    const { posts, view } = setUp(false);
    expect(ScriptedObserver.instances).toEqual([]);
    await advance(3 * FLUSH_INTERVAL_MS);
    view.unmount();
    expect(posts).toEqual([]);
  });
});
