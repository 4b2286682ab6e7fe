// Upstream failures only ever fail a metadata_fetch job: a 500 or a timeout is retried by the job
// queue with backoff and the later success is merged, while the operator's request that queued it was
// answered at once. Runs the module's real service and queue on each database with short retry delays
// (the app's own are tens of seconds) and a short upstream timeout.
import { rmSync } from 'node:fs';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../server/config/config.js';
import { migrate } from '../../server/db/migrations.js';
import { buildRepositories } from '../../server/composition/repositories.js';
import { buildMetadataService } from '../../server/composition/services.js';
import { JobQueue } from '../../server/jobs/job-queue.js';
import { Queues } from '../../server/jobs/queues.js';
import { metadataFetchWorker } from '../../server/metadata/metadata.queue.js';
import type { MetadataService } from '../../server/metadata/metadata.service.js';
import { databaseKinds, openScratchDatabase, type ScratchDatabase } from '../support/databases.js';
import {
  API_FIXTURES_DIR,
  metadataFixturesPresent,
  SAMPLE_IDS,
  startFakeMetadataApis,
  type FakeMetadataApis,
} from '../support/fake-metadata-apis.js';
import { testConfig } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const FILM = SAMPLE_IDS.imdb;
const BOOK = `ol:${SAMPLE_IDS.openLibraryWork}`;
const RECORDING = `mb:recording:${SAMPLE_IDS.recording}`;

describe.skipIf(!metadataFixturesPresent)(`metadata job retries (samples from ${API_FIXTURES_DIR})`, () => {
  describe.each(databaseKinds)('[%s]', (kind) => {
    let scratch: ScratchDatabase;
    let fake: FakeMetadataApis;
    let jobs: JobQueue;
    let service: MetadataService;
    let dataDir: string | undefined;

    async function jobOf(mediaId: string) {
      const { rows } = await scratch.db.query<{ state: string; retry_count: number }>(
        `SELECT state::text AS state, retry_count FROM pgboss.job WHERE name = $1 AND singleton_key = $2`,
        [Queues.metadataFetch, mediaId],
      );
      return rows[0];
    }

    beforeAll(async () => {
      fake = await startFakeMetadataApis();
      scratch = await openScratchDatabase(kind);
      await migrate(scratch.db);
      const base = testConfig();
      dataDir = base.dataDir;
      const config: Config = { ...base, metadata: fake.metadataConfig(base.metadata) };
      const log = Fastify({ logger: false }).log;
      jobs = new JobQueue(scratch.db, { runWorkers: true, cronCheckSeconds: 30, pollingSeconds: 0.5 }, log);
      service = buildMetadataService(
        { config, db: scratch.db, jobs, repositories: buildRepositories(scratch.db) },
        { timeoutMs: 300 },
      );
      jobs.define(metadataFetchWorker(service, log, { retryLimit: 4, retryDelay: 1, expireInSeconds: 30 }));
      await jobs.start();
      await scratch.db.query(
        `INSERT INTO media (id, kind, title) VALUES
           ($1, 'film', 'Fight Club'), ($2, 'book', 'Montana water law'), ($3, 'recording', 'Thinking Out Loud')`,
        [FILM, BOOK, RECORDING],
      );
    });
    afterAll(async () => {
      await jobs?.stop();
      await scratch?.dispose();
      await fake?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('retries after upstream 500s and merges the later success', async () => {
      fake.failNext('/openlibrary/works/', 2, 'http500');
      const queued = await service.requestRefresh([BOOK]);
      expect(queued.enqueued).toBe(1);
      const job = await waitFor(
        async () => {
          const found = await jobOf(BOOK);
          return found?.state === 'completed' ? found : undefined;
        },
        40_000,
        'the book job to complete',
      );
      expect(job.retry_count).toBe(2);
      expect(fake.count('/openlibrary/works/')).toBe(3);
      const merged = await service.get(BOOK);
      expect(merged.year).toBe(1978);
      expect(merged.metadata.sources?.openlibrary?.outcome).toBe('merged');
    });

    it('retries after an upstream timeout and merges the later success', async () => {
      fake.failNext('/tmdb/find/', 1, 'hang');
      await service.requestRefresh([FILM]);
      const job = await waitFor(
        async () => {
          const found = await jobOf(FILM);
          return found?.state === 'completed' ? found : undefined;
        },
        40_000,
        'the film job to complete',
      );
      expect(job.retry_count).toBe(1);
      expect((await service.get(FILM)).year).toBe(1999);
    });

    it('leaves the catalogue readable while a source keeps failing', async () => {
      fake.failNext('/musicbrainz/recording/', 100, 'http500');
      await service.requestRefresh([RECORDING]);
      await waitFor(
        async () => {
          const found = await jobOf(RECORDING);
          return found && found.retry_count >= 1 ? found : undefined;
        },
        40_000,
        'the recording job to be retried',
      );
      const job = await jobOf(RECORDING);
      expect(job?.state).not.toBe('completed');
      const row = await service.get(RECORDING);
      expect(row).toMatchObject({ title: 'Thinking Out Loud', year: null, metadata: {} });
    });
  });
});
