// Spotify's Web API as the import needs it: the accounts service's token endpoint (code exchange and
// refresh, form-encoded with Basic client auth) and the saved-tracks pages. Base URLs come from config
// so tests run the whole flow against a local server. Errors are typed by what the caller should do:
// SpotifyRejected (permanent: the member must reconnect or the request was wrong), SpotifyUnauthorized
// (refresh the access token), SpotifyUnavailable (transient: retry later).
import { parseSavedTracksPage, type SavedTracksPage } from './spotify-tracks.js';

export interface SpotifyClientOptions {
  clientId: string;
  clientSecret: string;
  accountsUrl: string;
  apiUrl: string;
  /** Waits between rate-limited attempts; tests may shorten it. */
  sleep?: (ms: number) => Promise<void>;
}

export interface SpotifyTokens {
  accessToken: string;
  /** Present on a code exchange; on a refresh only when Spotify rotated it. */
  refreshToken?: string;
  expiresInSeconds: number;
  scopes: string[];
}

/** Spotify refused the request for a reason retrying will not fix (bad code, revoked grant, scope). */
export class SpotifyRejected extends Error {
  override name = 'SpotifyRejected';
  constructor(
    readonly status: number,
    /** Spotify's error code (`invalid_grant`) or a description of a non-JSON answer. */
    readonly reason: string,
  ) {
    super(`Spotify rejected the request (HTTP ${status}: ${reason})`);
  }
}

/** The API refused the access token: refresh it (once) and retry. */
export class SpotifyUnauthorized extends Error {
  override name = 'SpotifyUnauthorized';
}

/** Spotify could not be reached or answered with a server error or an unusable body: try again later. */
export class SpotifyUnavailable extends Error {
  override name = 'SpotifyUnavailable';
}

/** At most this many 429 waits for one page before the job gives up and is retried later. */
export const MAX_RATE_LIMIT_WAITS = 5;
/** A Retry-After longer than this is not waited out inside the job. */
export const MAX_RETRY_AFTER_SECONDS = 60;
const TIMEOUT_MS = 20_000;

/** Retry-After as seconds: delta-seconds or an HTTP date; 1 s when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: Date = new Date()): number {
  if (!header) return 1;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.max(0, Number(trimmed));
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return 1;
  return Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

/** Spotify's OAuth error code from a JSON or HTML body, without echoing the body itself. */
function describeRejection(response: Response, body: string): string {
  const type = response.headers.get('content-type') ?? 'no content type';
  try {
    const parsed = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    if (typeof parsed.error === 'string' && /^[a-z_]{1,64}$/.test(parsed.error)) return parsed.error;
    // The Web API's shape: { error: { status, message } }.
    if (parsed.error && typeof parsed.error === 'object') {
      const message = (parsed.error as { message?: unknown }).message;
      if (typeof message === 'string') return message.replace(/[^\w .,:'()-]/g, '').slice(0, 120);
    }
  } catch {
    // Not JSON (an HTML error page): say so rather than quote it.
  }
  return `a ${type.split(';')[0]} response`;
}

export class SpotifyClient {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: SpotifyClientOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  exchangeCode(code: string, redirectUri: string): Promise<SpotifyTokens> {
    return this.token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri });
  }

  refresh(refreshToken: string): Promise<SpotifyTokens> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  /** The first page of the member's saved tracks (limit 50, Spotify's maximum). */
  firstPageUrl(): string {
    return `${this.options.apiUrl}/v1/me/tracks?limit=50&offset=0`;
  }

  /**
   * One saved-tracks page, waiting out 429s (bounded). `url` must be on the configured API: a `next`
   * link pointing elsewhere is refused rather than handed the member's access token.
   */
  async savedTracksPage(url: string, accessToken: string): Promise<{ raw: string; page: SavedTracksPage }> {
    if (!url.startsWith(`${this.options.apiUrl}/v1/me/tracks?`)) {
      throw new SpotifyRejected(0, 'a next-page link outside the configured Spotify API');
    }
    for (let waits = 0; ; waits++) {
      const response = await this.fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });
      const body = await response.text();
      if (response.status === 429) {
        const seconds = retryAfterSeconds(response.headers.get('retry-after'));
        if (waits >= MAX_RATE_LIMIT_WAITS || seconds > MAX_RETRY_AFTER_SECONDS) {
          throw new SpotifyUnavailable(`Spotify kept rate-limiting the import (Retry-After ${seconds} s)`);
        }
        await this.sleep(seconds * 1000);
        continue;
      }
      if (response.status === 401) throw new SpotifyUnauthorized('Spotify refused the access token');
      if (response.status >= 500) throw new SpotifyUnavailable(`Spotify's API answered HTTP ${response.status}`);
      if (!response.ok) throw new SpotifyRejected(response.status, describeRejection(response, body));
      const page = parseSavedTracksPage(body);
      if (!page) throw new SpotifyUnavailable("Spotify's API answered with a body that is not a saved-tracks page");
      return { raw: body, page };
    }
  }

  private async token(form: Record<string, string>): Promise<SpotifyTokens> {
    const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`, 'utf8').toString('base64');
    const response = await this.fetch(`${this.options.accountsUrl}/api/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    const body = await response.text();
    if (response.status >= 500) {
      throw new SpotifyUnavailable(`Spotify's accounts service answered HTTP ${response.status}`);
    }
    if (!response.ok) throw new SpotifyRejected(response.status, describeRejection(response, body));
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body) as Record<string, unknown>;
    } catch {
      throw new SpotifyUnavailable("Spotify's accounts service answered with a body that is not JSON");
    }
    if (typeof parsed.access_token !== 'string' || parsed.access_token.length === 0) {
      throw new SpotifyUnavailable("Spotify's token response carried no access token");
    }
    return {
      accessToken: parsed.access_token,
      refreshToken: typeof parsed.refresh_token === 'string' ? parsed.refresh_token : undefined,
      expiresInSeconds: typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : 3600,
      scopes: typeof parsed.scope === 'string' ? parsed.scope.split(/\s+/).filter(Boolean) : [],
    };
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'could not be reached';
      throw new SpotifyUnavailable(`Spotify ${reason}`);
    }
  }
}
