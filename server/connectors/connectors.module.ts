// The connectors module: object storage's signed-upload route (local driver), the Spotify import
// endpoints and the `spotify_ingest` queue whose worker pages through saved tracks.
import { QueueContracts } from '../jobs/queues.js';
import type { RegisterModule } from '../module-context.js';
import { LocalObjectStorage } from '../storage/local-storage.js';
import { storageUploadRoutes } from '../storage/storage.route.js';
import { connectorsRoutes } from './connectors.route.js';
import { SyncFailure } from './spotify-ingest.js';

export const registerConnectorsModule: RegisterModule<
  'config' | 'jobs' | 'log' | 'objectStorage' | 'connectors' | 'spotifyIngest' | 'repositories'
> = async (app, { config, jobs, log, objectStorage, connectors, spotifyIngest, repositories }) => {
  if (objectStorage instanceof LocalObjectStorage) await app.register(storageUploadRoutes, { storage: objectStorage });
  await app.register(connectorsRoutes, { connectors });

  const accounts = repositories.connectorAccounts;
  const { clientId, clientSecret } = config.spotify;
  jobs.define({
    queue: QueueContracts.spotifyIngest,
    // One run per member at a time, and at most one more waiting (a reconnect during a sync).
    // Transient failures (Spotify or storage down, rate limits beyond what a run waits out) retry
    // with exponential backoff: 30 s, 60 s, 120 s, …
    options: { policy: 'stately', retryLimit: 4, retryDelay: 30, retryBackoff: true, expireInSeconds: 1800 },
    handler: async ({ memberId }) => {
      // Connectors off (docs/privacy.md): a sync queued before the opt-out, or after a reconnect, never runs.
      if (!(await accounts.sharesConnectors(memberId))) {
        log.info({ memberId }, 'spotify import skipped: the member does not share connector data');
        return;
      }
      if (!clientId || !clientSecret) {
        await accounts.failSync(memberId, 'spotify', 'spotify: the Spotify connector is not configured on this server');
        return;
      }
      const ingest = spotifyIngest();
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
