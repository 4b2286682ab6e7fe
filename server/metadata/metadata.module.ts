// The metadata module: the `metadata_fetch` queue that merges TMDb, MusicBrainz and Open Library
// records into the catalogue (the service and its cached fetchers are built in
// server/composition/services.ts), and the operators' routes.
import type { RegisterModule } from '../module-context.js';
import { metadataFetchWorker } from './metadata.queue.js';
import { metadataRoutes } from './metadata.route.js';

export const registerMetadataModule: RegisterModule<'metadata' | 'jobs' | 'log'> = async (
  app,
  { metadata, jobs, log },
) => {
  jobs.define(metadataFetchWorker(metadata, log));
  await app.register(metadataRoutes, { metadata });
};
