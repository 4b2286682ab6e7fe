// @vitest-environment jsdom
// Component tests of the Slate review page against a mocked ApiClient: the fixture slate with its
// removals, the explanation dialog (reasons, chips, chart, text alternative), flagging, searching,
// and Spanish rendering.
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/api-client.js';
import type { Language } from '../../i18n/i18n.js';
import type { Session } from '../../session.js';
import { axeViolations } from '../../test-support/axe-violations.js';
import { mockApiClient, renderWithApi } from '../../test-support/render-with-api.js';
import { fixtureExplanation, fixtureSlate } from './fixtures.js';
import { SlateReviewPage } from './SlateReviewPage.js';

const session: Session = { token: 't', subject: 'reviewer-1', role: 'reviewer', canPreview: false };

function mockApi(slateError?: ApiError) {
  const get = vi.fn((path: string) => {
    if (path === '/api/v2/discovery/slate')
      return slateError ? Promise.reject(slateError) : Promise.resolve(fixtureSlate());
    if (path.startsWith('/api/v2/discovery/why/')) return Promise.resolve(fixtureExplanation());
    return Promise.reject(new ApiError(404, `no route ${path}`));
  });
  const post = vi.fn((_path: string, body: unknown) =>
    Promise.resolve({ id: 17, status: 'open', ...(body as object) }),
  );
  const api = mockApiClient({ get, post });
  return { api, get, post };
}

async function renderPage(options: { subpath?: string; language?: Language; slateError?: ApiError } = {}) {
  const mocks = mockApi(options.slateError);
  const navigate = vi.fn();
  await renderWithApi(
    <SlateReviewPage session={session} subpath={options.subpath ?? 'demo-00042'} navigate={navigate} />,
    mocks.api,
    options.language,
  );
  return { ...mocks, navigate, user: userEvent.setup() };
}

afterEach(cleanup);

describe('SlateReviewPage', () => {
  it('loads the slate of the member in the URL and shows arm, model, served slate and every traced candidate', async () => {
    const { get } = await renderPage();
    const trace = await screen.findByTestId('trace-table');
    expect(get).toHaveBeenCalledWith('/api/v2/discovery/slate', { limit: 20, viewerId: 'demo-00042' });
    expect(screen.getByTestId('slate-arm').textContent).toBe('treatment');
    expect(screen.getByTestId('slate-model').textContent).toBe('ranker-20261126-0412-3fa9c1');
    expect(screen.getByTestId('slate-notes').textContent).toContain('diversity: 3 candidates re-ordered');

    const served = within(screen.getByTestId('slate-table')).getAllByRole('row').slice(1);
    expect(served.map((row) => row.textContent)).toEqual(['1demo-000070.910taste', '2demo-000110.520taste, community']);

    expect(within(trace).getAllByRole('row')).toHaveLength(6); // header + 5 traced candidates
    expect(within(trace).getByRole('columnheader', { name: 'Rank after diversity' })).toBeTruthy();
  });

  it("shows a removed candidate's stage and reason, highlighted, and marks the unscored one", async () => {
    await renderPage();
    const removed = await screen.findByTestId('trace-row-demo-00013');
    expect(removed.getAttribute('data-status')).toBe('removed');
    expect(removed.getAttribute('style')).toContain('background');
    expect(within(removed).getByTestId('removed-demo-00013').textContent).toBe(
      'Removed at safety: harassment_score 0.93 > 0.8',
    );
    expect(screen.getByTestId('removed-demo-00020').textContent).toBe(
      'Removed at parity: parity: man share 0.67 would exceed 0.60',
    );
    expect(screen.getByTestId('trace-row-demo-00099').textContent).toContain('Below the cut');
    expect(screen.getByTestId('unscored-demo-00011').textContent).toContain('Unscored');
    expect(screen.getByTestId('trace-row-demo-00007').getAttribute('style')).toBeNull();
  });

  it('opens an explanation in a modal dialog with the reasons, chips, a bar chart and its text alternative', async () => {
    const { get, user } = await renderPage();
    const why = await screen.findByTestId('why-demo-00007');
    await user.click(why);
    const dialog = await screen.findByTestId('explanation-dialog');
    expect(dialog.getAttribute('role')).toBe('dialog');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(get).toHaveBeenCalledWith('/api/v2/discovery/why/demo-00007', { viewerId: 'demo-00042' });
    expect((await within(dialog).findByTestId('explanation-reason')).textContent).toBe(
      'You both love Blade Runner · 3 km away',
    );
    expect(within(dialog).getByText('Both appreciate Blade Runner')).toBeTruthy();

    const chart = within(dialog).getByTestId('shap-chart');
    expect(chart.getAttribute('role')).toBe('img');
    expect(chart.getAttribute('aria-label')).toContain('Bar chart');
    expect(chart.querySelector('svg')).not.toBeNull();
    expect(chart.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(3);

    const table = within(dialog).getByTestId('shap-table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getByRole('rowheader').textContent)).toEqual([
      'shared_favorites',
      'age_gap_years',
      'distance_km',
    ]);
    expect(rows[1]?.textContent).toContain('\u22120.250');
    expect(rows[1]?.textContent).toContain('lowers the score');
  });

  it('keeps focus in the dialog and returns it to the opener on Escape', async () => {
    const { user } = await renderPage();
    const why = await screen.findByTestId('why-demo-00007');
    await user.click(why);
    const dialog = await screen.findByTestId('explanation-dialog');
    expect(dialog.contains(document.activeElement)).toBe(true);
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('explanation-dialog')).toBeNull());
    expect(document.activeElement).toBe(why);
  });

  it('flags a candidate with a note and confirms', async () => {
    const { post, user } = await renderPage();
    await user.click(await screen.findByTestId('flag-demo-00013'));
    await screen.findByRole('dialog');
    await user.type(screen.getByTestId('flag-note'), '  Harassment reported twice  ');
    await user.click(screen.getByTestId('flag-submit'));
    const confirmation = await screen.findByTestId('flag-confirmation');
    expect(post).toHaveBeenCalledWith('/api/v2/review/flags', {
      viewerId: 'demo-00042',
      candidateId: 'demo-00013',
      slateId: '0b9c2f0e-6f8e-4c43-9a4e-7d1f2b3c4d5e',
      note: 'Harassment reported twice',
    });
    expect(confirmation.textContent).toContain('Flagged demo-00013 into the review queue (flag 17)');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('flags the whole slate without a candidate, and refuses an empty note', async () => {
    const { post, user } = await renderPage();
    await user.click(await screen.findByTestId('flag-slate'));
    await user.click(screen.getByTestId('flag-submit'));
    expect((await screen.findByRole('alert')).textContent).toBe('Write a note saying what is wrong.');
    expect(post).not.toHaveBeenCalled();
    await user.type(screen.getByTestId('flag-note'), 'Whole slate skews one way');
    await user.click(screen.getByTestId('flag-submit'));
    await screen.findByTestId('flag-confirmation');
    expect(post).toHaveBeenCalledWith('/api/v2/review/flags', {
      viewerId: 'demo-00042',
      slateId: '0b9c2f0e-6f8e-4c43-9a4e-7d1f2b3c4d5e',
      note: 'Whole slate skews one way',
    });
  });

  it('shows the server message when flagging fails, keeping the note', async () => {
    const { post, user } = await renderPage();
    post.mockRejectedValueOnce(new ApiError(422, 'body.slateId: no such slate'));
    await user.click(await screen.findByTestId('flag-demo-00007'));
    await user.type(screen.getByTestId('flag-note'), 'check');
    await user.click(screen.getByTestId('flag-submit'));
    expect((await screen.findByRole('alert')).textContent).toBe('The flag was not filed: body.slateId: no such slate');
    expect(screen.getByTestId<HTMLTextAreaElement>('flag-note').value).toBe('check');
  });

  it('navigates to the searched member, and asks for an id when the box is empty', async () => {
    const { navigate, get, user } = await renderPage({ subpath: '' });
    expect(get).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('member-search-submit'));
    expect(screen.getByRole('alert').textContent).toBe('Enter a member id.');
    await user.type(screen.getByTestId('member-search'), ' demo-00007 ');
    await user.keyboard('{Enter}');
    expect(navigate).toHaveBeenCalledWith('slates/demo-00007');
  });

  it('shows the server message when the slate cannot be built', async () => {
    await renderPage({
      subpath: 'nobody',
      slateError: new ApiError(404, 'querystring.viewerId: member "nobody" has no saved attributes'),
    });
    expect((await screen.findByRole('alert')).textContent).toContain(
      'querystring.viewerId: member "nobody" has no saved attributes',
    );
  });

  it('shows, per candidate, the feature groups masked and whose choice it was, with a legend', async () => {
    await renderPage();
    const served = await screen.findByTestId('masked-demo-00007');
    expect(
      within(served)
        .getAllByRole('listitem')
        .map((chip) => chip.textContent),
    ).toEqual(['Interests: candidate opted out']);
    expect(
      within(screen.getByTestId('masked-demo-00011'))
        .getAllByRole('listitem')
        .map((chip) => chip.textContent),
    ).toEqual(['Behavioural: candidate opted out', 'Favorites: both opted out']);
    expect(screen.getByTestId('masked-demo-00099').textContent).toBe('none');
    expect(screen.getByTestId('masked-demo-00020').textContent).toBe('not reported');
    expect(screen.getByTestId('masks-legend').textContent).toContain(
      'the viewer withheld the group, so it is masked for every candidate',
    );
  });

  it('renders the masked groups in Spanish', async () => {
    await renderPage({ language: 'es' });
    expect(
      within(await screen.findByTestId('masked-demo-00007'))
        .getAllByRole('listitem')
        .map((chip) => chip.textContent),
    ).toEqual(['Intereses: lo desactivó el candidato']);
  });

  it('renders in Spanish, with the Spanish reasons of the explanation', async () => {
    const { user } = await renderPage({ language: 'es' });
    expect(await screen.findByRole('heading', { name: 'Revisión de slates' })).toBeTruthy();
    expect((await screen.findByTestId('removed-demo-00013')).textContent).toBe(
      'Eliminado en seguridad: harassment_score 0.93 > 0.8',
    );
    expect(screen.getByTestId('slate-arm').textContent).toBe('tratamiento');
    await user.click(screen.getByTestId('why-demo-00007'));
    expect((await screen.findByTestId('explanation-reason')).textContent).toBe(
      'A ambos os encanta Blade Runner · A 3 km',
    );
    expect(screen.getByText('A ambos les gusta Blade Runner')).toBeTruthy();
    expect(screen.getByText('baja la puntuación')).toBeTruthy();
  });

  it('has no axe violations with the slate and the explanation open (contrast is checked in the browser e2e)', async () => {
    const { user } = await renderPage();
    await user.click(await screen.findByTestId('why-demo-00007'));
    await screen.findByTestId('explanation-reason');
    expect(await axeViolations()).toEqual([]);
  });
});
