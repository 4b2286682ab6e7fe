// How long the 5-minute `user_dwell_avg` refresh takes on the demo population (target: < 1 s on
// sample data), measured as the scheduled job runs it: REFRESH MATERIALIZED VIEW CONCURRENTLY.
import { DwellRepository } from '../../server/behaviour/dwell.repository.js';
import { loadDemoPopulation } from '../../server/offline/demo/demo-population.js';
import { benchDatabases } from './bench-databases.js';
import { summarise, timed } from './stats.js';

export interface DwellRefreshBenchOptions {
  postgresUrl?: string;
  /** Population sizes to measure; the demo population is 3,000. */
  members?: number[];
  refreshes?: number;
}

export async function runDwellRefreshBench(options: DwellRefreshBenchOptions): Promise<Record<string, unknown>> {
  const sizes = options.members ?? [3_000, 20_000];
  const refreshes = options.refreshes ?? 7;
  const results: Record<string, unknown>[] = [];
  for (const { kind, open } of benchDatabases(options.postgresUrl)) {
    for (const members of sizes) {
      const bench = await open();
      try {
        const loaded = await loadDemoPopulation(bench.db, members);
        const dwell = new DwellRepository(bench.db);
        await dwell.refresh(); // warm-up
        const samples: number[] = [];
        for (let i = 0; i < refreshes; i++) samples.push(await timed(() => dwell.refresh()));
        const { rows } = await bench.db.query<{ rows: number }>('SELECT count(*)::int AS rows FROM user_dwell_avg');
        results.push({
          driver: kind,
          members,
          scrollEvents: loaded.scrollEvents,
          viewRows: rows[0]?.rows ?? 0,
          refreshMs: summarise(samples),
          targetMs: 1000,
        });
      } finally {
        await bench.dispose();
      }
    }
  }
  return { results };
}
