// @vitest-environment jsdom
// The preview page with fetch mocked: starting a preview asks for a member token with the staff token,
// and from then on the slate, attributes, favorites and privacy settings are requested with the
// member's token only; a preview is read-only (it says so and sends no writes) unless an admin asks
// for a writable one; without locally signed tokens the page explains why there is no preview.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../../api/api-client.js';
import type { Session } from '../../session.js';
import { renderWithApi } from '../../test-support/render-with-api.js';
import { MemberPreviewPage } from './MemberPreviewPage.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const STAFF: Session = { token: 'staff-token', subject: 'rev-1', role: 'reviewer', canPreview: true };

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A fetch that answers the routes the page uses and records who asked for what. */
function fakeServer() {
  const requests: Array<{ method: string; path: string; authorization: string; body: unknown }> = [];
  const fetchMock = vi.fn(async (input: string, init?: RequestInit) => {
    // The ApiClient always passes the URL as a string and the body as JSON text.
    const url = new URL(input, 'http://console.test');
    const headers = new Headers(init?.headers);
    requests.push({
      method: init?.method ?? 'GET',
      path: url.pathname,
      authorization: headers.get('authorization') ?? '',
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    });
    switch (url.pathname) {
      case '/api/v2/admin/preview-tokens': {
        const write = (requests.at(-1)?.body as { write?: boolean }).write === true;
        return json(200, { token: 'member-token', subject: 'm-7', role: 'member', expiresInSeconds: 900, write });
      }
      case '/api/v2/discovery/privacy': {
        const group = { enabled: true, changedAt: null };
        return json(200, {
          settings: { interests: group, behavioural: group, connectors: group, favorites: group },
          effects: [],
        });
      }
      case '/api/v2/discovery/feedback':
        return json(201, { match: false });
      case '/api/v2/discovery/slate':
        return json(200, {
          slateId: '0b4c2a8e-1111-4222-8333-444455556666',
          slate: [{ userId: 'm-9', position: 1, score: 0.5, sources: [] }],
        });
      case '/api/v2/discovery/why/m-9':
        return json(503, {
          statusCode: 503,
          error: 'Service Unavailable',
          message: 'ranker: no live ranking model to explain with',
        });
      case '/api/v2/users/me/attributes':
        return json(404, {
          statusCode: 404,
          error: 'Not Found',
          message: 'attributes: none saved for this member yet',
        });
      case '/api/v2/favorites/status':
        return json(200, { connectors: [] });
      case '/api/v2/favorites':
        return json(200, []);
      default:
        return json(404, { statusCode: 404, error: 'Not Found', message: `no route ${url.pathname}` });
    }
  });
  vi.stubGlobal('fetch', fetchMock);
  return requests;
}

async function renderPage(session: Session, navigate = vi.fn()) {
  await renderWithApi(
    <MemberPreviewPage session={session} subpath="" navigate={navigate} />,
    createApiClient({ token: session.token }),
  );
  return navigate;
}

describe('MemberPreviewPage', () => {
  it('mints a member token with the staff token and makes every member call with it', async () => {
    const requests = fakeServer();
    const navigate = await renderPage(STAFF);
    fireEvent.change(screen.getByLabelText('Member id'), { target: { value: ' m-7 ' } });
    fireEvent.click(screen.getByTestId('preview-start'));

    await screen.findByTestId('card-m-9');
    await screen.findByText('Nothing saved yet.');
    await screen.findByText('No favorites yet.');
    expect(screen.getByTestId('preview-as').textContent).toContain('m-7');
    // The explanation's 503 is shown on the card, not as a page failure.
    expect(await screen.findByText(/No reasons available: ranker: no live ranking model/)).toBeTruthy();

    const [mint, ...memberCalls] = requests;
    expect(mint).toEqual({
      method: 'POST',
      path: '/api/v2/admin/preview-tokens',
      authorization: 'Bearer staff-token',
      body: { memberId: 'm-7' },
    });
    expect(memberCalls.map((call) => call.path).sort()).toEqual(
      [
        '/api/v2/discovery/privacy',
        '/api/v2/discovery/slate',
        '/api/v2/discovery/why/m-9',
        '/api/v2/favorites',
        '/api/v2/favorites/status',
        '/api/v2/users/me/attributes',
      ].sort(),
    );
    for (const call of memberCalls) expect(call.authorization).toBe('Bearer member-token');
    expect(navigate).toHaveBeenCalledWith('preview/m-7');
  });

  it('why: a reviewer’s preview is read-only: it says so, offers no write switch, and sends no swipe', async () => {
    const requests = fakeServer();
    await renderPage(STAFF);
    expect(screen.queryByTestId('preview-write')).toBeNull();
    fireEvent.change(screen.getByLabelText('Member id'), { target: { value: 'm-7' } });
    fireEvent.click(screen.getByTestId('preview-start'));
    await screen.findByTestId('card-m-9');
    expect(screen.getByTestId('preview-read-only').textContent).toContain('Read-only preview');
    expect(screen.getByTestId('preview-analytics-off').textContent).toContain('Card analytics off');
    fireEvent.click(screen.getByTestId('swipe-like'));
    await waitFor(() => expect(screen.getByTestId('swipe-result').textContent).toContain('read-only'));
    expect(requests.filter((request) => request.method !== 'GET').map((request) => request.path)).toEqual([
      '/api/v2/admin/preview-tokens',
    ]);
  });

  it('lets an admin ask for a writable preview, whose swipes are sent with the member token', async () => {
    const requests = fakeServer();
    await renderPage({ ...STAFF, subject: 'admin-1', role: 'admin' });
    fireEvent.change(screen.getByLabelText('Member id'), { target: { value: 'm-7' } });
    fireEvent.click(screen.getByTestId('preview-write'));
    fireEvent.click(screen.getByTestId('preview-start'));
    await screen.findByTestId('card-m-9');
    expect(requests[0]?.body).toEqual({ memberId: 'm-7', write: true });
    expect(screen.getByTestId('preview-writable').textContent).toContain('Writable preview');
    expect(screen.getByTestId('preview-analytics-on').textContent).toContain('Card analytics on');
    fireEvent.click(screen.getByTestId('swipe-like'));
    await waitFor(() =>
      expect(requests.find((request) => request.path === '/api/v2/discovery/feedback')).toMatchObject({
        method: 'POST',
        authorization: 'Bearer member-token',
      }),
    );
  });

  it('shows why the preview could not start', async () => {
    vi.stubGlobal('fetch', async () =>
      json(404, { statusCode: 404, error: 'Not Found', message: 'body.memberId: member "ghost" does not exist' }),
    );
    await renderPage(STAFF);
    fireEvent.change(screen.getByLabelText('Member id'), { target: { value: 'ghost' } });
    fireEvent.click(screen.getByTestId('preview-start'));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Could not start the preview: body.memberId: member "ghost" does not exist',
    );
    expect(screen.queryByTestId('card-stack')).toBeNull();
  });

  it('explains that previews need locally signed tokens when the server cannot mint them', async () => {
    const requests = fakeServer();
    await renderPage({ ...STAFF, canPreview: false });
    expect(screen.getByTestId('preview-unavailable').textContent).toContain('locally signed tokens');
    expect(screen.queryByTestId('preview-start')).toBeNull();
    expect(requests).toEqual([]);
  });
});
