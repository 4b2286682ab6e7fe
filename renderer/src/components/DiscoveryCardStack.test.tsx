// @vitest-environment jsdom
// The card stack against a scripted ApiClient: drag past the threshold likes (a short drag springs
// back and posts nothing), ←/→ pass and like, Enter opens the reasons, every swipe carries its own
// Idempotency-Key and the slate id, a match is announced, and Spanish readers get the Spanish reasons.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MemberExplanation } from '../../../shared/schemas/explanations.js';
import type { ApiClient } from '../api/api-client.js';
import type { Language } from '../i18n/i18n.js';
import { renderWithApi } from '../test-support/render-with-api.js';
import { DiscoveryCardStack } from './DiscoveryCardStack.js';

const SLATE_ID = '0b4c2a8e-1111-4222-8333-444455556666';
const MEMBERS = ['m-1', 'm-2', 'm-3'];

// jsdom has no PointerEvent; a MouseEvent with a pointerId carries clientX the way browsers do.
beforeAll(() => {
  if (!('PointerEvent' in window)) {
    class PointerEventShim extends MouseEvent {
      readonly pointerId: number;
      constructor(type: string, init: MouseEventInit & { pointerId?: number } = {}) {
        super(type, init);
        this.pointerId = init.pointerId ?? 1;
      }
    }
    Object.assign(window, { PointerEvent: PointerEventShim });
  }
});
afterEach(cleanup);

function explanationOf(targetId: string): MemberExplanation {
  return {
    view: 'member',
    targetId,
    viewerId: 'viewer',
    model: 'ranker-test',
    reason_en: `You both love Blade Runner · under 5 km away (${targetId})`,
    reason_es: `A ambos os encanta Blade Runner · A menos de 5 km (${targetId})`,
    reasons: {
      en: `You both love Blade Runner · under 5 km away (${targetId})`,
      es: `A ambos os encanta Blade Runner · A menos de 5 km (${targetId})`,
    },
    features: [
      {
        name: 'shared_favorites',
        group: 'favorites',
        reason_en: 'You both love Blade Runner',
        reason_es: 'A ambos os encanta Blade Runner',
        reasons: { en: 'You both love Blade Runner', es: 'A ambos os encanta Blade Runner' },
      },
      {
        name: 'distance_km',
        group: 'profile',
        reason_en: 'under 5 km away',
        reason_es: 'A menos de 5 km',
        reasons: { en: 'under 5 km away', es: 'A menos de 5 km' },
        band: { key: 'under_5_km', en: 'under 5 km', es: 'menos de 5 km' },
      },
    ],
    chips: [{ en: 'Both appreciate Blade Runner', es: 'A ambos les gusta Blade Runner' }],
  };
}

interface Posted {
  path: string;
  body: { targetId: string; action: string; slateId?: string };
  headers: Record<string, string>;
}

/** An ApiClient answering the slate, why and feedback routes; `matchWith` answers match: true. */
function scriptedApi(matchWith: string[] = []) {
  const posted: Posted[] = [];
  const api: ApiClient = {
    get: vi.fn(async (path: string) => {
      if (path === '/api/v2/discovery/slate') {
        return {
          slateId: SLATE_ID,
          viewerId: 'viewer',
          slate: MEMBERS.map((userId, index) => ({ userId, position: index + 1, score: 0.5, sources: [] })),
        };
      }
      const why = /^\/api\/v2\/discovery\/why\/(.+)$/.exec(path);
      if (why) return explanationOf(decodeURIComponent(why[1]!));
      throw new Error(`unexpected GET ${path}`);
    }) as unknown as ApiClient['get'],
    post: vi.fn(async (path: string, body: unknown, headers?: Record<string, string>) => {
      const swipe = body as Posted['body'];
      posted.push({ path, body: swipe, headers: headers ?? {} });
      return {
        id: `s-${posted.length}`,
        ...swipe,
        createdAt: new Date(0).toISOString(),
        match: matchWith.includes(swipe.targetId),
        matchedAt: null,
      };
    }) as unknown as ApiClient['post'],
    put: vi.fn() as ApiClient['put'],
    patch: vi.fn() as ApiClient['patch'],
    delete: vi.fn() as ApiClient['delete'],
  };
  return { api, posted };
}

async function renderStack(api: ApiClient, language: Language = 'en') {
  await renderWithApi(<DiscoveryCardStack />, api, language);
  await screen.findByTestId('card-m-1');
  // The first card's reasons have arrived.
  await screen.findByText(/Blade Runner · under 5 km away \(m-1\)|Blade Runner · A menos de 5 km \(m-1\)/);
  return screen.getByTestId('card-stack');
}

function drag(card: HTMLElement, distance: number) {
  fireEvent.pointerDown(card, { clientX: 200, pointerId: 1 });
  fireEvent.pointerMove(card, { clientX: 200 + distance / 2, pointerId: 1 });
  fireEvent.pointerMove(card, { clientX: 200 + distance, pointerId: 1 });
  fireEvent.pointerUp(card, { clientX: 200 + distance, pointerId: 1 });
}

describe('DiscoveryCardStack', () => {
  it('likes a card dragged right past the threshold and moves to the next', async () => {
    const { api, posted } = scriptedApi();
    await renderStack(api);
    drag(screen.getByTestId('card-m-1'), 140);
    await screen.findByTestId('card-m-2');
    expect(posted).toEqual([
      expect.objectContaining({
        path: '/api/v2/discovery/feedback',
        body: { targetId: 'm-1', action: 'like', slateId: SLATE_ID },
      }),
    ]);
    expect(screen.getByTestId('swipe-result').textContent).toContain('Liked m-1.');
  });

  it('passes on a card dragged left past the threshold', async () => {
    const { api, posted } = scriptedApi();
    await renderStack(api);
    drag(screen.getByTestId('card-m-1'), -140);
    await screen.findByTestId('card-m-2');
    expect(posted.map((swipe) => swipe.body.action)).toEqual(['pass']);
  });

  it('springs a short drag back without posting', async () => {
    const { api, posted } = scriptedApi();
    await renderStack(api);
    const card = screen.getByTestId('card-m-1');
    fireEvent.pointerDown(card, { clientX: 200, pointerId: 1 });
    fireEvent.pointerMove(card, { clientX: 260, pointerId: 1 });
    expect(card.style.transform).toContain('translateX(60px)');
    fireEvent.pointerUp(card, { clientX: 260, pointerId: 1 });
    await act(async () => {});
    expect(posted).toEqual([]);
    expect(screen.getByTestId('card-m-1').style.transform).toContain('translateX(0px)');
  });

  it('passes on ← and likes on → while the stack has focus, each with its own Idempotency-Key', async () => {
    const { api, posted } = scriptedApi();
    const stack = await renderStack(api);
    stack.focus();
    fireEvent.keyDown(stack, { key: 'ArrowLeft' });
    await screen.findByTestId('card-m-2');
    fireEvent.keyDown(stack, { key: 'ArrowRight' });
    await screen.findByTestId('card-m-3');
    fireEvent.click(screen.getByTestId('swipe-superlike'));
    await screen.findByText('No more cards in this slate.', { selector: '[data-testid="card-stack"] p' });

    expect(posted.map((swipe) => [swipe.body.targetId, swipe.body.action])).toEqual([
      ['m-1', 'pass'],
      ['m-2', 'like'],
      ['m-3', 'superlike'],
    ]);
    const keys = posted.map((swipe) => swipe.headers['Idempotency-Key']);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(3);
  });

  it('opens the reasons in a modal dialog on Enter and returns focus to the stack on close', async () => {
    const { api, posted } = scriptedApi();
    const stack = await renderStack(api);
    stack.focus();
    fireEvent.keyDown(stack, { key: 'Enter' });
    const dialog = screen.getByRole('dialog', { name: 'Why m-1 was suggested' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(within(dialog).getByText('You both love Blade Runner')).toBeTruthy();
    expect(within(dialog).getByText('under 5 km away')).toBeTruthy();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Close' }));
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(stack);
    expect(posted).toEqual([]);
  });

  it('announces a match', async () => {
    const { api } = scriptedApi(['m-1']);
    await renderStack(api);
    fireEvent.click(screen.getByTestId('swipe-like'));
    expect((await screen.findByTestId('swipe-match')).textContent).toBe("It's a match with m-1!");
    expect(screen.getByTestId('swipe-result').textContent).toContain("It's a match with m-1!");
  });

  it('is labelled for screen readers with the current card', async () => {
    const { api } = scriptedApi();
    const stack = await renderStack(api);
    expect(stack.getAttribute('aria-label')).toBe('Card 1 of 3: m-1');
    expect(stack.tabIndex).toBe(0);
    expect(screen.getByRole('button', { name: 'Like' })).toBeTruthy();
  });

  it('renders in Spanish with the Spanish reasons and chips', async () => {
    const { api } = scriptedApi();
    const stack = await renderStack(api, 'es');
    expect(screen.getByText('A ambos os encanta Blade Runner · A menos de 5 km (m-1)')).toBeTruthy();
    expect(screen.getByText('A ambos les gusta Blade Runner')).toBeTruthy();
    expect(screen.queryByText(/You both love/)).toBeNull();
    expect(stack.getAttribute('aria-label')).toBe('Tarjeta 1 de 3: m-1');
    expect(screen.getByTestId('swipe-like').textContent).toBe('Me gusta');
    fireEvent.keyDown(stack, { key: 'Enter' });
    expect(screen.getByRole('dialog', { name: 'Por qué se sugirió a m-1' })).toBeTruthy();
    expect(screen.getByText('A menos de 5 km')).toBeTruthy();
  });
});
