// @vitest-environment jsdom
// The favorites manager against a scripted ApiClient: typing fast sends one search, 150 ms after the
// last key, for the last text only; a late answer to an older query is never shown; ↓/Enter adds the
// chosen title by id; the connector chip shows its state and the last sync in the reader's language.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConnectorStatusList } from '../../../../shared/schemas/connectors.js';
import type { Favorite, MediaSearchHit } from '../../../../shared/schemas/media.js';
import type { ApiClient, Query } from '../../api/api-client.js';
import type { Language } from '../../i18n/i18n.js';
import { renderWithApi } from '../../test-support/render-with-api.js';
import { FavoritesManager } from './FavoritesManager.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const LAST_SYNC = '2026-03-05T14:30:00.000Z';
const STATUS: ConnectorStatusList = {
  connectors: [
    {
      connector: 'spotify',
      state: 'done',
      counts: { pages: 2, tracksSeen: 40, matched: 12, favoritesAdded: 10, unmatched: 28, overLimit: 0 },
      lastSyncAt: LAST_SYNC,
      lastError: null,
    },
  ],
};

function hit(id: string, title: string): MediaSearchHit {
  return { id, kind: 'film', title, year: 1982, score: 1 };
}

function scriptedApi(
  searchAnswer: (q: string) => Promise<MediaSearchHit[]> = async (q) => [hit('tt0083658', `${q} result`)],
  favorites: Favorite[] = [],
) {
  const searches: Query[] = [];
  const post = vi.fn(async (_path: string, body: unknown) => {
    const { mediaId } = body as { mediaId: string };
    const added: Favorite = {
      mediaId,
      kind: 'film',
      title: 'Blade Runner',
      year: 1982,
      source: 'manual',
      addedAt: LAST_SYNC,
    };
    favorites.push(added);
    return added;
  });
  const remove = vi.fn(async (path: string) => {
    const id = decodeURIComponent(path.split('/').pop()!);
    favorites.splice(
      favorites.findIndex((favorite) => favorite.mediaId === id),
      1,
    );
    return null;
  });
  const api: ApiClient = {
    get: vi.fn(async (path: string, query?: Query) => {
      if (path === '/api/v2/favorites/status') return STATUS;
      if (path === '/api/v2/favorites') return [...favorites];
      if (path === '/api/v2/media/search') {
        searches.push(query ?? {});
        return searchAnswer(String(query?.q));
      }
      throw new Error(`unexpected GET ${path}`);
    }) as unknown as ApiClient['get'],
    post: post as unknown as ApiClient['post'],
    put: vi.fn() as ApiClient['put'],
    patch: vi.fn() as ApiClient['patch'],
    delete: remove as unknown as ApiClient['delete'],
  };
  return { api, searches, post, remove };
}

async function renderManager(api: ApiClient, language: Language = 'en') {
  await renderWithApi(<FavoritesManager />, api, language);
}

async function advance(ms: number) {
  await act(async () => {
    vi.advanceTimersByTime(ms);
  });
}

/** Lets pending promise callbacks (the mocked API's answers) run under fake timers. */
async function flush() {
  await act(async () => {
    await Promise.resolve();
    await Promise.resolve();
  });
}

describe('FavoritesManager', () => {
  it('sends one search 150 ms after fast typing stops, for the last text only', async () => {
    vi.useFakeTimers();
    const { api, searches } = scriptedApi();
    await renderManager(api);
    await flush();
    const search = screen.getByTestId('favorites-search');
    for (const text of ['b', 'bl', 'bla', 'blad', 'blade']) {
      fireEvent.change(search, { target: { value: text } });
      await advance(60);
    }
    expect(searches).toEqual([]);
    await advance(89); // 149 ms after the last key
    expect(searches).toEqual([]);
    await advance(1);
    expect(searches).toEqual([{ q: 'blade', limit: 8 }]);
    await flush();
    expect(screen.getByTestId('favorites-option-tt0083658').textContent).toContain('blade result');
  });

  it('never shows a late answer to an older query', async () => {
    vi.useFakeTimers();
    const answers = new Map<string, (hits: MediaSearchHit[]) => void>();
    const { api } = scriptedApi((q) => new Promise((resolve) => answers.set(q, resolve)));
    await renderManager(api);
    await flush();
    const search = screen.getByTestId('favorites-search');
    fireEvent.change(search, { target: { value: 'alien' } });
    await advance(150);
    fireEvent.change(search, { target: { value: 'aliens' } });
    await advance(150);
    answers.get('aliens')!([hit('tt0090605', 'Aliens')]);
    await flush();
    answers.get('alien')!([hit('tt0078748', 'Alien')]);
    await flush();
    expect(screen.getByTestId('favorites-option-tt0090605')).toBeTruthy();
    expect(screen.queryByTestId('favorites-option-tt0078748')).toBeNull();
  });

  it('adds the option chosen with ↓ and Enter by its id and lists it', async () => {
    vi.useFakeTimers();
    const { api, post } = scriptedApi(async () => [hit('tt0078748', 'Alien'), hit('tt0083658', 'Blade Runner')]);
    await renderManager(api);
    await flush();
    const search = screen.getByTestId('favorites-search');
    fireEvent.change(search, { target: { value: 'bla' } });
    await advance(150);
    await flush();
    fireEvent.keyDown(search, { key: 'ArrowDown' });
    fireEvent.keyDown(search, { key: 'ArrowDown' });
    expect(search.getAttribute('aria-activedescendant')).toBe(screen.getByTestId('favorites-option-tt0083658').id);
    fireEvent.keyDown(search, { key: 'Enter' });
    await flush();
    await flush();
    expect(post).toHaveBeenCalledWith('/api/v2/favorites', { mediaId: 'tt0083658' });
    expect(within(screen.getByTestId('favorites-list')).getByText(/Blade Runner/)).toBeTruthy();
    expect(screen.queryByRole('option')).toBeNull();
  });

  it('shows the connector state and the last sync in the reader language', async () => {
    const { api } = scriptedApi();
    await renderManager(api, 'es');
    const chip = await screen.findByTestId('connector-spotify');
    expect(chip.textContent).toContain('sincronizado');
    const expected = new Intl.DateTimeFormat('es', { dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(LAST_SYNC),
    );
    expect(within(chip).getByText(`última sincronización ${expected}`).getAttribute('datetime')).toBe(LAST_SYNC);
  });

  it('removes a favorite', async () => {
    const { api, remove } = scriptedApi(undefined, [
      { mediaId: 'tt0083658', kind: 'film', title: 'Blade Runner', year: 1982, source: 'manual', addedAt: LAST_SYNC },
    ]);
    await renderManager(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Remove Blade Runner' }));
    expect(await screen.findByText('No favorites yet.')).toBeTruthy();
    expect(remove).toHaveBeenCalledWith('/api/v2/favorites/tt0083658');
  });
});
