// @vitest-environment jsdom
// Component tests of the Models page with the ApiClient mocked: the registry list, the promotion
// confirmation naming both models, confirm posting the right body (and cancel posting nothing), the
// server's 409 message, rollback, training, the comparison, and Spanish rendering.
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelDetail, ModelVersion } from '../../../../shared/schemas/models.js';
import { ApiError, type ApiClient } from '../../api/api-client.js';
import type { Language } from '../../i18n/i18n.js';
import { mockApiClient, renderWithApi } from '../../test-support/render-with-api.js';
import { ModelsPage } from './ModelsPage.js';

const PROMOTED_AT = '2025-02-10T09:00:00.000Z';

function version(id: string, overrides: Partial<ModelVersion>): ModelVersion {
  return {
    id,
    kind: 'ranker',
    status: 'candidate',
    format: 'lightgbm',
    artifactBytes: 1000,
    params: {},
    metrics: {},
    trainingWindow: null,
    createdBy: 'ml-ana',
    createdAt: '2025-01-01T00:00:00.000Z',
    statusChangedBy: 'ml-ana',
    statusChangedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const MODELS: ModelVersion[] = [
  version('ranker-new', { createdAt: '2025-03-01T00:00:00.000Z', metrics: { 'ndcg@10': 0.74, map: 0.61, trees: 120 } }),
  version('ranker-live', {
    status: 'live',
    createdAt: '2025-02-01T00:00:00.000Z',
    statusChangedAt: PROMOTED_AT,
    metrics: { 'ndcg@10': 0.71, map: 0.6, trees: 100 },
  }),
  version('ranker-old', {
    status: 'retired',
    createdAt: '2025-01-01T00:00:00.000Z',
    statusChangedAt: PROMOTED_AT,
    metrics: { 'ndcg@10': 0.65 },
  }),
];

function detail(model: ModelVersion): ModelDetail {
  return {
    ...model,
    featureSpec: null,
    features: ['taste_cosine', 'distance_km'],
    trees: 100,
    featureImportance: [
      { feature: 'taste_cosine', importance: model.id === 'ranker-new' ? 60 : 30 },
      { feature: 'distance_km', importance: 10 },
    ],
    history: [{ from: null, to: 'candidate', changedBy: 'ml-ana', changedAt: model.createdAt, note: null }],
  };
}

function fakeApi() {
  const get = vi.fn(async (path: string): Promise<unknown> => {
    if (path === '/api/v2/admin/models') return { models: MODELS };
    const model = MODELS.find((candidate) => path === `/api/v2/admin/models/${candidate.id}`);
    if (model) return detail(model);
    throw new ApiError(404, `params.id: no model ${path}`);
  });
  const post = vi.fn();
  const api = mockApiClient({ get, post });
  return { api, get, post };
}

async function renderPage(api: ApiClient, language: Language = 'en') {
  return renderWithApi(<ModelsPage />, api, language);
}

afterEach(cleanup);

describe('ModelsPage', () => {
  it('lists the registry with status, creator and NDCG@10, and compares the live version with the newest', async () => {
    const { api, get } = fakeApi();
    await renderPage(api);

    const list = await screen.findByTestId('models-list');
    expect(within(list).getAllByRole('row')).toHaveLength(4);
    const live = screen.getByTestId('model-row-ranker-live');
    expect(within(live).getByText('live')).toBeTruthy();
    expect(within(live).getByText('0.7100')).toBeTruthy();
    expect(within(live).queryByRole('button')).toBeNull();
    expect(screen.getByTestId('promote-ranker-new')).toHaveProperty('textContent', 'Promote');
    expect(screen.getByTestId('metrics-chart').textContent).toContain(
      '3 versions in creation order, from ranker-old to ranker-new',
    );

    const metrics = await screen.findByTestId('compare-metrics');
    const ndcg = within(metrics).getByRole('row', { name: /NDCG@10/ });
    expect(
      within(ndcg)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['0.7100', '0.7400', '+0.0300']);
    const importance = screen.getByTestId('compare-importance');
    expect(within(importance).getByRole('row', { name: /taste_cosine/ }).textContent).toContain('75.0%');
    expect(get).toHaveBeenCalledWith('/api/v2/admin/models/ranker-live');
    expect(get).toHaveBeenCalledWith('/api/v2/admin/models/ranker-new');
  });

  it('says what a promotion changes, posts the chosen target and note on confirm, then reloads', async () => {
    const { api, get, post } = fakeApi();
    post.mockResolvedValueOnce({
      model: { ...MODELS[0]!, status: 'live' },
      demoted: { id: 'ranker-live', from: 'live', to: 'retired' },
    });
    await renderPage(api);
    const user = userEvent.setup();

    const opener = await screen.findByTestId('promote-ranker-new');
    await user.click(opener);
    const dialog = screen.getByRole('dialog');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.contains(document.activeElement)).toBe(true);
    expect(screen.getByTestId('confirm-message').textContent).toBe(
      'ranker-new becomes live; ranker-live (now live) will be retired.',
    );

    await user.click(screen.getByTestId('target-shadow'));
    expect(screen.getByTestId('confirm-message').textContent).toBe(
      'ranker-new becomes the shadow model; no model is in shadow now.',
    );
    await user.click(screen.getByTestId('target-live'));
    await user.type(screen.getByLabelText('Note (optional)'), 'better NDCG');
    const listCalls = get.mock.calls.filter(([path]) => path === '/api/v2/admin/models').length;
    await user.click(screen.getByTestId('confirm-button'));

    expect(post).toHaveBeenCalledWith('/api/v2/admin/models/ranker-new/promote', { to: 'live', note: 'better NDCG' });
    expect(await screen.findByText('ranker-new is now live.')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(get.mock.calls.filter(([path]) => path === '/api/v2/admin/models').length).toBe(listCalls + 1);
    expect(document.activeElement).toBe(opener);
  });

  it('cancel (or Escape) closes the dialog without calling the API', async () => {
    const { api, post } = fakeApi();
    await renderPage(api);
    const user = userEvent.setup();

    await user.click(await screen.findByTestId('promote-ranker-old'));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();
    await user.click(screen.getByTestId('rollback'));
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();
    expect(post).not.toHaveBeenCalled();
  });

  it('shows the server’s message when it refuses and keeps the dialog open', async () => {
    const { api, post } = fakeApi();
    post.mockRejectedValueOnce(
      new ApiError(409, 'params.id: model has 12 feature columns, the pair-feature spec has 13'),
    );
    await renderPage(api);
    const user = userEvent.setup();

    await user.click(await screen.findByTestId('promote-ranker-old'));
    await user.click(screen.getByTestId('confirm-button'));
    const error = await screen.findByTestId('confirm-error');
    expect(error.textContent).toBe(
      'The server refused: params.id: model has 12 feature columns, the pair-feature spec has 13',
    );
    expect(screen.getByRole('dialog')).toBeTruthy();
  });

  it('rolls back after saying which model returns', async () => {
    const { api, post } = fakeApi();
    post.mockResolvedValueOnce({
      live: { ...MODELS[2]!, status: 'live' },
      retired: { ...MODELS[1]!, status: 'retired' },
    });
    await renderPage(api);
    const user = userEvent.setup();

    await user.click(await screen.findByTestId('rollback'));
    expect(screen.getByTestId('confirm-message').textContent).toBe(
      'ranker-live (live) will be retired and ranker-old becomes live again.',
    );
    await user.click(screen.getByTestId('confirm-button'));
    expect(post).toHaveBeenCalledWith('/api/v2/admin/models/rollback', { kind: 'ranker' });
    expect(await screen.findByText('Rolled back: ranker-old is live again, ranker-live is retired.')).toBeTruthy();
  });

  it('queues a training run and says so', async () => {
    const { api, post } = fakeApi();
    post.mockResolvedValueOnce({ jobId: 'job-42', queue: 'ranker_train' });
    await renderPage(api);
    await userEvent.click(await screen.findByRole('button', { name: 'Train new model' }));
    expect(post).toHaveBeenCalledWith('/api/v2/admin/models/train', {});
    expect((await screen.findByTestId('models-status')).textContent).toContain('Training queued as job job-42.');
  });

  it('renders in Spanish', async () => {
    const { api } = fakeApi();
    await renderPage(api, 'es');
    const user = userEvent.setup();

    expect(await screen.findByRole('heading', { name: 'Modelos', level: 2 })).toBeTruthy();
    expect(within(screen.getByTestId('model-row-ranker-live')).getByText('en producción')).toBeTruthy();
    expect(within(screen.getByTestId('model-row-ranker-new')).getByText('0,7400')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Promover ranker-new' }));
    expect(screen.getByTestId('confirm-message').textContent).toBe(
      'ranker-new pasa a producción; ranker-live (ahora en producción) quedará retirado.',
    );
    expect(screen.getByRole('button', { name: 'Cancelar' })).toBeTruthy();
  });
});
