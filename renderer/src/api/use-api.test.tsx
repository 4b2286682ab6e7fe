// @vitest-environment jsdom
// The data hook against a scripted client: loading then data, the server's message on failure, refetch,
// nothing asked for a null path, and a late answer to an older request never replacing the newer one.
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient } from './api-client.js';
import { ApiProvider } from './api-context.js';
import { useApi } from './use-api.js';

function clientAnswering(answer: (path: string) => Promise<unknown>) {
  const get = vi.fn(answer);
  const api = { get, post: vi.fn(), put: vi.fn(), patch: vi.fn(), delete: vi.fn() } as unknown as ApiClient;
  return { api, get };
}

function wrapperWith(api: ApiClient) {
  return ({ children }: { children: ReactNode }) => <ApiProvider client={api}>{children}</ApiProvider>;
}

describe('useApi', () => {
  it('is loading, then holds the answer and when it came; refetch asks again', async () => {
    let answer = 1;
    const { api, get } = clientAnswering(() => Promise.resolve({ models: [], answer: answer++ }));
    const { result } = renderHook(() => useApi('/api/v2/admin/models'), { wrapper: wrapperWith(api) });
    expect(result.current).toMatchObject({ loading: true, data: undefined, error: null });
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.data).toEqual({ models: [], answer: 1 });
    expect(result.current.receivedAt).toBeInstanceOf(Date);
    await act(() => result.current.refetch());
    expect(result.current.data).toEqual({ models: [], answer: 2 });
    expect(get).toHaveBeenCalledTimes(2);
    expect(get).toHaveBeenCalledWith('/api/v2/admin/models');
  });

  it("gives the server's message on failure", async () => {
    const { api } = clientAnswering(() => Promise.reject(new ApiError(503, 'database: unavailable')));
    const { result } = renderHook(() => useApi('/api/v2/admin/overview'), { wrapper: wrapperWith(api) });
    await waitFor(() => expect(result.current.error).toBe('database: unavailable'));
    expect(result.current).toMatchObject({ loading: false, data: undefined });
  });

  it('asks nothing for a null path', () => {
    const { api, get } = clientAnswering(() => Promise.resolve({}));
    const { result } = renderHook(() => useApi(null), { wrapper: wrapperWith(api) });
    expect(result.current).toMatchObject({ loading: false, data: undefined, error: null });
    expect(get).not.toHaveBeenCalled();
  });

  it('drops a late answer to an older request', async () => {
    const pending = new Map<string, (value: unknown) => void>();
    const { api } = clientAnswering((path) => new Promise((resolve) => pending.set(path, resolve)));
    const { result, rerender } = renderHook(({ id }: { id: string }) => useApi(`/api/v2/review/flags/${id}`), {
      wrapper: wrapperWith(api),
      initialProps: { id: '1' },
    });
    rerender({ id: '2' });
    await waitFor(() => expect(pending.size).toBe(2));
    await act(async () => pending.get('/api/v2/review/flags/2')!({ id: 2 }));
    await act(async () => pending.get('/api/v2/review/flags/1')!({ id: 1 }));
    expect(result.current.data).toEqual({ id: 2 });
  });
});
