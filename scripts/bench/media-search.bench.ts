// Autocomplete latency on the 50k-work sample catalogue (aim: p95 ≤ 20 ms on Postgres), measured
// through the real route with app.inject: prefixes of 2–12 characters, whole titles in lower case and
// titles with one typo, as people type them into a search box.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../../server/app.js';
import { mintLocalToken } from '../../server/auth/tokens.js';
import { loadConfig } from '../../server/config/config.js';
import { addTypo } from '../../server/offline/evaluation/canonicalise-eval.js';
import {
  DEFAULT_GENERATED_WORKS,
  sampleCatalogue,
  seedSampleCatalogue,
} from '../../server/offline/catalogue/sample-catalogue.js';
import { seededRandom } from '../../server/lib/seeded-random.js';
import { benchDatabases } from './bench-databases.js';
import { summarise, timed } from './stats.js';

export interface MediaSearchBenchOptions {
  postgresUrl?: string;
  /** Generated works on top of the curated ones (default 50,000). */
  generated?: number;
  queries?: number;
}

/** Deterministic realistic queries: prefixes, lower-case titles, one-typo titles. */
export function searchQueries(count: number, generated: number): string[] {
  const works = sampleCatalogue(generated);
  const random = seededRandom(2049);
  const queries: string[] = [];
  while (queries.length < count) {
    const title = random.pick(works).title;
    switch (random.int(3)) {
      case 0:
        queries.push(title.slice(0, 2 + random.int(11)));
        break;
      case 1:
        queries.push(title.toLowerCase());
        break;
      default:
        queries.push(addTypo(title, random) ?? title);
    }
  }
  return queries;
}

export async function runMediaSearchBench(options: MediaSearchBenchOptions = {}): Promise<Record<string, unknown>> {
  const generated = options.generated ?? DEFAULT_GENERATED_WORKS;
  const queries = searchQueries(options.queries ?? 500, generated);
  const results: Record<string, unknown>[] = [];
  for (const { kind, open } of benchDatabases(options.postgresUrl)) {
    const bench = await open();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sde-bench-media-'));
    try {
      const seedMs = await timed(() => seedSampleCatalogue(bench.db, { generated }));
      await bench.db.query('ANALYZE media; ANALYZE media_titles');
      const config = loadConfig({
        SDE_DATA_DIR: dataDir,
        SDE_JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123456789',
        LOG_LEVEL: 'silent',
        SDE_JOBS: 'off',
      });
      const app = await buildApp(config, { database: bench.db });
      try {
        const headers = {
          authorization: `Bearer ${await mintLocalToken(config.auth, { subject: 'bench', role: 'member' })}`,
        };
        const search = async (q: string) => {
          const response = await app.inject({
            method: 'GET',
            url: `/api/v2/media/search?q=${encodeURIComponent(q)}&limit=10`,
            headers,
          });
          if (response.statusCode !== 200)
            throw new Error(`search "${q}" answered ${response.statusCode}: ${response.body}`);
        };
        for (const q of queries.slice(0, 20)) await search(q); // warm-up
        const samples: number[] = [];
        for (const q of queries) samples.push(await timed(() => search(q)));
        results.push({
          driver: kind,
          works: generated + sampleCatalogue(0).length,
          seedMs: Math.round(seedMs),
          queries: queries.length,
          searchMs: summarise(samples),
          targetP95Ms: kind === 'postgres' ? 20 : null,
        });
      } finally {
        await app.close();
      }
    } finally {
      await bench.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return { results };
}
