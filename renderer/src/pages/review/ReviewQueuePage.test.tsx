// @vitest-environment jsdom
// Component tests of the Review queue against a mocked ApiClient: open flags grouped by member, the
// history, resolving with the chosen outcome, the resolved tab with outcomes, the link to the slate,
// and Spanish rendering.
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReviewFlagWithHistory } from '../../../../shared/schemas/review.js';
import { ApiError, type Query } from '../../api/api-client.js';
import type { Language } from '../../i18n/i18n.js';
import type { Session } from '../../session.js';
import { axeViolations } from '../../test-support/axe-violations.js';
import { mockApiClient, renderWithApi } from '../../test-support/render-with-api.js';
import { openFlag } from './fixtures.js';
import type { ReviewFlag } from './review-data.js';
import { ReviewQueuePage } from './ReviewQueuePage.js';

const session: Session = { token: 't', subject: 'reviewer-1', role: 'reviewer', canPreview: false };

function flag(id: number, extra: Partial<ReviewFlag> = {}): ReviewFlag {
  return openFlag({
    id,
    viewerId: 'demo-00042',
    viewerName: 'Ana',
    candidateId: 'demo-00013',
    slateId: '0b9c2f0e-6f8e-4c43-9a4e-7d1f2b3c4d5e',
    note: 'Harassment reported',
    createdAt: '2026-01-02T10:00:00Z',
    ...extra,
  });
}

const OPEN = [
  flag(3),
  flag(4, {
    viewerId: 'demo-00007',
    viewerName: null,
    candidateId: null,
    note: 'Slate skews',
    createdAt: '2026-01-01T09:00:00Z',
  }),
];
const RESOLVED = [
  flag(1, { status: 'resolved', outcome: 'member_warned', resolutionNote: 'Warned by mail', resolvedBy: 'reviewer-2' }),
];

function detail(id: number): ReviewFlagWithHistory {
  const base = [...OPEN, ...RESOLVED].find((candidate) => candidate.id === id) ?? flag(id);
  return {
    ...base,
    history: [
      ...(base.status === 'resolved'
        ? [
            {
              action: 'resolved' as const,
              actor: 'reviewer-2',
              outcome: base.outcome,
              note: 'Warned by mail',
              at: '2026-01-03T10:00:00Z',
            },
          ]
        : []),
      { action: 'opened', actor: 'reviewer-1', outcome: null, note: base.note, at: base.createdAt },
    ],
  };
}

function mockApi() {
  const get = vi.fn((path: string, query?: Query) => {
    if (path === '/api/v2/review/flags') {
      const flags = query?.status === 'resolved' ? RESOLVED : OPEN;
      return Promise.resolve({ flags, total: flags.length, limit: 50, offset: 0 });
    }
    const match = /^\/api\/v2\/review\/flags\/(\d+)$/.exec(path);
    if (match) return Promise.resolve(detail(Number(match[1])));
    return Promise.reject(new ApiError(404, `no route ${path}`));
  });
  const post = vi.fn((path: string, body: unknown) => {
    const id = Number(/flags\/(\d+)\/resolve$/.exec(path)?.[1]);
    return Promise.resolve({ ...detail(id), status: 'resolved', ...(body as object) });
  });
  return { api: mockApiClient({ get, post }), get, post };
}

async function renderPage(language: Language = 'en') {
  const mocks = mockApi();
  const navigate = vi.fn();
  await renderWithApi(<ReviewQueuePage session={session} subpath="" navigate={navigate} />, mocks.api, language);
  return { ...mocks, navigate, user: userEvent.setup() };
}

afterEach(cleanup);

describe('ReviewQueuePage', () => {
  it('lists the open flags grouped by member, newest first', async () => {
    const { get } = await renderPage();
    const list = await screen.findByTestId('queue-list');
    expect(get).toHaveBeenCalledWith('/api/v2/review/flags', { status: 'open' });
    expect(
      within(list)
        .getAllByRole('heading')
        .map((heading) => heading.textContent),
    ).toEqual(['Member Ana (demo-00042)', 'Member demo-00007']);
    expect(screen.getByTestId('queue-row-3').textContent).toContain('candidate demo-00013');
    expect(screen.getByTestId('queue-row-4').textContent).toContain('whole slate');
  });

  it('opens a flag with its history and resolves it with the chosen outcome and note', async () => {
    const { post, get, user } = await renderPage();
    await user.click(await screen.findByTestId('resolve-3'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(get).toHaveBeenCalledWith('/api/v2/review/flags/3');
    expect((await within(dialog).findByTestId('flag-history')).textContent).toContain('filed by reviewer-1');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('resolve-outcome')));

    await user.selectOptions(screen.getByTestId('resolve-outcome'), 'candidate_removed');
    await user.type(screen.getByTestId('resolve-note'), 'Removed from discovery');
    await user.click(screen.getByTestId('resolve-submit'));

    expect(post).toHaveBeenCalledWith('/api/v2/review/flags/3/resolve', {
      outcome: 'candidate_removed',
      note: 'Removed from discovery',
    });
    expect((await screen.findByRole('status')).textContent).toBe('Flag 3 resolved: Candidate removed.');
    expect(screen.queryByRole('dialog')).toBeNull();
    // The list is read again so the resolved flag leaves the open tab.
    await waitFor(() => expect(get.mock.calls.filter(([path]) => path === '/api/v2/review/flags')).toHaveLength(2));
  });

  it('shows resolved flags with their outcome and history, without a resolve form', async () => {
    const { user, get } = await renderPage();
    await screen.findByTestId('queue-list');
    await user.click(screen.getByTestId('queue-status-resolved'));
    expect(screen.getByTestId('queue-status-resolved').getAttribute('aria-pressed')).toBe('true');
    expect((await screen.findByTestId('outcome-1')).textContent).toBe('Member warned — “Warned by mail”');
    expect(get).toHaveBeenCalledWith('/api/v2/review/flags', { status: 'resolved' });
    expect(screen.queryByTestId('resolve-1')).toBeNull();
    await user.click(screen.getByTestId('history-1'));
    const history = await screen.findByTestId('flag-history');
    expect(
      [...history.querySelectorAll('li')].map((item) => item.textContent?.split(': ').slice(1).join(': ')),
    ).toEqual([
      'filed by reviewer-1 — “Harassment reported”',
      'resolved by reviewer-2 (Member warned) — “Warned by mail”',
    ]);
    expect(screen.queryByTestId('resolve-submit')).toBeNull();
  });

  it("links to the flagged member's slate", async () => {
    const { navigate, user } = await renderPage();
    await user.click(await screen.findByTestId('open-slate-demo-00042'));
    expect(navigate).toHaveBeenCalledWith('slates/demo-00042');
  });

  it('shows the server message when resolving fails', async () => {
    const { post, user } = await renderPage();
    post.mockRejectedValueOnce(new ApiError(409, 'id: flag 3 is already resolved'));
    await user.click(await screen.findByTestId('resolve-3'));
    await user.click(await screen.findByTestId('resolve-submit'));
    expect(post).toHaveBeenCalledWith('/api/v2/review/flags/3/resolve', { outcome: 'no_action' });
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The flag was not resolved: id: flag 3 is already resolved',
    );
  });

  it('renders in Spanish', async () => {
    const { user } = await renderPage('es');
    expect(await screen.findByRole('heading', { name: 'Cola de revisión' })).toBeTruthy();
    expect((await screen.findByTestId('queue-row-4')).textContent).toContain('todo el slate');
    await user.click(screen.getByTestId('resolve-3'));
    const outcome = await screen.findByTestId('resolve-outcome');
    expect([...(outcome as HTMLSelectElement).options].map((option) => option.textContent)).toEqual([
      'Sin acción',
      'Candidato eliminado',
      'Miembro advertido',
      'Escalada',
    ]);
  });

  it('has no axe violations with a flag open (contrast is checked in the browser e2e)', async () => {
    const { user } = await renderPage();
    await user.click(await screen.findByTestId('resolve-3'));
    await screen.findByTestId('flag-history');
    expect(await axeViolations()).toEqual([]);
  });
});
