// @vitest-environment jsdom
// Component tests of the Models page's Learner section with the ApiClient mocked, on fixtures shaped
// exactly like shared/schemas/learning.ts: state and thresholds, the evaluation (intervals, lift, top
// agreement, guardrails), the timeline newest first with "load more" asking `before` the oldest id,
// Pause/Resume behind the confirmation naming what changes (cancel sends nothing), Run now, a refused
// change, Spanish, keyboard use and axe.
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type {
  LearnerDecision,
  LearnerRunResult,
  LearnerState,
  LearnerStatus,
  OnlineEstimate,
} from '../../../../shared/schemas/learning.js';
import { ApiError } from '../../api/api-client.js';
import type { Language } from '../../i18n/i18n.js';
import { axeViolations } from '../../test-support/axe-violations.js';
import { mockApiClient, renderWithApi } from '../../test-support/render-with-api.js';
import { LearnerSection } from './LearnerSection.js';

const STATE: LearnerState = {
  paused: false,
  changedBy: 'admin-1',
  changedAt: '2025-03-01T10:00:00.000Z',
  schedule: '*/30 * * * *',
  settings: { minImpressions: 2000, marginOnline: 0.02, guardrails: { rankMsP95: 50 } },
};

const ESTIMATE: OnlineEstimate = {
  liveModelId: 'ranker-live',
  shadowModelId: 'ranker-cand',
  since: '2025-03-01T00:00:00.000Z',
  slates: 420,
  impressions: 8400,
  topAgreement: { k: 3, slates: 61, impressions: 183, likeRate: 0.2, matchRate: 0.05 },
  counterfactual: {
    method: 'position-based IPS',
    live: {
      modelId: 'ranker-live',
      impressions: 8400,
      likeRate: 0.12,
      likeRateLower: 0.11,
      likeRateUpper: 0.13,
      matchRate: 0.03,
    },
    shadow: {
      modelId: 'ranker-cand',
      impressions: 8400,
      likeRate: 0.135,
      likeRateLower: 0.122,
      likeRateUpper: 0.149,
      matchRate: 0.034,
    },
    lift: 0.125,
    liftLower: 0.02,
    liftUpper: 0.23,
  },
  guardrails: {
    live: { slates: 420, parityShortfallRate: 0.01, safetyRemovalsPerSlate: 1.5, rankMsP95: 4.2 },
    shadow: { slates: 420, parityShortfallRate: 0.02, safetyRemovalsPerSlate: 1.5, rankMsP95: 5.1 },
  },
};

function decision(id: number, overrides: Partial<LearnerDecision> = {}): LearnerDecision {
  return {
    id,
    kind: 'trained',
    modelId: `ranker-${id}`,
    liveModelId: 'ranker-live',
    reason: `decision ${id}`,
    figures: { 'ndcg@10': 0.7123456, impressions: 1200, gate: 'offline', detail: { nested: true } },
    actor: 'learner',
    createdAt: new Date(Date.UTC(2025, 2, 1, 0, id)).toISOString(),
    ...overrides,
  };
}

/** A full first page (50, ids 60..11), then the last page (ids 10..1). */
const FIRST_PAGE = Array.from({ length: 50 }, (_, index) =>
  decision(60 - index, index === 0 ? { kind: 'refused', reason: 'online lift interval includes 0' } : {}),
);
const LAST_PAGE = Array.from({ length: 10 }, (_, index) => decision(10 - index));

function fakeApi(status: Partial<LearnerStatus> = {}) {
  const get = vi.fn(async (_path: string, query?: { before?: number }): Promise<LearnerStatus> => ({
    state: STATE,
    shadowEvaluation: ESTIMATE,
    decisions: query?.before ? LAST_PAGE.filter((entry) => entry.id < query.before!) : FIRST_PAGE,
    ...status,
  }));
  const patch = vi.fn(async (): Promise<LearnerState> => ({ ...STATE, paused: true }));
  const post = vi.fn(async (): Promise<LearnerRunResult> => ({ decisions: [decision(61, { kind: 'skipped' })] }));
  return { api: mockApiClient({ get, patch, post }), get, patch, post };
}

async function renderSection(api: ReturnType<typeof fakeApi>['api'], language: Language = 'en') {
  await renderWithApi(<LearnerSection />, api, language);
  return screen.findByTestId('learner-state');
}

afterEach(cleanup);

describe('LearnerSection', () => {
  it('shows the state, the schedule and the scalar thresholds', async () => {
    const { api, get } = fakeApi();
    const state = await renderSection(api);
    expect(get).toHaveBeenCalledWith('/api/v2/admin/learner', { limit: 50 });
    expect(state.textContent).toContain('running');
    expect(state.textContent).toContain('*/30 * * * *');
    expect(state.textContent).toContain('minImpressions2000');
    expect(state.textContent).not.toContain('guardrails');
  });

  it('shows live against shadow with intervals, the lift, top agreement and guardrails', async () => {
    const { api } = fakeApi();
    await renderSection(api);
    const evaluation = screen.getByTestId('learner-evaluation');
    expect(evaluation.textContent).toContain('420 shadow-arm slates, 8400 impressions');
    expect(screen.getByTestId('learner-lift').textContent).toContain('+12.5% (+2.0% … +23.0%)');
    expect(evaluation.textContent).toContain('Top-3 agreement: 61 slates');
    const table = screen.getByTestId('learner-comparison');
    expect(within(table).getByText('Live: ranker-live')).toBeTruthy();
    const like = within(table).getByText('Like rate (interval)').closest('tr')!;
    expect(like.textContent).toContain('12.0% (11.0%–13.0%)');
    expect(like.textContent).toContain('13.5% (12.2%–14.9%)');
    expect(within(table).getByText('Scoring time p95 (ms)').closest('tr')!.textContent).toContain('4.25.1');
  });

  it('says so when no model is in shadow', async () => {
    const { api } = fakeApi({ shadowEvaluation: null, decisions: [] });
    await renderSection(api);
    expect(screen.getByTestId('learner-evaluation').textContent).toContain('No model is in shadow');
    expect(screen.getByTestId('learner-timeline').textContent).toContain('no decisions yet');
    expect(screen.queryByTestId('learner-more')).toBeNull();
  });

  it('lists decisions newest first with their figures, and loads older ones before the oldest id', async () => {
    const { api, get } = fakeApi();
    await renderSection(api);
    const items = within(screen.getByTestId('learner-timeline')).getAllByRole('listitem');
    expect(items).toHaveLength(50);
    expect(items[0]!.getAttribute('data-kind')).toBe('refused');
    expect(items[0]!.textContent).toContain('Refused · ranker-60');
    expect(items[0]!.textContent).toContain('online lift interval includes 0');
    expect(items[0]!.textContent).toContain('by learner');
    expect(items[0]!.textContent).toContain('ndcg@100.7123');
    expect(items[0]!.textContent).not.toContain('nested');

    await userEvent.click(screen.getByTestId('learner-more'));
    expect(get).toHaveBeenLastCalledWith('/api/v2/admin/learner', { limit: 50, before: 11 });
    await screen.findByTestId('decision-1');
    const all = within(screen.getByTestId('learner-timeline')).getAllByRole('listitem');
    expect(all.map((item) => item.getAttribute('data-testid'))).toEqual(
      Array.from({ length: 60 }, (_, index) => `decision-${60 - index}`),
    );
    // The last page was short: nothing older is left to load.
    expect(screen.queryByTestId('learner-more')).toBeNull();
  });

  it('pauses only after the confirmation naming what changes; cancel sends nothing', async () => {
    const { api, patch, get } = fakeApi();
    await renderSection(api);
    await userEvent.click(screen.getByTestId('learner-toggle'));
    expect(screen.getByTestId('confirm-message').textContent).toContain('no scheduled training, shadowing, promotion');
    await userEvent.click(screen.getByTestId('cancel-button'));
    expect(patch).not.toHaveBeenCalled();

    await userEvent.click(screen.getByTestId('learner-toggle'));
    await userEvent.type(screen.getByTestId('confirm-note'), 'incident 42');
    await userEvent.click(screen.getByTestId('confirm-button'));
    expect(patch).toHaveBeenCalledWith('/api/v2/admin/learner', { paused: true, note: 'incident 42' });
    expect(await screen.findByText('The learner is paused.')).toBeTruthy();
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('offers Resume with the schedule when paused, and shows a refusal in the dialog', async () => {
    const { api, patch } = fakeApi({ state: { ...STATE, paused: true } });
    patch.mockRejectedValueOnce(new ApiError(403, 'only ml_engineer or admin may pause the learner'));
    await renderSection(api);
    await userEvent.click(screen.getByRole('button', { name: 'Resume the learner' }));
    expect(screen.getByTestId('confirm-message').textContent).toContain('runs again on its schedule (*/30 * * * *)');
    await userEvent.click(screen.getByTestId('confirm-button'));
    expect(patch).toHaveBeenCalledWith('/api/v2/admin/learner', { paused: false });
    expect((await screen.findByTestId('confirm-error')).textContent).toContain('only ml_engineer or admin');
  });

  it('runs one cycle on "Run now" and reports the decisions', async () => {
    const { api, post } = fakeApi();
    await renderSection(api);
    await userEvent.click(screen.getByTestId('learner-run'));
    expect(post).toHaveBeenCalledWith('/api/v2/admin/learner/run', {});
    expect(await screen.findByText('The learner ran: 1 decision recorded.')).toBeTruthy();
  });

  it('is keyboard operable and axe-clean', async () => {
    const { api, patch } = fakeApi();
    await renderSection(api);
    expect(await axeViolations()).toEqual([]);
    screen.getByTestId('learner-toggle').focus();
    await userEvent.keyboard('{Enter}');
    expect(await axeViolations()).toEqual([]);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();
    expect(patch).not.toHaveBeenCalled();
  });

  it('speaks Spanish', async () => {
    const { api } = fakeApi();
    await renderSection(api, 'es');
    expect(screen.getByRole('heading', { name: 'Aprendizaje en línea' })).toBeTruthy();
    expect(screen.getByTestId('learner-state').textContent).toContain('en marcha');
    expect(screen.getByRole('button', { name: 'Pausar el aprendizaje' })).toBeTruthy();
    expect(screen.getAllByText('Rechazado')).toHaveLength(1);
  });
});
