// One GET to a metadata source, as the fetchers need it: JSON on 200, "not found" on 404, and an
// UpstreamError for anything else (5xx, 429, timeouts, bad JSON) so the job that asked retries later.
import type { MetadataSource } from '../../shared/schemas/metadata.js';

export interface UpstreamResponse {
  status: 200 | 404;
  /** The parsed JSON body of a 200; null for a 404. */
  body: unknown;
  /** When the cache answered: when the response was fetched from upstream (absent for a live answer). */
  cachedAt?: Date;
}

/** A failed upstream call worth retrying later; never shown to a member. */
export class UpstreamError extends Error {
  override name = 'UpstreamError';
  constructor(
    readonly source: MetadataSource,
    message: string,
  ) {
    super(`${source}: ${message}`);
  }
}

export const DEFAULT_UPSTREAM_TIMEOUT_MS = 10_000;

export async function getJson(
  source: MetadataSource,
  url: string,
  options: { headers?: Record<string, string>; timeoutMs: number },
): Promise<UpstreamResponse> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json', ...options.headers },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new UpstreamError(source, `no answer within ${options.timeoutMs} ms`);
    }
    throw new UpstreamError(source, `request failed (${(error as Error).message})`);
  }
  if (response.status === 404) {
    await response.body?.cancel();
    return { status: 404, body: null };
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new UpstreamError(source, `answered HTTP ${response.status}`);
  }
  try {
    const body: unknown = await response.json();
    return { status: 200, body };
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new UpstreamError(source, `no complete answer within ${options.timeoutMs} ms`);
    }
    throw new UpstreamError(source, 'answered with a body that is not JSON');
  }
}
