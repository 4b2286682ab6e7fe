// Proves an interrupted first start resumes: a server killed (kill -9, or SIGTERM, which arrives before
// the shutdown handler exists) while it loads the demo leaves the population committed and the rest
// missing; the next start must load the sample catalogue and the demo feedback it did not get to, and
// train the first ranking model. The kill lands at a logged point, right after the population's line,
// while the 50,000-work catalogue is being written. PGlite only: that is what `npm start` runs on.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mintLocalToken } from '../../server/auth/tokens.js';
import { openPglite } from '../../server/db/pglite-driver.js';
import { Child, freePort, logLines, nodeArgv, processSandbox, startServer } from '../support/processes.js';
import { waitFor } from '../support/wait-for.js';

const SECRET = 'process-test-secret-0123456789-abcdefghijklmnop';
const DEMO_MEMBERS = 200;
const POPULATION_LOADED = /"msg":"demo population loaded"/;

function envFor(dataDir: string, port: number): Record<string, string> {
  return {
    SDE_DATA_DIR: dataDir,
    SDE_JWT_SECRET: SECRET,
    SDE_DEMO_MEMBERS: String(DEMO_MEMBERS),
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
  };
}

/** Starts a server, waits for the population's log line, then interrupts it with `signal`. */
async function interruptAfterPopulation(dataDir: string, signal: 'SIGKILL' | 'SIGTERM'): Promise<Child> {
  const child = new Child(
    'server/main.ts (interrupted)',
    nodeArgv('server/main.ts'),
    envFor(dataDir, await freePort()),
  );
  await child.waitForStdout(POPULATION_LOADED, 120_000);
  if (signal === 'SIGKILL') child.killGroup('SIGKILL');
  else child.signal('SIGTERM');
  const exit = await child.waitForExit(20_000);
  // Interrupted, not finished: it never got as far as listening.
  expect(exit.code === 0, child.describe()).toBe(false);
  expect(child.stdout).not.toContain('Server listening');
  return child;
}

async function demoTables(dataDir: string): Promise<Record<string, number>> {
  const db = await openPglite(path.join(dataDir, 'pglite'));
  try {
    const { rows } = await db.query<Record<string, number>>(
      `SELECT (SELECT count(*) FROM members WHERE is_demo)::int AS members,
              (SELECT count(*) FROM media_titles)::int AS works,
              (SELECT count(*) FROM slate_impressions WHERE arm = 'demo')::int AS impressions,
              (SELECT count(*) FROM swipes)::int AS swipes,
              (SELECT count(*) FROM model_versions WHERE kind = 'ranker' AND status = 'live')::int AS live_rankers`,
    );
    return rows[0]!;
  } finally {
    await db.close();
  }
}

/** Starts again on an interrupted data folder and checks the missing steps ran: catalogue, then feedback. */
async function resumedStart(dataDir: string) {
  const server = await startServer({ env: envFor(dataDir, 0), port: await freePort(), timeoutMs: 120_000 });
  const messages = logLines(server.child.stdout).map((line) => line.msg);
  expect(messages, server.child.describe()).toContain('sample media catalogue loaded');
  expect(messages).toContain('demo feedback loaded');
  return { server, messages };
}

describe('an interrupted first start [pglite]', () => {
  const sandbox = processSandbox();

  it(
    'why: a first start killed (kill -9) while the demo loads left no catalogue, feedback or model for ever',
    { timeout: 300_000 },
    async () => {
      const dataDir = path.join(sandbox.dir, 'killed');
      await interruptAfterPopulation(dataDir, 'SIGKILL');

      const { server: second, messages } = await resumedStart(dataDir);
      expect(messages).not.toContain('demo population loaded');

      const token = await mintLocalToken(
        { kind: 'hs256', secret: SECRET, roleClaim: 'role' },
        { subject: 'resume-admin', role: 'admin' },
      );
      const live = await waitFor(
        async () => {
          const response = await fetch(`${second.url}/api/v2/admin/models?status=live`, {
            headers: { authorization: `Bearer ${token}` },
          });
          const { models } = (await response.json()) as { models: Array<{ id: string; createdBy: string }> };
          return models[0];
        },
        150_000,
        'the first ranking model to go live after the resumed start',
      );
      expect(live.createdBy).toBe('sde-bootstrap');
      second.child.signal('SIGTERM');
      expect(await second.child.waitForExit(20_000), second.child.describe()).toEqual({ code: 0, signal: null });

      const tables = await demoTables(dataDir);
      expect(tables.members).toBe(DEMO_MEMBERS);
      expect(tables.works).toBeGreaterThanOrEqual(50_000);
      expect(tables.impressions).toBeGreaterThan(0);
      expect(tables.swipes).toBeGreaterThan(0);
      expect(tables.live_rankers).toBe(1);

      // A third start finds every step done and loads nothing twice.
      const third = await startServer({ env: envFor(dataDir, 0), port: await freePort(), timeoutMs: 120_000 });
      expect(
        logLines(third.child.stdout).filter((line) => /loaded$/.test(String(line.msg))),
        third.child.describe(),
      ).toEqual([]);
      third.child.signal('SIGTERM');
      expect(await third.child.waitForExit(20_000)).toEqual({ code: 0, signal: null });
      expect(await demoTables(dataDir)).toEqual(tables);
    },
  );

  it(
    'why: a first start stopped with SIGTERM while the demo loads left no catalogue or feedback for ever',
    { timeout: 300_000 },
    async () => {
      const dataDir = path.join(sandbox.dir, 'terminated');
      await interruptAfterPopulation(dataDir, 'SIGTERM');

      const { server: second } = await resumedStart(dataDir);
      second.child.signal('SIGTERM');
      expect(await second.child.waitForExit(20_000), second.child.describe()).toEqual({ code: 0, signal: null });

      const tables = await demoTables(dataDir);
      expect(tables.members).toBe(DEMO_MEMBERS);
      expect(tables.works).toBeGreaterThanOrEqual(50_000);
      expect(tables.impressions).toBeGreaterThan(0);
      expect(tables.swipes).toBeGreaterThan(0);
    },
  );
});
