// Proves the data folder is private to the user running the engine and that generated keys live
// outside it: after a real start every entry below SDE_DATA_DIR has no group or other permission bits
// (PGlite's files used to be 0666/0644), a world-readable folder from an older version is fixed on
// start, the old in-folder secrets move to the key folder, and a key file others may read is refused.
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, processSandbox, runScript, startServer } from '../support/processes.js';

const SECRET = 'process-test-secret-0123456789-abcdefghijklmnop';
const KEY = Buffer.alloc(32, 5).toString('base64');

/** Every path below `dir` (itself included) with its permission bits, symbolic links skipped. */
function modesBelow(dir: string): Array<{ path: string; mode: number }> {
  const found: Array<{ path: string; mode: number }> = [];
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    const stats = lstatSync(current);
    if (stats.isSymbolicLink()) continue;
    found.push({ path: current, mode: stats.mode & 0o777 });
    if (stats.isDirectory()) for (const name of readdirSync(current)) pending.push(path.join(current, name));
  }
  return found;
}

function openToOthers(dir: string): string[] {
  return modesBelow(dir)
    .filter((entry) => (entry.mode & 0o077) !== 0)
    .map((entry) => `${entry.mode.toString(8)} ${path.relative(dir, entry.path) || '.'}`);
}

async function startAndStop(env: Record<string, string>): Promise<void> {
  const server = await startServer({ env: { SDE_DEMO_MEMBERS: '0', ...env }, port: await freePort() });
  server.child.signal('SIGTERM');
  expect(await server.child.waitForExit(20_000), server.child.describe()).toEqual({ code: 0, signal: null });
}

describe('the data folder [pglite]', () => {
  const sandbox = processSandbox();

  it(
    'why: the PGlite data folder was world-readable: after start nothing below it is open to group or other',
    {
      timeout: 120_000,
    },
    async () => {
      const dataDir = path.join(sandbox.dir, 'fresh', '.sde-data');
      await startAndStop({ SDE_DATA_DIR: dataDir });
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(modesBelow(dataDir).length).toBeGreaterThan(500);
      expect(openToOthers(dataDir)).toEqual([]);
      // The generated keys are beside the data folder, not in it.
      const keys = path.join(sandbox.dir, 'fresh', '.sde-keys');
      expect(statSync(keys).mode & 0o777).toBe(0o700);
      for (const name of ['secrets-key', 'jwt-secret']) {
        expect(statSync(path.join(keys, name)).mode & 0o777).toBe(0o600);
        expect(existsSync(path.join(dataDir, name))).toBe(false);
      }
      expect(modesBelow(dataDir).filter((entry) => /secrets-key|jwt-secret/.test(path.basename(entry.path)))).toEqual(
        [],
      );
    },
  );

  it(
    'why: an existing world-readable folder stayed open: a start fixes it and moves its keys out',
    {
      timeout: 120_000,
    },
    async () => {
      const dataDir = path.join(sandbox.dir, 'old', 'data');
      await startAndStop({ SDE_DATA_DIR: dataDir, SDE_JWT_SECRET: SECRET, SDE_SECRETS_KEY: KEY });
      // What an older version left behind: everything open, the key in the data folder.
      for (const entry of modesBelow(dataDir))
        chmodSync(entry.path, statSync(entry.path).isDirectory() ? 0o777 : 0o666);
      writeFileSync(path.join(dataDir, 'secrets-key'), KEY + '\n', { mode: 0o644 });
      mkdirSync(path.join(dataDir, 'storage', 'raw'), { recursive: true, mode: 0o777 });
      writeFileSync(path.join(dataDir, 'storage', 'raw', 'page.json'), '{}', { mode: 0o644 });
      expect(openToOthers(dataDir).length).toBeGreaterThan(500);

      await startAndStop({ SDE_DATA_DIR: dataDir, SDE_JWT_SECRET: SECRET });
      expect(openToOthers(dataDir)).toEqual([]);
      expect(existsSync(path.join(dataDir, 'secrets-key'))).toBe(false);
      const moved = path.join(sandbox.dir, 'old', 'data-keys', 'secrets-key');
      expect(readFileSync(moved, 'utf8').trim()).toBe(KEY);
      expect(statSync(moved).mode & 0o777).toBe(0o600);
    },
  );

  it('why: a key file others may read was accepted: SDE_SECRETS_KEY_FILE with mode 0644 stops the start', async () => {
    const file = path.join(sandbox.dir, 'shared.key');
    writeFileSync(file, KEY + '\n');
    chmodSync(file, 0o644);
    const result = await runScript('server/main.ts', [], {
      SDE_DATA_DIR: path.join(sandbox.dir, 'refused'),
      SDE_SECRETS_KEY_FILE: file,
      SDE_JWT_SECRET: SECRET,
      PORT: '0',
    });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/^sde: invalid configuration: SDE_SECRETS_KEY_FILE: .*shared\.key.*0644/m);
    expect(result.stderr).not.toContain(KEY);

    chmodSync(file, 0o600);
    await startAndStop({
      SDE_DATA_DIR: path.join(sandbox.dir, 'accepted'),
      SDE_SECRETS_KEY_FILE: file,
      SDE_JWT_SECRET: SECRET,
    });
    expect(existsSync(path.join(sandbox.dir, 'accepted-keys', 'secrets-key'))).toBe(false);
  });
});
