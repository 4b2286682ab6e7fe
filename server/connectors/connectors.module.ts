// The connectors module: object storage (and, for the local driver, its signed-upload route), the
// Spotify import endpoints and the `spotify_ingest` queue whose worker pages through saved tracks.
import type { RegisterModule } from '../module-context.js';
import { SecretBox } from '../crypto/secret-box.js';
import { createObjectStorage } from '../storage/create-storage.js';
import { LocalObjectStorage } from '../storage/local-storage.js';
import type { ObjectStorage } from '../storage/object-storage.js';
import { storageUploadRoutes } from '../storage/storage.route.js';
import { ConnectorAccountsRepository } from './connector-accounts.repository.js';
import { connectorsRoutes } from './connectors.route.js';
import { ConnectorsService, SPOTIFY_INGEST_QUEUE } from './connectors.service.js';
import { SpotifyClient } from './spotify-client.js';
import { SpotifyIngest, SyncFailure } from './spotify-ingest.js';
import { TrackMatcher } from './track-matcher.js';

export { SPOTIFY_INGEST_QUEUE } from './connectors.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where raw connector payloads go; other modules may store objects through it too. */
    objectStorage: ObjectStorage;
  }
}

export const registerConnectorsModule: RegisterModule = async (app, { config, db, jobs, log, memberChanges }) => {
  const storage = createObjectStorage(config.storage, {
    db,
    publicUrl: config.publicUrl,
    secretsKey: config.secretsKey,
  });
  app.decorate('objectStorage', storage);
  if (storage instanceof LocalObjectStorage) await app.register(storageUploadRoutes, { storage });

  const box = new SecretBox(config.secretsKey);
  const accounts = new ConnectorAccountsRepository(db);
  const connectors = new ConnectorsService({ db, jobs, accounts, box, spotify: config.spotify });
  await app.register(connectorsRoutes, { connectors });

  const { clientId, clientSecret, accountsUrl, apiUrl } = config.spotify;
  jobs.define({
    name: SPOTIFY_INGEST_QUEUE,
    // One run per member at a time, and at most one more waiting (a reconnect during a sync).
    // Transient failures (Spotify or storage down, rate limits beyond what a run waits out) retry
    // with exponential backoff: 30 s, 60 s, 120 s, …
    options: { policy: 'stately', retryLimit: 4, retryDelay: 30, retryBackoff: true, expireInSeconds: 1800 },
    handler: async (data) => {
      const memberId = typeof data.memberId === 'string' ? data.memberId : null;
      if (!memberId) throw new Error('spotify_ingest job without a memberId');
      // Connectors off (docs/privacy.md): a sync queued before the opt-out, or after a reconnect, never runs.
      if (!(await accounts.sharesConnectors(memberId))) {
        log.info({ memberId }, 'spotify import skipped: the member does not share connector data');
        return;
      }
      if (!clientId || !clientSecret) {
        await accounts.failSync(memberId, 'spotify', 'spotify: the Spotify connector is not configured on this server');
        return;
      }
      const ingest = new SpotifyIngest({
        db,
        jobs,
        accounts,
        box,
        client: new SpotifyClient({ clientId, clientSecret, accountsUrl, apiUrl }),
        storage,
        matcher: new TrackMatcher(db),
        memberChanges,
        log,
      });
      try {
        const counts = await ingest.run(memberId);
        log.info({ memberId, counts }, 'spotify import finished');
      } catch (error) {
        // The member sees a message written for them; anything unexpected is logged, never shown.
        const failure =
          error instanceof SyncFailure
            ? error
            : new SyncFailure('spotify: the import failed unexpectedly; it will be retried', false);
        if (failure !== error) log.error({ err: error, memberId }, 'spotify import failed');
        else log.warn({ memberId, reason: failure.message }, 'spotify import failed');
        await accounts.failSync(memberId, 'spotify', failure.message);
        if (!failure.permanent) throw error;
      }
    },
  });
};
