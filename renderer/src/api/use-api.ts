// The console's one data hook: GET a route through the provided client and follow the answer — loading,
// error (as the text to show) or data, with the time it arrived — and refetch on demand. Only the latest
// request's answer counts: an older one arriving late, or one for a component that has gone, is dropped.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiPath, QueryOf, ReplyOf } from '../../../shared/api-routes.js';
import { useApiClient } from './api-context.js';
import { errorMessage } from './error-message.js';

export interface ApiResource<T> {
  /** The last answer for this path and query; kept while a refetch is under way or has failed. */
  data: T | undefined;
  /** When `data` arrived. */
  receivedAt: Date | null;
  error: string | null;
  loading: boolean;
  /** Asks again; settles once the answer is in (it never rejects: a failure lands in `error`). */
  refetch: () => Promise<void>;
}

interface Snapshot<T> {
  /** The path and query the data belongs to: data of another request is never shown for this one. */
  key: string;
  data: T | undefined;
  receivedAt: Date | null;
  error: string | null;
  loading: boolean;
}

/**
 * GETs `path` (with `query`) now, again when either changes, and on `refetch()`; `path` null asks for
 * nothing. `options.reloadOn`: a value whose every change refetches, for data that another part of the
 * page knows went stale.
 */
export function useApi<P extends ApiPath<'GET'>>(
  path: P | null,
  query?: QueryOf<'GET', P>,
  options: { reloadOn?: unknown } = {},
): ApiResource<ReplyOf<'GET', P>> {
  type Reply = ReplyOf<'GET', P>;
  const api = useApiClient();
  // Callers write the query inline: its JSON, not its identity, says whether it changed.
  const queryJson = query === undefined ? undefined : JSON.stringify(query);
  const key = `${path ?? ''}?${queryJson ?? ''}`;
  const [snapshot, setSnapshot] = useState<Snapshot<Reply>>(() => ({
    key,
    data: undefined,
    receivedAt: null,
    error: null,
    loading: path !== null,
  }));
  const latest = useRef(0);

  // Promise callbacks rather than await: the answer lands in the same tick as a plain `.then` would.
  const load = useCallback((): Promise<void> => {
    const request = ++latest.current;
    const fresh = (previous: Snapshot<Reply>): Snapshot<Reply> =>
      previous.key === key ? previous : { key, data: undefined, receivedAt: null, error: null, loading: false };
    if (path === null) {
      setSnapshot(fresh);
      return Promise.resolve();
    }
    setSnapshot((previous) => ({ ...fresh(previous), error: null, loading: true }));
    const answer =
      queryJson === undefined ? api.get<P>(path) : api.get<P>(path, JSON.parse(queryJson) as QueryOf<'GET', P>);
    return answer.then(
      (data) => {
        if (request === latest.current) setSnapshot({ key, data, receivedAt: new Date(), error: null, loading: false });
      },
      (failure: unknown) => {
        if (request === latest.current) {
          setSnapshot((previous) => ({ ...fresh(previous), error: errorMessage(failure), loading: false }));
        }
      },
    );
  }, [api, path, queryJson, key]);

  useEffect(() => {
    void load();
    return () => {
      latest.current += 1;
    };
  }, [load, options.reloadOn]);

  const current = snapshot.key === key ? snapshot : { ...snapshot, data: undefined, receivedAt: null, error: null };
  return {
    data: current.data,
    receivedAt: current.receivedAt,
    error: current.error,
    loading: current.loading || (snapshot.key !== key && path !== null),
    refetch: load,
  };
}
