// The console's only way to the engine: HTTP with the signed-in bearer token, like any client. Errors
// keep the server's message (a 4xx message names the field), so pages can show it as is. Calls are typed
// by the route map (shared/api-routes.ts): the path picks the query, body and reply types.
import type { ApiPath, BodyOf, QueryOf, ReplyOf } from '../../../shared/api-routes.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

/** `keepalive`: the request may outlive the page (analytics flushed on pagehide). */
export interface RequestOptions {
  keepalive?: boolean;
}

export interface ApiClient {
  get<P extends ApiPath<'GET'>>(path: P, query?: QueryOf<'GET', P>): Promise<ReplyOf<'GET', P>>;
  post<P extends ApiPath<'POST'>>(
    path: P,
    body: BodyOf<'POST', P>,
    headers?: Record<string, string>,
    options?: RequestOptions,
  ): Promise<ReplyOf<'POST', P>>;
  put<P extends ApiPath<'PUT'>>(path: P, body: BodyOf<'PUT', P>): Promise<ReplyOf<'PUT', P>>;
  patch<P extends ApiPath<'PATCH'>>(path: P, body: BodyOf<'PATCH', P>): Promise<ReplyOf<'PATCH', P>>;
  delete<P extends ApiPath<'DELETE'>>(path: P): Promise<ReplyOf<'DELETE', P>>;
}

export function createApiClient(options: { token: string; baseUrl?: string; fetchImpl?: typeof fetch }): ApiClient {
  const baseUrl = options.baseUrl ?? '';
  const fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init));
  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    query?: object,
    { keepalive }: RequestOptions = {},
  ): Promise<T> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {}) as Array<[string, Query[string]]>) {
      if (value !== undefined) search.set(key, String(value));
    }
    const url = `${baseUrl}${path}${search.size > 0 ? `?${search.toString()}` : ''}`;
    const response = await fetchImpl(url, {
      method,
      headers: {
        authorization: `Bearer ${options.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(keepalive ? { keepalive: true } : {}),
    });
    const text = await response.text();
    const parsed: unknown = text === '' ? null : safeJson(text);
    if (!response.ok) {
      const message =
        parsed && typeof parsed === 'object' && 'message' in parsed
          ? String(parsed.message)
          : `HTTP ${response.status}`;
      throw new ApiError(response.status, message);
    }
    return parsed as T;
  }
  return {
    get: (path, query) => request('GET', path, undefined, {}, query),
    post: (path, body, headers, options) => request('POST', path, body, headers, undefined, options),
    put: (path, body) => request('PUT', path, body),
    patch: (path, body) => request('PATCH', path, body),
    delete: (path) => request('DELETE', path),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A client that only reads: writes fail at once with a 403 carrying `message`, as the server would answer
 * them (a read-only member-preview token), without sending them.
 */
export function readOnlyApiClient(api: ApiClient, message: string): ApiClient {
  const refuse = () => Promise.reject(new ApiError(403, message));
  return {
    get(path, query) {
      return api.get(path, query);
    },
    post: refuse,
    put: refuse,
    patch: refuse,
    delete: refuse,
  };
}
