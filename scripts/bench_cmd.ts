// `npm run bench -- [name ...] [--postgres URL] [--out FILE] [--members N] [--duration SECONDS]`: runs
// the named benchmarks (all when none are named) on PGlite and, given a Postgres server, on Postgres
// too, and writes one JSON report. `--members` / `--duration` size the population benchmarks.
// Benchmarks measure; they never fail on time.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runCandidatesBench } from './bench/candidates.bench.js';
import { runDurabilityBench } from './bench/durability.bench.js';
import { runDwellRefreshBench } from './bench/dwell-refresh.bench.js';
import { runEmbeddingsBench } from './bench/embeddings.bench.js';
import { runMediaSearchBench } from './bench/media-search.bench.js';
import { stopSharedHosts } from './bench/population-client.js';
import { runPrivacyBench } from './bench/privacy.bench.js';
import { runRankerBench } from './bench/ranker.bench.js';
import { runReembedBench } from './bench/reembed.bench.js';
import { runSlateBench, runWhyBench } from './bench/slate.bench.js';

interface BenchOptions {
  postgresUrl?: string;
  members?: number;
  durationSeconds?: number;
}
type Bench = (options: BenchOptions) => Promise<Record<string, unknown>>;

const BENCHES: Record<string, Bench> = {
  candidates: runCandidatesBench,
  durability: () => runDurabilityBench(),
  'dwell-refresh': ({ postgresUrl, members }) =>
    runDwellRefreshBench({ postgresUrl, ...(members !== undefined ? { members: [members] } : {}) }),
  embeddings: () => runEmbeddingsBench(),
  'media-search': runMediaSearchBench,
  privacy: ({ postgresUrl }) => runPrivacyBench({ postgresUrl }),
  ranker: runRankerBench,
  reembed: ({ postgresUrl, members }) => runReembedBench({ postgresUrl, members }),
  slate: runSlateBench,
  why: runWhyBench,
};

const { values, positionals } = parseArgs({
  options: {
    postgres: { type: 'string' },
    out: { type: 'string' },
    members: { type: 'string' },
    duration: { type: 'string' },
  },
  allowPositionals: true,
});
const names = positionals.length > 0 ? positionals : Object.keys(BENCHES);
const unknown = names.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}\n`);
  process.exit(2);
}
const postgresUrl = values.postgres ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
const out = path.resolve(values.out ?? '.bench/report.json');
const members = positiveInteger('--members', values.members);
const durationSeconds = positiveInteger('--duration', values.duration);

const report: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  commit: gitCommit(),
  machine: {
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  },
  drivers: postgresUrl ? ['pglite', 'postgres'] : ['pglite'],
  benchmarks: {},
};
for (const name of names) {
  process.stderr.write(`bench: ${name}…\n`);
  const result = await BENCHES[name]!({ postgresUrl, members, durationSeconds });
  (report.benchmarks as Record<string, unknown>)[name] = result;
  process.stdout.write(`${name}: ${JSON.stringify(result, null, 2)}\n`);
}
await stopSharedHosts();
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
process.stderr.write(`bench: report written to ${out}\n`);

function positiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    process.stderr.write(`bench: ${flag} must be a positive integer, got "${value}"\n`);
    process.exit(2);
  }
  return parsed;
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}
