// The typed client: a call's reply type follows its route in the route map (shared/api-routes.ts), its
// query and body are the route's, and a path outside the map does not compile (checked by tsc, which
// reads this file with the console's sources). The calls also run, against a fetch that answers {}.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ApiPath, ReplyOf } from '../../../shared/api-routes.js';
import type { Overview } from '../../../shared/schemas/console.js';
import type { WhyResponse } from '../../../shared/schemas/explanations.js';
import type { ModelDetail, ModelList, PromoteResult } from '../../../shared/schemas/models.js';
import type { ReviewFlagWithHistory } from '../../../shared/schemas/review.js';
import { createApiClient } from './api-client.js';

function recordingClient() {
  const urls: string[] = [];
  const api = createApiClient({
    token: 't',
    // The client always passes the URL as a string.
    fetchImpl: (input) => {
      urls.push(input as string);
      return Promise.resolve(new Response('{}', { status: 200 }));
    },
  });
  return { api, urls };
}

describe('typed routes', () => {
  it('types each reply by the path called, parameters filled in', async () => {
    const { api, urls } = recordingClient();
    const id = 'ranker-1';
    expectTypeOf(await api.get('/api/v2/admin/models')).toEqualTypeOf<ModelList>();
    expectTypeOf(await api.get(`/api/v2/admin/models/${encodeURIComponent(id)}`)).toEqualTypeOf<ModelDetail>();
    expectTypeOf(await api.get('/api/v2/admin/overview')).toEqualTypeOf<Overview>();
    expectTypeOf(await api.get(`/api/v2/review/flags/${3}`)).toEqualTypeOf<ReviewFlagWithHistory>();
    expectTypeOf(await api.get('/api/v2/discovery/why/m-1', { viewerId: 'm-2' })).toEqualTypeOf<WhyResponse>();
    expectTypeOf(
      await api.post(`/api/v2/admin/models/${id}/promote`, { to: 'live', note: 'better' }),
    ).toEqualTypeOf<PromoteResult>();
    expectTypeOf<ReplyOf<'GET', '/api/v2/admin/models/x'>>().toEqualTypeOf<ModelDetail>();
    expect(urls).toEqual([
      '/api/v2/admin/models',
      '/api/v2/admin/models/ranker-1',
      '/api/v2/admin/overview',
      '/api/v2/review/flags/3',
      '/api/v2/discovery/why/m-1?viewerId=m-2',
      '/api/v2/admin/models/ranker-1/promote',
    ]);
  });

  it('refuses, at compile time, a path, query or body its route does not have', async () => {
    const { api } = recordingClient();
    // @ts-expect-error: no such route
    await api.get('/api/v2/admin/modelz');
    // @ts-expect-error: the models list cannot be deleted
    await api.delete('/api/v2/admin/models');
    // @ts-expect-error: the overview takes no query
    await api.get('/api/v2/admin/overview', { limit: 3 });
    // @ts-expect-error: a promotion names its target
    await api.post('/api/v2/admin/models/ranker-1/promote', { note: 'no target' });
    expectTypeOf<'/api/v2/admin/modelz'>().not.toMatchTypeOf<ApiPath<'GET'>>();
  });
});
