// Autocomplete latency on the 50k-work sample catalogue (aim: p95 ≤ 20 ms on Postgres), measured
// through the real route with app.inject: prefixes of 2–12 characters, whole titles in lower case and
// titles with one typo, as people type them into a search box.
import { mintLocalToken } from '../../server/auth/tokens.js';
import { addTypo } from '../../server/offline/evaluation/canonicalise-eval.js';
import {
  DEFAULT_GENERATED_WORKS,
  sampleCatalogue,
  seedSampleCatalogue,
} from '../../server/offline/catalogue/sample-catalogue.js';
import { seededRandom } from '../../server/lib/seeded-random.js';
import { measureOnEachDatabase } from './bench-app.js';
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
  const results = await measureOnEachDatabase(
    {
      postgresUrl: options.postgresUrl,
      name: 'media',
      env: { SDE_JOBS: 'off' },
      seed: async (db) => {
        const seedMs = await timed(() => seedSampleCatalogue(db, { generated }));
        await db.query('ANALYZE media; ANALYZE media_titles');
        return { seedMs };
      },
    },
    async ({ kind, config, app, seeded }) => {
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
      return {
        driver: kind,
        works: generated + sampleCatalogue(0).length,
        seedMs: Math.round(seeded.seedMs),
        queries: queries.length,
        searchMs: summarise(samples),
        targetP95Ms: kind === 'postgres' ? 20 : null,
      };
    },
  );
  return { results };
}
