// Proves `npm start` (scripts/start_cmd.ts) on a fresh data dir: it prints the docs URL and where its
// admin token is (stdout is a pipe here, i.e. a log stream, so the token itself is never in it), serves /docs and a ready /readyz, schedules the dwell refresh, trains and puts live
// a first ranking model on the demo feedback, loads the demo population exactly once (a restart re-loads nothing and keeps the token valid) and stops cleanly.
// PGlite only: that is what `npm start` is for, and its data dir is checked after the server stops.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPglite } from '../../server/db/pglite-driver.js';
import { freePort, logLines, nodeArgv, processSandbox, type ServerProcess, startServer } from '../support/processes.js';
import { waitFor } from '../support/wait-for.js';

const DEMO_MEMBERS = 300;

async function startCommand(dataDir: string): Promise<{ server: ServerProcess; adminToken: string }> {
  const port = await freePort();
  const server = await startServer({
    argv: nodeArgv('scripts/start_cmd.ts'),
    port,
    env: { SDE_DATA_DIR: dataDir, SDE_DEMO_MEMBERS: String(DEMO_MEMBERS) },
    timeoutMs: 90_000,
  });
  // The banner is printed once listening; /readyz can answer a moment before it is written.
  const [, tokenFile] = await server.child.waitForStdout(
    /Admin token \([^)]*\):\n\s+TOKEN=\$\(cat '([^']+)'\)/,
    10_000,
  );
  expect(tokenFile).toBe(path.join(dataDir, 'admin-token'));
  expect(statSync(tokenFile!).mode & 0o777).toBe(0o600);
  const adminToken = readFileSync(tokenFile!, 'utf8').trim();
  expect(adminToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  expect(server.child.stdout).toContain(`  API docs:   http://127.0.0.1:${port}/docs\n`);
  expect(server.child.stdout).toContain(`embedded PGlite (${dataDir})`);
  return { server, adminToken };
}

/** The same token with one signature character changed (a full 6-bit character, not the padding bits). */
function tampered(token: string): string {
  const at = token.lastIndexOf('.') + 5;
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
}

async function adminJobs(url: string, token: string): Promise<Response> {
  return fetch(`${url}/api/v2/admin/jobs`, { headers: { authorization: `Bearer ${token}` } });
}

describe('npm start [pglite]', () => {
  const sandbox = processSandbox();

  it(
    'why: npm start keeps its admin token out of the log stream; prints docs and a working token file, loads the demo once, and restarts cleanly',
    { timeout: 180_000 },
    async () => {
      const { server: first, adminToken } = await startCommand(sandbox.dir);
      // why: the admin token is never written into the log stream (stdout here is a pipe, not a terminal).
      expect(first.child.stdout).not.toContain(adminToken);
      expect(first.child.stderr).not.toContain(adminToken);

      const docs = await fetch(`${first.url}/docs`, { redirect: 'manual' });
      expect(docs.status).toBeGreaterThanOrEqual(200);
      expect(docs.status).toBeLessThan(400);
      const ui = await fetch(`${first.url}/docs`);
      expect(ui.status).toBe(200);
      expect(await ui.text()).toMatch(/swagger/i);

      const ready = await fetch(`${first.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', database: { driver: 'pglite', reachable: true } });

      const jobs = await adminJobs(first.url, adminToken);
      expect(jobs.status, `${await jobs.clone().text()}\n${first.child.describe()}`).toBe(200);
      const state = (await jobs.json()) as {
        workersRunning: boolean;
        schedules: Array<{ name: string; cron: string }>;
      };
      expect(state.workersRunning).toBe(true);
      expect(state.schedules).toContainEqual(expect.objectContaining({ name: 'dwell_refresh', cron: '*/5 * * * *' }));
      // The token is really checked: without it, or with a forged one, the admin route refuses.
      expect((await fetch(`${first.url}/api/v2/admin/jobs`)).status).toBe(401);
      expect((await adminJobs(first.url, tampered(adminToken))).status).toBe(401);

      const loaded = logLines(first.child.stdout).filter((line) => line.msg === 'demo population loaded');
      expect(loaded).toEqual([expect.objectContaining({ loaded: true, members: DEMO_MEMBERS })]);

      // The demo comes with the sample media catalogue, searchable at once.
      const search = await fetch(`${first.url}/api/v2/media/search?q=blade%20runner&kind=film`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(search.status).toBe(200);
      expect(((await search.json()) as Array<{ id: string }>)[0]?.id).toBe('tt0083658');
      const catalogue = logLines(first.child.stdout).filter((line) => line.msg === 'sample media catalogue loaded');
      expect(catalogue).toEqual([expect.objectContaining({ added: expect.any(Number) })]);
      expect(catalogue[0]!.added).toBeGreaterThanOrEqual(50_000);

      // A fresh install trains its first ranking model on the demo feedback and puts it live.
      const live = await waitFor(
        async () => {
          const response = await fetch(`${first.url}/api/v2/admin/models?status=live`, {
            headers: { authorization: `Bearer ${adminToken}` },
          });
          const { models } = (await response.json()) as {
            models: Array<{ id: string; createdBy: string; metrics: Record<string, number> }>;
          };
          return models[0];
        },
        90_000,
        'the first ranking model to go live',
      );
      expect(live.createdBy).toBe('sde-bootstrap');
      expect(live.metrics['ndcg@10']).toBeGreaterThan(0);
      const ranked = await fetch(`${first.url}/api/v2/discovery/rank`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ viewerId: 'demo-00001', candidateIds: ['demo-00002', 'demo-00003', 'demo-00004'] }),
      });
      expect(ranked.status).toBe(200);
      expect(ranked.headers.get('x-sde-model-version')).toBe(live.id);

      first.child.signal('SIGTERM');
      expect(await first.child.waitForExit(20_000), first.child.describe()).toEqual({ code: 0, signal: null });

      // Again on the same data dir: nothing re-loaded, and the first run's token is still good.
      const { server: second, adminToken: secondToken } = await startCommand(sandbox.dir);
      expect(
        logLines(second.child.stdout).filter((line) =>
          /demo population loaded|catalogue loaded/.test(String(line.msg)),
        ),
      ).toEqual([]);
      expect((await adminJobs(second.url, adminToken)).status).toBe(200);
      expect((await adminJobs(second.url, secondToken)).status).toBe(200);
      second.child.signal('SIGTERM');
      expect(await second.child.waitForExit(20_000), second.child.describe()).toEqual({ code: 0, signal: null });

      // Only now that no process holds it, look inside the database.
      const db = await openPglite(path.join(sandbox.dir, 'pglite'));
      try {
        const members = await db.query<{ demo: number; total: number }>(
          'SELECT count(*) FILTER (WHERE is_demo)::int AS demo, count(*)::int AS total FROM members',
        );
        expect(members.rows[0]).toEqual({ demo: DEMO_MEMBERS, total: DEMO_MEMBERS });
      } finally {
        await db.close();
      }
    },
  );
});
