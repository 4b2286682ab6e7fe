// The Spotify ingest job: pages through a member's saved tracks, keeps every raw page in object
// storage (uploaded through a signed URL, as any client would), turns matched tracks into favorites
// and records progress on the member's connector account. Re-running it is harmless: favorites
// already present are not added again, and the counts say so.
import type { FastifyBaseLogger } from 'fastify';
import { emptyCounts, type ConnectorCounts } from '../../shared/schemas/connectors.js';
import { MEDIA_LIMITS } from '../../shared/schemas/media.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Database } from '../db/database.js';
import type { MemberChanges } from '../events/member-changes.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { FavoritesRepository } from '../media/favorites.repository.js';
import { keySegmentFor, type ObjectStorage } from '../storage/object-storage.js';
import { requestReembed } from '../taste/reembed.queue.js';
import type { ConnectorAccountsRepository } from './connector-accounts.repository.js';
import { SpotifyRejected, SpotifyUnauthorized, SpotifyUnavailable, type SpotifyClient } from './spotify-client.js';
import { trackLookup, type SavedTracksPage } from './spotify-tracks.js';
import type { TrackMatcher } from './track-matcher.js';

/** A member with more saved tracks than this (50 per page) is imported up to here. */
export const MAX_PAGES_PER_SYNC = 1000;
/** Raw pages are ~100-300 kB at 50 tracks; anything far larger is not a page. */
const MAX_RAW_PAGE_BYTES = 4 * 1024 * 1024;
/** An access token this close to expiry is refreshed before use rather than after a 401. */
const EXPIRY_MARGIN_MS = 60_000;

export const sealContext = {
  refresh: (memberId: string) => `spotify:refresh:${memberId}`,
  access: (memberId: string) => `spotify:access:${memberId}`,
};

/** A failure the job reports to the member; `permanent` ones are not retried (the member must act). */
export class SyncFailure extends Error {
  override name = 'SyncFailure';
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export interface SpotifyIngestDeps {
  db: Database;
  jobs: JobQueue;
  accounts: ConnectorAccountsRepository;
  box: SecretBox;
  client: SpotifyClient;
  storage: ObjectStorage;
  matcher: TrackMatcher;
  /** Told of each page that added favorites, so other replicas drop what they cached about the member. */
  memberChanges: MemberChanges;
  log: FastifyBaseLogger;
  clock?: () => Date;
}

export class SpotifyIngest {
  private readonly favorites: FavoritesRepository;
  private readonly clock: () => Date;
  private lastRawTimestamp = 0;

  constructor(private readonly deps: SpotifyIngestDeps) {
    this.favorites = new FavoritesRepository(deps.db);
    this.clock = deps.clock ?? (() => new Date());
  }

  /** One sync of one member; throws SyncFailure (or anything unexpected) when it cannot finish. */
  async run(memberId: string): Promise<ConnectorCounts | null> {
    const { accounts } = this.deps;
    const account = await accounts.find(memberId, 'spotify');
    if (!account?.refreshTokenSealed) return null; // Disconnected (or member deleted) since the job was queued.
    await accounts.startSync(memberId, 'spotify');

    let accessToken =
      account.accessTokenSealed &&
      account.accessTokenExpiresAt &&
      account.accessTokenExpiresAt.getTime() - EXPIRY_MARGIN_MS > this.clock().getTime()
        ? this.deps.box.open(account.accessTokenSealed, sealContext.access(memberId))
        : null;
    let refreshed = false;
    const refresh = async () => {
      refreshed = true;
      accessToken = await this.refreshAccessToken(memberId, account.refreshTokenSealed!);
      return accessToken;
    };

    const counts = emptyCounts();
    let url: string | null = this.deps.client.firstPageUrl();
    while (url !== null) {
      if (counts.pages >= MAX_PAGES_PER_SYNC) {
        this.deps.log.warn({ memberId, pages: counts.pages }, 'spotify import stopped at the page limit');
        break;
      }
      let fetched: { raw: string; page: SavedTracksPage };
      try {
        fetched = await this.deps.client.savedTracksPage(url, accessToken ?? (await refresh()));
      } catch (error) {
        if (!(error instanceof SpotifyUnauthorized)) throw this.asFailure(error);
        if (refreshed) {
          throw new SyncFailure(
            'spotify: Spotify refused the access token even after refreshing it; connect Spotify again',
            true,
          );
        }
        fetched = await this.deps.client.savedTracksPage(url, await refresh()).catch((retryError: unknown) => {
          throw retryError instanceof SpotifyUnauthorized
            ? new SyncFailure(
                'spotify: Spotify refused the access token even after refreshing it; connect Spotify again',
                true,
              )
            : this.asFailure(retryError);
        });
      }
      await this.keepRawPage(memberId, fetched.raw);
      await this.importPage(memberId, fetched.page, counts);
      url = fetched.page.next;
    }

    await this.deps.db.transaction(async (tx) => {
      await accounts.finishSync(memberId, 'spotify', this.clock(), tx);
      if (counts.favoritesAdded > 0) await requestReembed(this.deps.jobs, memberId, 'favorites_changed', tx);
    });
    return counts;
  }

  private async refreshAccessToken(memberId: string, refreshTokenSealed: Buffer): Promise<string> {
    const { box, accounts } = this.deps;
    const refreshToken = box.open(refreshTokenSealed, sealContext.refresh(memberId));
    let tokens;
    try {
      tokens = await this.deps.client.refresh(refreshToken);
    } catch (error) {
      if (error instanceof SpotifyRejected) {
        throw new SyncFailure(
          `spotify: Spotify rejected the stored authorization (${error.reason}); connect Spotify again`,
          true,
        );
      }
      throw this.asFailure(error);
    }
    await accounts.storeTokens(memberId, 'spotify', {
      accessToken: box.seal(tokens.accessToken, sealContext.access(memberId)),
      accessTokenExpiresAt: new Date(this.clock().getTime() + tokens.expiresInSeconds * 1000),
      // Spotify may rotate the refresh token; the old one then stops working.
      refreshToken: tokens.refreshToken ? box.seal(tokens.refreshToken, sealContext.refresh(memberId)) : undefined,
    });
    return tokens.accessToken;
  }

  /** Stores the page exactly as Spotify sent it, through a signed upload URL, like any client would. */
  private async keepRawPage(memberId: string, raw: string): Promise<void> {
    // Milliseconds, bumped when two pages land in the same one, so keys never collide within a run.
    const timestamp = Math.max(this.clock().getTime(), this.lastRawTimestamp + 1);
    this.lastRawTimestamp = timestamp;
    const key = `favorites_raw/spotify/${keySegmentFor(memberId)}/${timestamp}.json`;
    const upload = await this.deps.storage.createUploadUrl(key, {
      contentType: 'application/json',
      maxBytes: MAX_RAW_PAGE_BYTES,
    });
    const response = await fetch(upload.url, {
      method: upload.method,
      headers: upload.headers,
      body: raw,
      signal: AbortSignal.timeout(30_000),
    }).catch(() => {
      throw new SyncFailure('storage: the raw page could not be uploaded (storage unreachable); will retry', false);
    });
    await response.arrayBuffer();
    if (!response.ok) {
      throw new SyncFailure(`storage: the raw page upload was refused (HTTP ${response.status}); will retry`, false);
    }
  }

  /** Matches the page's tracks and adds new favorites, with the progress, in one transaction. */
  private async importPage(memberId: string, page: SavedTracksPage, counts: ConnectorCounts): Promise<void> {
    const matched: string[] = [];
    for (const item of page.items) {
      const lookup = trackLookup(item.track);
      const match = lookup ? await this.deps.matcher.match(lookup) : null;
      if (match) matched.push(match.mediaId);
      else counts.unmatched++;
    }
    counts.pages++;
    counts.tracksSeen += page.items.length;
    counts.matched += matched.length;
    await this.deps.db.transaction(async (tx) => {
      // The member's row lock serialises this with manual adds, so the ceiling holds for both.
      if (!(await this.favorites.lockMember(memberId, tx))) {
        throw new SyncFailure('member: this member no longer exists or has no saved attributes', true);
      }
      let kept = await this.favorites.count(memberId, tx);
      const addedBefore = counts.favoritesAdded;
      for (const mediaId of new Set(matched)) {
        if (kept >= MEDIA_LIMITS.maxFavoritesPerMember) {
          if (!(await this.favorites.find(memberId, mediaId, tx))) counts.overLimit++;
          continue;
        }
        if (await this.favorites.add(memberId, mediaId, 'spotify', tx)) {
          counts.favoritesAdded++;
          kept++;
        }
      }
      if (counts.favoritesAdded > addedBefore) {
        await this.deps.memberChanges.publish({ memberId, reason: 'favorites' }, tx);
      }
      await this.deps.accounts.updateCounts(memberId, 'spotify', counts, tx);
    });
  }

  private asFailure(error: unknown): Error {
    if (error instanceof SyncFailure) return error;
    if (error instanceof SpotifyRejected) {
      return new SyncFailure(`spotify: Spotify refused to list saved tracks (${error.reason})`, true);
    }
    if (error instanceof SpotifyUnavailable) return new SyncFailure(`spotify: ${error.message}; will retry`, false);
    return error instanceof Error ? error : new Error(String(error));
  }
}
