// `npm run bench -- slate` and `-- why`: the whole pipeline and its explanations under load, on a
// seeded population (default 100,000 members) with a live model trained on generated feedback — on
// Postgres when a URL is given (the targets are set there), else on PGlite.
//   slate: GET /api/v2/discovery/slate?limit=20 (200 candidates) at 50, 100 and 200 req/s, every request
//          from a different member, beside the candidates-only endpoint (k = 200) at the same rates as
//          the baseline; then each stage's share of the time from the slates' own timings.
//          Target: p95 ≤ 50 ms at 200 req/s.
//   why:   GET /api/v2/discovery/why/:targetId for pairs from real slates, first uncached, then cached
//          under load at 200 req/s. Target: cached p95 ≤ 20 ms.
import { randomBytes } from 'node:crypto';
import type { SlateResponse } from '../../shared/schemas/slate.js';
import { mintLocalToken } from '../../server/auth/tokens.js';
import { loadConfig } from '../../server/config/config.js';
import { loadHttp } from './http-load.js';
import { sharedHost, type PopulationHost } from './population-client.js';
import { summarise, timed } from './stats.js';
import { formatTable } from './table.js';

export interface PipelineBenchOptions {
  postgresUrl?: string;
  members?: number;
  durationSeconds?: number;
}

const SLATE_RATES = [50, 100, 200];
const WHY_RATE = 200;
const CONNECTIONS = 16;
const STAGE_SAMPLES = 100;
const WHY_PAIRS = 200;
const TARGETS = { slateRate: 200, slateP95Ms: 50, whyP95Ms: 20 };
const STAGES = ['retrieveMs', 'featuresMs', 'rankMs', 'safetyMs', 'diversityMs', 'parityMs', 'logMs'] as const;

/** One secret per process, so hosts shared between the two benchmarks accept the same tokens. */
const JWT_SECRET = randomBytes(32).toString('hex');
const auth = loadConfig({ SDE_JWT_SECRET: JWT_SECRET, LOG_LEVEL: 'silent' }).auth;

async function pipelineHost(options: PipelineBenchOptions) {
  const driver = options.postgresUrl ? 'postgres' : 'pglite';
  const members = options.members ?? 100_000;
  process.stderr.write(`bench: ${members} members with a live model on ${driver} (seeded once per run)…\n`);
  const host = await sharedHost({
    driver,
    postgresUrl: options.postgresUrl,
    members,
    jwtSecret: JWT_SECRET,
    liveModel: true,
  });
  return { driver, members, host };
}

/** Hands out members not used before in this process, with their tokens. */
class Viewers {
  private next = 0;
  constructor(private readonly host: PopulationHost) {}

  async take(count: number): Promise<Array<{ id: string; token: string }>> {
    const ids = this.host.viewers.slice(this.next, this.next + count);
    this.next += ids.length;
    return Promise.all(
      ids.map(async (id) => ({ id, token: await mintLocalToken(auth, { subject: id, role: 'member' }) })),
    );
  }
}

const viewersOf = new WeakMap<PopulationHost, Viewers>();
function viewers(host: PopulationHost): Viewers {
  let pool = viewersOf.get(host);
  if (!pool) viewersOf.set(host, (pool = new Viewers(host)));
  return pool;
}

async function load(host: PopulationHost, path: string, rate: number, seconds: number) {
  const people = await viewers(host).take(Math.ceil(rate * seconds * 1.2));
  const result = await loadHttp({
    url: `http://127.0.0.1:${host.port}`,
    rate,
    connections: CONNECTIONS,
    durationSeconds: seconds,
    request: (n) => ({ path, headers: { authorization: `Bearer ${people[n % people.length]!.token}` } }),
  });
  return {
    achievedRate: Math.round(result.achievedRate * 10) / 10,
    latencyMs: summarise(result.latenciesMs),
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

async function getJson<T>(host: PopulationHost, path: string, token: string): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${host.port}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function runSlateBench(options: PipelineBenchOptions): Promise<Record<string, unknown>> {
  const { driver, members, host } = await pipelineHost(options);
  const seconds = options.durationSeconds ?? 10;
  await load(host, '/api/v2/discovery/slate?limit=20', 50, 3); // warm-up
  const steps: Array<Record<string, unknown> & { endpoint: string; targetRate: number }> = [];
  for (const rate of SLATE_RATES) {
    process.stderr.write(`bench slate: ${rate} req/s…\n`);
    steps.push({
      endpoint: 'slate',
      targetRate: rate,
      ...(await load(host, '/api/v2/discovery/slate?limit=20', rate, seconds)),
    });
    steps.push({
      endpoint: 'candidates k=200',
      targetRate: rate,
      ...(await load(host, '/api/v2/discovery/candidates?k=200', rate, seconds)),
    });
  }

  // Where the time goes, from the slates' own stage timings (sequential, so stages do not wait on each other).
  const totals = Object.fromEntries(STAGES.map((stage) => [stage, 0])) as Record<(typeof STAGES)[number], number>;
  let totalMs = 0;
  for (const viewer of await viewers(host).take(STAGE_SAMPLES)) {
    const slate = await getJson<SlateResponse>(host, '/api/v2/discovery/slate?limit=20', viewer.token);
    for (const stage of STAGES) totals[stage] += slate.timings[stage];
    totalMs += slate.timings.totalMs;
  }
  const stageShares = Object.fromEntries(
    STAGES.map((stage) => [
      stage.replace(/Ms$/, ''),
      { meanMs: round(totals[stage] / STAGE_SAMPLES), share: round(totals[stage] / totalMs, 3) },
    ]),
  );

  process.stderr.write(
    `\nslate (limit 20 of 200 candidates), ${members} members on ${driver}, ${CONNECTIONS} connections, ${seconds} s per step\n`,
  );
  process.stderr.write(
    formatTable(
      ['endpoint', 'target req/s', 'achieved req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors'],
      steps.map((step) => {
        const latency = step.latencyMs as ReturnType<typeof summarise>;
        return [
          step.endpoint,
          step.targetRate,
          step.achievedRate as number,
          latency.p50,
          latency.p95,
          latency.p99,
          step.errors as number,
        ];
      }),
    ) + '\n',
  );
  process.stderr.write(
    formatTable(
      ['stage', 'mean ms', 'share of slate time'],
      Object.entries(stageShares).map(([stage, value]) => [stage, value.meanMs, value.share]),
    ) + '\n',
  );
  const atTarget = steps.find((step) => step.endpoint === 'slate' && step.targetRate === TARGETS.slateRate)!;
  const latency = atTarget.latencyMs as ReturnType<typeof summarise>;
  return {
    driver,
    members,
    model: host.seed.model,
    durationSeconds: seconds,
    steps,
    stageShares,
    targets: {
      driverForTargets: 'postgres',
      slateAt200: {
        achievedRate: atTarget.achievedRate,
        p95Ms: latency.p95,
        met:
          driver === 'postgres' &&
          (atTarget.achievedRate as number) >= 0.98 * TARGETS.slateRate &&
          latency.p95 <= TARGETS.slateP95Ms,
      },
    },
  };
}

export async function runWhyBench(options: PipelineBenchOptions): Promise<Record<string, unknown>> {
  const { driver, members, host } = await pipelineHost(options);
  const seconds = options.durationSeconds ?? 10;
  // Pairs from real slates: each viewer and the first member of their slate.
  const pairs: Array<{ token: string; targetId: string }> = [];
  for (const viewer of await viewers(host).take(WHY_PAIRS * 2)) {
    if (pairs.length >= WHY_PAIRS) break;
    const slate = await getJson<SlateResponse>(host, '/api/v2/discovery/slate?limit=5', viewer.token);
    if (slate.slate[0]) pairs.push({ token: viewer.token, targetId: slate.slate[0].userId });
  }
  const uncached: number[] = [];
  for (const pair of pairs) {
    uncached.push(
      await timed(() => getJson(host, `/api/v2/discovery/why/${encodeURIComponent(pair.targetId)}`, pair.token)),
    );
  }
  process.stderr.write(`bench why: ${WHY_RATE} req/s over ${pairs.length} cached pairs…\n`);
  const cached = await loadHttp({
    url: `http://127.0.0.1:${host.port}`,
    rate: WHY_RATE,
    connections: CONNECTIONS,
    durationSeconds: seconds,
    request: (n) => {
      const pair = pairs[n % pairs.length]!;
      return {
        path: `/api/v2/discovery/why/${encodeURIComponent(pair.targetId)}`,
        headers: { authorization: `Bearer ${pair.token}` },
      };
    },
  });
  const cachedLatency = summarise(cached.latenciesMs);
  const uncachedLatency = summarise(uncached);
  process.stderr.write(`\nwhy, ${members} members on ${driver}, ${pairs.length} pairs from real slates\n`);
  process.stderr.write(
    formatTable(
      ['load', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors'],
      [
        [
          'uncached, sequential',
          round(1000 / uncachedLatency.mean),
          uncachedLatency.p50,
          uncachedLatency.p95,
          uncachedLatency.p99,
          0,
        ],
        [
          `cached at ${WHY_RATE} req/s`,
          round(cached.achievedRate),
          cachedLatency.p50,
          cachedLatency.p95,
          cachedLatency.p99,
          cached.errors + cached.non2xx + cached.timeouts,
        ],
      ],
    ) + '\n',
  );
  return {
    driver,
    members,
    pairs: pairs.length,
    uncachedMs: uncachedLatency,
    cached: {
      targetRate: WHY_RATE,
      achievedRate: round(cached.achievedRate),
      latencyMs: cachedLatency,
      errors: cached.errors + cached.non2xx + cached.timeouts,
    },
    targets: {
      cachedP95: { p95Ms: cachedLatency.p95, met: driver === 'postgres' && cachedLatency.p95 <= TARGETS.whyP95Ms },
    },
  };
}

function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
