// @vitest-environment jsdom
// Component tests of the Overview page with the ApiClient mocked: the numbers from a fixture response,
// the chart and its text alternative, the error state with retry, and Spanish rendering.
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient } from '../../api/api-client.js';
import type { Language } from '../../i18n/i18n.js';
import { mockApiClient, renderWithApi } from '../../test-support/render-with-api.js';
import { OverviewPage } from './OverviewPage.js';
import type { AdminOverview } from './overview-data.js';

const exactlyHoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
const hourAgo = (hours: number) => new Date(Math.floor(Date.now() / 3_600_000 - hours) * 3_600_000).toISOString();

function fixture(): AdminOverview {
  return {
    members: { total: 12345, withAttributes: 12000, deleted: 12, optedOut: 30 },
    vectors: { count: 10800, coverage: 0.8734, models: [{ version: 'wink-sg-100d', count: 10800 }] },
    liveModel: {
      id: 'ranker-20250301-1200-abc123',
      metrics: { 'ndcg@10': 0.71234, map: 0.6543 },
      statusChangedAt: hourAgo(30),
    },
    jobs: {
      workersRunning: true,
      queues: [
        {
          name: 'taste_rebuild',
          policy: 'singleton',
          counts: { created: 1, retry: 0, active: 2, completed: 40, failed: 3, cancelled: 0 },
        },
      ],
      schedules: [{ name: 'dwell_refresh', cron: '*/15 * * * *', timezone: 'UTC' }],
    },
    dwell: { rows: 4321, lastEventAt: exactlyHoursAgo(1), refreshedAt: exactlyHoursAgo(2) },
    activity: {
      hours: [
        { hour: hourAgo(0), slates: 7, swipes: 90 },
        { hour: hourAgo(5), slates: 3, swipes: 10 },
      ],
    },
  };
}

function apiReturning(get: ApiClient['get']): ApiClient {
  return mockApiClient({ get });
}

async function renderPage(api: ApiClient, language: Language = 'en') {
  return renderWithApi(<OverviewPage />, api, language);
}

afterEach(cleanup);

describe('OverviewPage', () => {
  it('shows members, coverage, the live model, queues, freshness and the activity chart from the response', async () => {
    const get = vi.fn().mockResolvedValue(fixture());
    await renderPage(apiReturning(get));

    expect(await screen.findByTestId('overview-members-total')).toHaveProperty('textContent', '12,345');
    expect(get).toHaveBeenCalledWith('/api/v2/admin/overview');
    expect(screen.getByTestId('overview-coverage').textContent).toBe('87.3%');

    const live = screen.getByTestId('overview-live-model');
    expect(within(live).getByText('ranker-20250301-1200-abc123')).toBeTruthy();
    expect(within(live).getByText('0.7123')).toBeTruthy();
    expect(within(live).getByText('0.6543')).toBeTruthy();

    const queues = screen.getByRole('table', { name: 'Queues' });
    const row = within(queues).getByRole('row', { name: /taste_rebuild/ });
    expect(
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['singleton', '1', '0', '2', '40', '3', '0']);
    expect(within(screen.getByRole('table', { name: 'Schedules' })).getByText('*/15 * * * *')).toBeTruthy();

    expect(within(screen.getByTestId('overview-dwell')).getByText(/^1 hour ago/)).toBeTruthy();

    const chart = screen.getByTestId('activity-chart');
    expect(chart.textContent).toContain('In the last 48 hours: 10 slates and 100 swipes.');
    const table = screen.getByTestId('activity-table');
    expect(within(table).getAllByRole('row')).toHaveLength(49);
  });

  it('says when no model is live and nothing happened', async () => {
    const empty = { ...fixture(), liveModel: null, activity: { hours: [] } };
    await renderPage(apiReturning(vi.fn().mockResolvedValue(empty)));
    expect(await screen.findByText(/No ranking model is live/)).toBeTruthy();
    expect(screen.getByText('No slates or swipes in the last 48 hours.')).toBeTruthy();
  });

  it('shows the server message on failure and loads again on retry', async () => {
    const get = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(503, 'database: unavailable'))
      .mockResolvedValueOnce(fixture());
    await renderPage(apiReturning(get));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('database: unavailable');
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('overview-members-total')).toBeTruthy();
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('renders in Spanish', async () => {
    await renderPage(apiReturning(vi.fn().mockResolvedValue(fixture())), 'es');
    expect(await screen.findByRole('heading', { name: 'Resumen', level: 2 })).toBeTruthy();
    expect(screen.getByTestId('overview-members-total').textContent).toBe('12.345');
    expect(screen.getByTestId('overview-coverage').textContent?.replace(/\s/g, ' ')).toBe('87,3 %');
    expect(screen.getByRole('table', { name: 'Colas' })).toBeTruthy();
    expect(screen.getByTestId('activity-chart').textContent).toContain(
      'En las últimas 48 horas: 10 selecciones y 100 deslizamientos.',
    );
  });
});
