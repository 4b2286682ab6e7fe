// `npm run bench -- candidates`: GET /api/v2/discovery/candidates?k=50 under fixed request rates on a
// seeded population (default 100,000 members), on PGlite and on Postgres. Each step drives the real
// endpoint over loopback HTTP with autocannon, every request from a different member (so the 30 s memo
// never answers), then drives the same taste ANN query from a bare client at the same rate and
// concurrency as the baseline; "max" steps drive both flat out to compare throughput. HNSW recall@k
// is measured against an exact scan on the same data.
// Targets (Postgres, k = 50, 100k members): 500 req/s with p95 ≤ 30 ms, endpoint throughput ≥ 0.8 × the
// bare query's, recall@50 ≥ 0.95.
import { randomBytes } from 'node:crypto';
import { mintLocalToken } from '../../server/auth/tokens.js';
import { loadConfig } from '../../server/config/config.js';
import { efSearchFor } from '../../server/retrieval/candidates.repository.js';
import { firstFetchFor } from '../../server/retrieval/candidates.service.js';
import { PopulationHost } from './population-client.js';
import type { HostStart } from './population-host.js';
import type { RateDriverResult } from './rate-driver.js';
import { loadHttp } from './http-load.js';
import { summarise, type LatencySummary } from './stats.js';
import { formatTable } from './table.js';

export interface CandidatesBenchOptions {
  postgresUrl?: string;
  members?: number;
  durationSeconds?: number;
}

const K = 50;
const RATES: Array<number | null> = [100, 250, 500, null];
/** Enough lanes in flight for 500 req/s at ~30 ms each, with headroom. */
const CONNECTIONS = 16;
const RECALL_VIEWERS = 200;
/** What the candidates service asks the ANN for on a first fetch of k, and the ef_search it sets. */
const FIRST_FETCH = firstFetchFor(K);
const EF_SEARCH = efSearchFor(FIRST_FETCH);
const TARGETS = { rate: 500, p95Ms: 30, throughputRatio: 0.8, recall: 0.95 };

interface Step {
  driver: string;
  load: 'endpoint' | 'bare query';
  targetRate: number | null;
  achievedRate: number;
  latencyMs: LatencySummary;
  errors: number;
}

export async function runCandidatesBench(options: CandidatesBenchOptions): Promise<Record<string, unknown>> {
  const members = options.members ?? 100_000;
  const durationSeconds = options.durationSeconds ?? 10;
  const drivers: HostStart['driver'][] = options.postgresUrl ? ['pglite', 'postgres'] : ['pglite'];
  const jwtSecret = randomBytes(32).toString('hex');
  const auth = loadConfig({ SDE_JWT_SECRET: jwtSecret, LOG_LEVEL: 'silent' }).auth;
  const steps: Step[] = [];
  const recall: Record<string, unknown> = {};
  const seeding: Record<string, unknown> = {};

  for (const driver of drivers) {
    process.stderr.write(`bench candidates: seeding ${members} members on ${driver}…\n`);
    const host = await PopulationHost.start({ driver, postgresUrl: options.postgresUrl, members, jwtSecret });
    try {
      seeding[driver] = host.seed;
      recall[driver] = await host.call({
        type: 'recall',
        k: K,
        efSearch: [K, EF_SEARCH],
        viewers: host.viewers.slice(0, RECALL_VIEWERS),
      });
      // Every endpoint request comes from a member not asked before in this run.
      let nextViewer = RECALL_VIEWERS;
      const tokens = new Map<string, string>();
      const prepareTokens = async (count: number) => {
        const ids = host.viewers.slice(nextViewer, nextViewer + count);
        for (const id of ids) tokens.set(id, await mintLocalToken(auth, { subject: id, role: 'member' }));
        return ids;
      };
      const runEndpoint = async (rate: number | null, seconds: number) => {
        const ids = await prepareTokens(Math.min(host.viewers.length - nextViewer, (rate ?? 1500) * seconds * 1.2));
        nextViewer += ids.length;
        return loadHttp({
          url: `http://127.0.0.1:${host.port}`,
          rate,
          connections: CONNECTIONS,
          durationSeconds: seconds,
          request: (n) => ({
            path: `/api/v2/discovery/candidates?k=${K}`,
            headers: { authorization: `Bearer ${tokens.get(ids[n % ids.length]!)!}` },
          }),
        });
      };
      await runEndpoint(100, 3); // warm-up: JIT, connection pools, buffer cache
      for (const rate of RATES) {
        process.stderr.write(`bench candidates: ${driver} at ${rate ?? 'max'} req/s…\n`);
        const endpoint = await runEndpoint(rate, durationSeconds);
        steps.push({
          driver,
          load: 'endpoint',
          targetRate: rate,
          achievedRate: round(endpoint.achievedRate),
          latencyMs: summarise(endpoint.latenciesMs),
          errors: endpoint.errors + endpoint.non2xx + endpoint.timeouts,
        });
        const bare = await host.call<RateDriverResult>({
          type: 'baseline',
          rate,
          connections: CONNECTIONS,
          durationMs: durationSeconds * 1000,
          limit: FIRST_FETCH,
          efSearch: EF_SEARCH,
          viewers: host.viewers.slice(RECALL_VIEWERS),
        });
        steps.push({
          driver,
          load: 'bare query',
          targetRate: rate,
          achievedRate: round(bare.achievedRate),
          latencyMs: summarise(bare.latenciesMs),
          errors: bare.errors,
        });
      }
    } finally {
      await host.stop();
    }
  }

  process.stderr.write(
    `\ncandidates, k=${K}, ${members} members, ${CONNECTIONS} connections, ${durationSeconds} s per step\n`,
  );
  process.stderr.write(
    formatTable(
      ['driver', 'load', 'target req/s', 'achieved req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors'],
      steps.map((step) => [
        step.driver,
        step.load,
        step.targetRate ?? 'max',
        step.achievedRate,
        step.latencyMs.p50,
        step.latencyMs.p95,
        step.latencyMs.p99,
        step.errors,
      ]),
    ) + '\n',
  );
  process.stderr.write(`recall@${K}: ${JSON.stringify(recall)}\n`);
  return {
    k: K,
    members,
    connections: CONNECTIONS,
    durationSeconds,
    seeding,
    recall,
    steps,
    targets: assess(steps, recall),
  };
}

function assess(steps: Step[], recall: Record<string, unknown>) {
  const on = (load: Step['load'], rate: number | null) =>
    steps.find((step) => step.driver === 'postgres' && step.load === load && step.targetRate === rate);
  const atTarget = on('endpoint', TARGETS.rate);
  const endpointMax = on('endpoint', null);
  const bareMax = on('bare query', null);
  if (!atTarget || !endpointMax || !bareMax)
    return { assessed: false, reason: 'targets are set for Postgres; no Postgres URL was given' };
  const postgresRecall = (recall.postgres as Array<{ efSearch: number; recall: number }>).find(
    (entry) => entry.efSearch === EF_SEARCH,
  )!.recall;
  const throughputRatio = endpointMax.achievedRate / bareMax.achievedRate;
  return {
    assessed: true,
    sustained500: {
      achievedRate: atTarget.achievedRate,
      p95Ms: atTarget.latencyMs.p95,
      met: atTarget.achievedRate >= 0.98 * TARGETS.rate && atTarget.latencyMs.p95 <= TARGETS.p95Ms,
    },
    throughputVsBare: { ratio: round(throughputRatio), met: throughputRatio >= TARGETS.throughputRatio },
    recallAtK: { efSearch: EF_SEARCH, recall: round(postgresRecall, 4), met: postgresRecall >= TARGETS.recall },
  };
}

function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
