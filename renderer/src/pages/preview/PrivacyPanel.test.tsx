// @vitest-environment jsdom
// The privacy panel with fetch mocked: four labelled switches saying what turning each off changes
// (English and Spanish); a switch PATCHes only its group with the member's token and shows the effects
// the server reports; a read-only preview disables every control that writes; the export and the
// erasure each ask first, naming the consequence — the export then saves the JSON (desktop save
// dialog or browser download), the erasure goes to the admin route with the staff token; axe-clean.
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PrivacyResponse } from '../../../../shared/schemas/privacy.js';
import { createApiClient } from '../../api/api-client.js';
import { ApiProvider } from '../../api/api-context.js';
import { createI18n, type Language } from '../../i18n/i18n.js';
import { axeViolations } from '../../test-support/axe-violations.js';
import { PrivacyPanel } from './PrivacyPanel.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  delete (window as { sde?: unknown }).sde;
});

const GENERATED = '2026-11-30T09:15:00.000Z';

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function settings(favorites = true): PrivacyResponse['settings'] {
  return {
    interests: { enabled: true, changedAt: null },
    behavioural: { enabled: true, changedAt: null },
    connectors: { enabled: true, changedAt: null },
    favorites: { enabled: favorites, changedAt: favorites ? null : GENERATED },
  };
}

interface Recorded {
  method: string;
  path: string;
  authorization: string;
  body: unknown;
}

/** A fetch answering the routes the panel uses, recording who asked for what. */
function fakeServer(options: { patchStatus?: number; largeExport?: boolean } = {}) {
  const requests: Recorded[] = [];
  const fetchImpl = vi.fn(async (input: string, init?: RequestInit) => {
    const url = new URL(input, 'http://console.test');
    const headers = new Headers(init?.headers);
    const method = init?.method ?? 'GET';
    requests.push({
      method,
      path: url.pathname,
      authorization: headers.get('authorization') ?? '',
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    });
    const route = `${method} ${url.pathname}`;
    if (route === 'GET /api/v2/discovery/privacy') return json(200, { settings: settings(), effects: [] });
    if (route === 'PATCH /api/v2/discovery/privacy') {
      if (options.patchStatus)
        return json(options.patchStatus, {
          statusCode: options.patchStatus,
          error: 'Bad Request',
          message: 'body.favorites: must be boolean',
        });
      return json(200, {
        settings: settings(false),
        effects: [{ effect: 'taste_vector_deleted', group: 'favorites' }, { effect: 'caches_invalidated' }],
      });
    }
    if (route === 'GET /api/v2/users/me/export' && options.largeExport)
      return json(202, {
        exportId: '6c1f0c1e-3a0b-4d53-9a8b-2f7c1d9e0a11',
        status: 'running',
        requestedAt: GENERATED,
        statusUrl: '/api/v2/users/me/export/6c1f0c1e-3a0b-4d53-9a8b-2f7c1d9e0a11',
      });
    if (route === 'GET /api/v2/users/me/export' || route.startsWith('GET /api/v2/users/me/export/'))
      return json(200, { format: 'sde-member-export', formatVersion: 1, generatedAt: GENERATED, memberId: 'm-7' });
    if (route === 'POST /api/v2/admin/erasures')
      return json(200, {
        receiptId: '9d3b7c2a-1111-4222-8333-444455556666',
        memberId: 'm-7',
        erasedAt: GENERATED,
        removed: { members: 1, favorites: 12, swipes: 30 },
        storage: { objects: 2 },
        retained: [],
      });
    return json(404, { statusCode: 404, error: 'Not Found', message: `no route ${route}` });
  });
  return { requests, fetchImpl: fetchImpl as unknown as typeof fetch };
}

async function renderPanel(
  options: { writable?: boolean; canErase?: boolean; language?: Language; server?: ReturnType<typeof fakeServer> } = {},
) {
  const server = options.server ?? fakeServer();
  render(
    <I18nextProvider i18n={await createI18n(options.language ?? 'en')}>
      {/* The page hosts the panel inside its landmarks; <main> stands in for them. */}
      <main>
        <ApiProvider client={createApiClient({ token: 'member-token', fetchImpl: server.fetchImpl })}>
          <PrivacyPanel
            staffApi={createApiClient({ token: 'staff-token', fetchImpl: server.fetchImpl })}
            memberId="m-7"
            writable={options.writable ?? true}
            canErase={options.canErase ?? true}
          />
        </ApiProvider>
      </main>
    </I18nextProvider>,
  );
  await screen.findByTestId('privacy-toggle-favorites');
  return { ...server, user: userEvent.setup() };
}

const writes = (requests: Recorded[]) => requests.filter((request) => request.method !== 'GET');

describe('PrivacyPanel', () => {
  it('shows the four groups as labelled switches, each saying what turning it off changes', async () => {
    await renderPanel();
    const switches = screen.getAllByRole('switch');
    expect(switches.map((element) => element.getAttribute('data-testid'))).toEqual([
      'privacy-toggle-interests',
      'privacy-toggle-behavioural',
      'privacy-toggle-connectors',
      'privacy-toggle-favorites',
    ]);
    expect(switches.every((element) => (element as HTMLInputElement).checked)).toBe(true);
    const favorites = screen.getByRole('switch', { name: /Favorites/ });
    expect(favorites.getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByTestId('privacy-group-favorites').textContent).toMatch(
      /your taste profile is deleted and you see a general selection instead of matches based on what you love/i,
    );
    expect(screen.getByTestId('privacy-group-connectors').textContent).toContain('the connection is revoked');
  });

  it('favorites off by keyboard: PATCHes only that group with the member token and lists the effects returned', async () => {
    const { requests, user } = await renderPanel();
    screen.getByRole('switch', { name: /Favorites/ }).focus();
    await user.keyboard(' ');
    const effects = await screen.findByTestId('privacy-effects');
    expect(writes(requests)).toEqual([
      {
        method: 'PATCH',
        path: '/api/v2/discovery/privacy',
        authorization: 'Bearer member-token',
        body: { favorites: false },
      },
    ]);
    expect(
      within(effects)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      'The taste profile and its traits were deleted.',
      'Cached suggestions and explanations were dropped on every server.',
    ]);
    expect(screen.getByRole<HTMLInputElement>('switch', { name: /Favorites/ }).checked).toBe(false);
  });

  it('shows the server’s message when a change is refused and keeps the switch as it was', async () => {
    const { user } = await renderPanel({ server: fakeServer({ patchStatus: 400 }) });
    await user.click(screen.getByRole('switch', { name: /Favorites/ }));
    expect((await screen.findByTestId('privacy-error')).textContent).toContain('body.favorites: must be boolean');
    expect(screen.getByRole<HTMLInputElement>('switch', { name: /Favorites/ }).checked).toBe(true);
  });

  it('a read-only preview disables every switch and both data actions, says why, and sends nothing', async () => {
    const { requests, user } = await renderPanel({ writable: false });
    expect(screen.getByTestId('privacy-read-only').textContent).toContain('Read-only preview');
    for (const element of screen.getAllByRole('switch')) expect((element as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByTestId<HTMLButtonElement>('privacy-export').disabled).toBe(true);
    expect(screen.getByTestId<HTMLButtonElement>('privacy-erase').disabled).toBe(true);
    await user.click(screen.getByRole('switch', { name: /Favorites/ }));
    expect(writes(requests)).toEqual([]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('export asks first, naming the consequence, then saves the JSON through the desktop app', async () => {
    const saveExport = vi.fn(async () => '/home/staff/sde-export-m-7-2026-11-30.json');
    (window as { sde?: unknown }).sde = { openDataFolder: async () => true, saveExport };
    const { requests, user } = await renderPanel();
    await user.click(screen.getByTestId('privacy-export'));
    const dialog = screen.getByRole('dialog', { name: "Download m-7's data?" });
    expect(within(dialog).getByTestId('confirm-message').textContent).toContain('It is personal data');
    expect(requests.some((request) => request.path === '/api/v2/users/me/export')).toBe(false);
    await user.click(within(dialog).getByTestId('confirm-button'));
    await waitFor(() => expect(saveExport).toHaveBeenCalledTimes(1));
    const [request] = saveExport.mock.calls[0] as unknown as [{ suggestedName: string; contents: string }];
    expect(request.suggestedName).toBe('sde-export-m-7-2026-11-30.json');
    expect(JSON.parse(request.contents)).toMatchObject({ memberId: 'm-7', format: 'sde-member-export' });
    expect(requests.find((entry) => entry.path === '/api/v2/users/me/export')?.authorization).toBe(
      'Bearer member-token',
    );
    expect((await screen.findByTestId('privacy-export-status')).textContent).toContain('was saved');
  });

  it('export in a browser downloads a file; a large one is a job checked again on request', async () => {
    const createObjectURL = vi.fn(() => 'blob:console/export');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { user } = await renderPanel({ server: fakeServer({ largeExport: true }) });
    await user.click(screen.getByTestId('privacy-export'));
    await user.click(screen.getByTestId('confirm-button'));
    const status = await screen.findByTestId('privacy-export-status');
    expect(status.textContent).toContain('being prepared (status: running)');
    expect(click).not.toHaveBeenCalled();
    await user.click(within(status).getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    expect((click.mock.contexts[0] as HTMLAnchorElement).download).toBe('sde-export-m-7-2026-11-30.json');
    expect(createObjectURL).toHaveBeenCalledTimes(1);
  });

  it('erase says it cannot be undone, needs the member id typed, and posts to the admin route with the staff token', async () => {
    const { requests, user } = await renderPanel();
    await user.click(screen.getByTestId('privacy-erase'));
    const dialog = screen.getByRole('dialog', { name: 'Erase m-7 for good?' });
    expect(within(dialog).getByTestId('confirm-message').textContent).toMatch(/This erases .* cannot be undone/);
    const confirm = within(dialog).getByTestId<HTMLButtonElement>('confirm-button');
    expect(confirm.disabled).toBe(true);
    await user.type(within(dialog).getByTestId('privacy-erase-id'), 'm-7');
    expect(confirm.disabled).toBe(false);
    await user.click(confirm);
    expect((await screen.findByTestId('privacy-erased')).textContent).toContain(
      'm-7 was erased: 43 rows in 3 tables and 2 stored files removed',
    );
    expect(writes(requests)).toEqual([
      {
        method: 'POST',
        path: '/api/v2/admin/erasures',
        authorization: 'Bearer staff-token',
        body: { memberId: 'm-7' },
      },
    ]);
    for (const element of screen.getAllByRole('switch')) expect((element as HTMLInputElement).disabled).toBe(true);
  });

  it('leaves erasure to admins: a writable preview of a non-admin keeps the button disabled', async () => {
    await renderPanel({ canErase: false });
    expect(screen.getByTestId<HTMLButtonElement>('privacy-erase').disabled).toBe(true);
    expect(screen.getByTestId<HTMLButtonElement>('privacy-export').disabled).toBe(false);
  });

  it('renders in Spanish', async () => {
    await renderPanel({ language: 'es' });
    expect(screen.getByRole('switch', { name: /Favoritos/ })).toBeTruthy();
    expect(screen.getByTestId('privacy-group-favorites').textContent).toContain(
      'tu perfil de gustos se borra y ves una selección general',
    );
    expect(screen.getByTestId('privacy-erase').textContent).toBe('Borrar este miembro');
  });

  it('has no axe violations, read-only and with the erase dialog open', async () => {
    await renderPanel({ writable: false });
    expect(await axeViolations()).toEqual([]);
    cleanup();
    const { user } = await renderPanel();
    await user.click(screen.getByTestId('privacy-erase'));
    expect(await axeViolations()).toEqual([]);
  });
});
