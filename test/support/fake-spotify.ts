// A local stand-in for Spotify's accounts service and Web API that replays the real sample responses
// in ../shared/fixtures/api/spotify_* (read at start, never copied into the repo): the token
// exchange, the refresh, and the saved-tracks page — served as several pages (one item each) with
// `next`, `href` and `previous` rewritten to this server, one 429 with Retry-After: 1, and a 401 for
// the code exchange's access token when `expireFirstAccessToken` is set, so the import must refresh.
// The sample page holds one saved track; the further pages reuse that real item with the name,
// artists and ISRC given in `extraTracks`, so one run covers an ISRC match, an artist + title match
// and a track the catalogue does not have.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from './processes.js';
import { sharedFilesPresent } from './shared-files.js';

export const FIXTURES_DIR = path.resolve(REPO_ROOT, '../shared/fixtures/api');
const TRACKS_FIXTURE = path.join(FIXTURES_DIR, 'spotify_me_tracks.GetUsersSavedTracksRequest.json');
const CODE_FIXTURE = path.join(FIXTURES_DIR, 'spotify_token_authorization_code.AuthorizationCode.json');
const REFRESH_FIXTURE = path.join(FIXTURES_DIR, 'spotify_token_refresh_token.AuthorizationCodeRefresh.json');

/** False when ../shared is absent: the import tests skip (fail under CI). */
export const spotifyFixturesPresent = sharedFilesPresent([TRACKS_FIXTURE, CODE_FIXTURE, REFRESH_FIXTURE]);

export const FAKE_CLIENT = { clientId: 'sde-test-client', clientSecret: 'sde-test-client-secret' };
/** The authorization code the fake accepts; `html-error` and `server-down` answer with error pages. */
export const GOOD_CODE = 'good-code';

export interface ExtraTrack {
  name: string;
  artist: string;
  isrc: string;
}

export interface TokenRequest {
  grantType: string | null;
  form: URLSearchParams;
  authorization: string | undefined;
  contentType: string | undefined;
}

export interface FakeSpotifyOptions {
  extraTracks?: ExtraTrack[];
  /** The code exchange's access token is answered with 401 (as if expired), forcing one refresh. */
  expireFirstAccessToken?: boolean;
  /** Answer the second page once with 429 Retry-After: 1. */
  rateLimitOnce?: boolean;
}

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  [key: string]: unknown;
}

export class FakeSpotify {
  readonly tokenRequests: TokenRequest[] = [];
  readonly trackRequests: Array<{ offset: number; token: string }> = [];
  rateLimitedResponses = 0;
  /** Answer refreshes with 400 invalid_grant (a revoked grant). */
  rejectRefresh = false;
  /** Answer every saved-tracks request with 401, refreshed token or not. */
  refuseAllAccessTokens = false;
  /** When set, refreshes also return this new refresh token (rotation). */
  rotateRefreshTokenTo: string | null = null;

  readonly codeResponse: TokenResponse;
  readonly refreshResponse: TokenResponse;
  private readonly page: Record<string, unknown>;
  private readonly items: unknown[];
  private readonly validRefreshTokens = new Set<string>();
  private readonly validAccessTokens = new Set<string>();
  private rateLimitPending: boolean;
  private server: http.Server | null = null;
  url = '';

  constructor(private readonly options: FakeSpotifyOptions = {}) {
    this.codeResponse = JSON.parse(readFileSync(CODE_FIXTURE, 'utf8')) as TokenResponse;
    this.refreshResponse = JSON.parse(readFileSync(REFRESH_FIXTURE, 'utf8')) as TokenResponse;
    this.page = JSON.parse(readFileSync(TRACKS_FIXTURE, 'utf8')) as Record<string, unknown>;
    const realItem = (this.page.items as unknown[])[0] as { track: Record<string, unknown> };
    this.items = [
      realItem,
      ...(options.extraTracks ?? []).map((extra, index) => {
        const item = structuredClone(realItem);
        const artists = item.track.artists as Array<Record<string, unknown>>;
        item.track.name = extra.name;
        item.track.id = `fake${index}${String(item.track.id).slice(5)}`;
        item.track.artists = [{ ...artists[0], name: extra.artist }];
        item.track.external_ids = { isrc: extra.isrc };
        return item;
      }),
    ];
    this.validRefreshTokens.add(this.codeResponse.refresh_token!);
    if (!options.expireFirstAccessToken) this.validAccessTokens.add(this.codeResponse.access_token);
    this.validAccessTokens.add(this.refreshResponse.access_token);
    this.rateLimitPending = options.rateLimitOnce ?? false;
  }

  get trackCount(): number {
    return this.items.length;
  }

  /** Tracks as served, in page order: what the raw pages must hold. */
  get trackNames(): string[] {
    return this.items.map((item) => String((item as { track: { name: string } }).track.name));
  }

  async start(): Promise<this> {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => this.handle(request, Buffer.concat(chunks).toString('utf8'), response));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Lets the process exit while this server still listens (a fake that lives as long as its test file). */
  unref(): this {
    this.server?.unref();
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The app config that points the Spotify connector here. */
  get config() {
    return { ...FAKE_CLIENT, accountsUrl: this.url, apiUrl: this.url };
  }

  private handle(request: http.IncomingMessage, body: string, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', this.url);
    if (request.method === 'POST' && url.pathname === '/api/token') return this.token(request, body, response);
    if (request.method === 'GET' && url.pathname === '/v1/me/tracks') return this.tracks(request, url, response);
    json(response, 404, { error: { status: 404, message: 'Service not found' } });
  }

  private token(request: http.IncomingMessage, body: string, response: http.ServerResponse): void {
    const form = new URLSearchParams(body);
    const grantType = form.get('grant_type');
    this.tokenRequests.push({
      grantType,
      form,
      authorization: request.headers.authorization,
      contentType: request.headers['content-type'],
    });
    const expected = `Basic ${Buffer.from(`${FAKE_CLIENT.clientId}:${FAKE_CLIENT.clientSecret}`).toString('base64')}`;
    if (request.headers.authorization !== expected) {
      return json(response, 400, { error: 'invalid_client', error_description: 'Invalid client' });
    }
    if (grantType === 'authorization_code') {
      const code = form.get('code');
      if (code === 'html-error') return html(response, 400, 'INVALID_CLIENT: Invalid redirect URI');
      if (code === 'server-down') return html(response, 503, 'Service Unavailable');
      if (code !== GOOD_CODE || !form.get('redirect_uri')) {
        return json(response, 400, { error: 'invalid_grant', error_description: 'Invalid authorization code' });
      }
      // Each exchange grants the sample refresh token anew (even after a rotation retired it).
      this.validRefreshTokens.add(this.codeResponse.refresh_token!);
      return json(response, 200, this.codeResponse);
    }
    if (grantType === 'refresh_token') {
      const token = form.get('refresh_token') ?? '';
      if (this.rejectRefresh || !this.validRefreshTokens.has(token)) {
        return json(response, 400, { error: 'invalid_grant', error_description: 'Refresh token revoked' });
      }
      if (this.rotateRefreshTokenTo) {
        this.validRefreshTokens.delete(token);
        this.validRefreshTokens.add(this.rotateRefreshTokenTo);
        return json(response, 200, { ...this.refreshResponse, refresh_token: this.rotateRefreshTokenTo });
      }
      return json(response, 200, this.refreshResponse);
    }
    json(response, 400, { error: 'unsupported_grant_type', error_description: `grant_type ${grantType}` });
  }

  private tracks(request: http.IncomingMessage, url: URL, response: http.ServerResponse): void {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const offset = Number(url.searchParams.get('offset') ?? '0');
    this.trackRequests.push({ offset, token });
    if (this.refuseAllAccessTokens || !this.validAccessTokens.has(token)) {
      return json(response, 401, { error: { status: 401, message: 'The access token expired' } });
    }
    if (offset === 1 && this.rateLimitPending) {
      this.rateLimitPending = false;
      this.rateLimitedResponses++;
      response.setHeader('retry-after', '1');
      return json(response, 429, { error: { status: 429, message: 'API rate limit exceeded' } });
    }
    const pageUrl = (at: number) => `${this.url}/v1/me/tracks?offset=${at}&limit=1`;
    const item = this.items[offset];
    json(response, 200, {
      ...this.page,
      href: pageUrl(offset),
      items: item ? [item] : [],
      limit: 1,
      offset,
      next: offset + 1 < this.items.length ? pageUrl(offset + 1) : null,
      previous: offset > 0 ? pageUrl(offset - 1) : null,
      total: this.items.length,
    });
  }
}

function json(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body, null, 2));
}

function html(response: http.ServerResponse, status: number, title: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  response.end(`<!DOCTYPE html><html><head><title>Error</title></head><body><h1>${title}</h1></body></html>`);
}
