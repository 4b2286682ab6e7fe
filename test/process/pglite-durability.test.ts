// Proves an acknowledged PGlite commit is fsynced: PGlite starts Postgres with fsync off and its
// Emscripten file system turns fsync/fdatasync into no-ops, so commits survived kill -9 but not a power
// cut. The driver's settings are checked directly; where strace is available, the fsync system calls
// on the WAL are counted too (one per commit at least), which is what the OS actually sees.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, nodeArgv, REPO_ROOT, removeDir, runScript } from '../support/processes.js';

const FIXTURE = 'test/process/fixtures/pglite-commits.ts';
const COMMITS = 40;

/** strace can trace a child here (installed, and ptrace allowed in this container); null otherwise. */
function straceProblem(): string | null {
  try {
    execFileSync('strace', ['-f', '-qq', '-e', 'trace=fsync', '-o', '/dev/null', 'true'], { stdio: 'ignore' });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

describe('PGlite durability', () => {
  let root: string;
  beforeAll(() => {
    root = makeTempDir();
  });
  afterAll(() => removeDir(root));

  it('why: PGlite issued no fsync for acknowledged commits: the driver runs with fsync on, via fsync()', async () => {
    const result = await runScript(FIXTURE, [path.join(root, 'settings'), '1'], {});
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.split('\n')[0]!)).toEqual({
      fsync: 'on',
      // fdatasync is an empty stub in Emscripten; fsync reaches the driver's fs.fsyncSync.
      wal_sync_method: 'fsync',
      synchronous_commit: 'on',
    });
  });

  const problem = straceProblem();
  it.skipIf(problem !== null)(
    `why: PGlite issued no fsync over ${COMMITS} acknowledged commits: the OS sees one WAL fsync per commit${
      problem ? ` (skipped: strace unusable here: ${problem.split('\n')[0]})` : ''
    }`,
    { timeout: 120_000 },
    async () => {
      const trace = path.join(root, 'strace.txt');
      const [node, ...args] = nodeArgv(FIXTURE, [path.join(root, 'traced'), String(COMMITS)]);
      execFileSync('strace', ['-f', '-qq', '-y', '-e', 'trace=fsync,fdatasync', '-o', trace, node!, ...args], {
        cwd: REPO_ROOT,
        stdio: 'ignore',
        timeout: 110_000,
      });
      const walSyncs = readFileSync(trace, 'utf8')
        .split('\n')
        .filter((line) => /f(data)?sync\(\d+<[^>]*\/pg_wal\//.test(line));
      expect(walSyncs.length).toBeGreaterThanOrEqual(COMMITS);
    },
  );
});
