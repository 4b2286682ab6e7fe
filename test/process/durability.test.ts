// Proves that a profile write the server acknowledged (2xx) survives the server being SIGKILLed right
// after the acknowledgement — no graceful shutdown, no flush — on embedded PGlite and on Postgres, and
// that `npm run token` run with the server's environment mints a token the server accepts.
import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { freePort, processSandbox, runScript, startServer } from '../support/processes.js';
import { validAttributes } from '../support/test-app.js';

const PATH = '/api/v2/users/me/attributes';
const SECRET = 'process-test-secret-0123456789-abcdefghijklmnop';
const WRITES = 5;

describe.each(databaseKinds)('a killed server [%s]', (kind) => {
  const sandbox = processSandbox(kind);

  it('loses no acknowledged profile write', { timeout: 120_000 }, async () => {
    const env = { SDE_DATA_DIR: sandbox.dir, SDE_JWT_SECRET: SECRET, SDE_DEMO_MEMBERS: '0', ...sandbox.databaseEnv };
    const first = await startServer({ env, port: await freePort() });

    // Same environment as the server: the token must be the only thing on stdout, one line.
    const minted = await runScript('scripts/token_cmd.ts', ['--sub', 'm-durable', '--role', 'member'], {
      ...env,
      PORT: new URL(first.url).port,
    });
    expect(minted.code, minted.stderr).toBe(0);
    expect(minted.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const headers = { authorization: `Bearer ${minted.stdout.trim()}`, 'content-type': 'application/json' };

    const bodies = Array.from({ length: WRITES }, (_, i) => ({
      ...validAttributes(),
      hobbies: [`durable hobby ${i}`],
    }));
    for (const [i, body] of bodies.entries()) {
      const response = await fetch(`${first.url}${PATH}`, { method: 'PUT', headers, body: JSON.stringify(body) });
      expect(response.status).toBe(i === 0 ? 201 : 200);
      if (i < WRITES - 1) {
        expect(await response.json()).toMatchObject({ memberId: 'm-durable', hobbies: body.hobbies });
      } else {
        // The last acknowledgement: kill every process of the server at once, before anything else runs.
        first.child.killGroup('SIGKILL');
      }
    }
    const killed = await first.child.waitForExit(15_000);
    expect(killed.signal).toBe('SIGKILL');
    expect(first.child.stdout).not.toContain('shutting down');

    const second = await startServer({ env, port: await freePort() });
    const read = await fetch(`${second.url}${PATH}`, { headers });
    expect(read.status, second.child.describe()).toBe(200);
    expect(await read.json()).toMatchObject({
      memberId: 'm-durable',
      ...validAttributes(),
      hobbies: bodies[WRITES - 1]!.hobbies,
    });
  });
});
