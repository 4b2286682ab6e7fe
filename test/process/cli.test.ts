// Proves the command-line entry points behave as documented when run for real: `npm run token` prints
// only a JWT (and keeps one local secret in the key folder beside SDE_DATA_DIR), bad arguments exit 2 with usage,
// `db:check` / `db:migrate` report drift and apply migrations, and a bad config stops the server with
// exit 2 naming the variable, before it touches the data dir.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { decodeJwt, jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../server/db/migrations.js';
import { databaseKinds } from '../support/databases.js';
import { databaseFor, killAll, makeTempDir, removeDir, runScript } from '../support/processes.js';

/** migrations/NNN.do.name.sql as db_cmd prints them: "001 schema-v1". */
const MIGRATION_FILES = readdirSync(MIGRATIONS_DIR)
  .map((file) => /^(\d+)\.do\.(.+)\.sql$/.exec(file))
  .filter((match): match is RegExpExecArray => match !== null)
  .map((match) => ({ label: `${match[1]} ${match[2]}` }))
  .sort((a, b) => a.label.localeCompare(b.label));

const TOKEN = 'scripts/token_cmd.ts';
const DB = 'scripts/db_cmd.ts';
const SECRET = 'process-test-secret-0123456789-abcdefghijklmnop';
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+\n$/;

const dirs: string[] = [];
function tempDir(): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  await killAll();
});
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

describe('npm run token', () => {
  it('prints one line, a JWT signed with SDE_JWT_SECRET carrying the sub and role', async () => {
    const result = await runScript(TOKEN, ['--sub', 'm-cli', '--role', 'reviewer', '--expires', '30m'], {
      SDE_DATA_DIR: tempDir(),
      SDE_JWT_SECRET: SECRET,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(JWT);
    const { payload, protectedHeader } = await jwtVerify(result.stdout.trim(), new TextEncoder().encode(SECRET));
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: 'm-cli', role: 'reviewer' });
    expect(payload.exp! - payload.iat!).toBe(30 * 60);
  });

  it.each([
    { name: 'no --role', args: ['--sub', 'm-1'], says: '--role must be one of' },
    { name: 'an unknown --role', args: ['--sub', 'm-1', '--role', 'superuser'], says: '--role must be one of' },
    { name: 'no --sub', args: ['--role', 'member'], says: '--sub is required' },
    { name: 'an unknown option', args: ['--sub', 'm-1', '--role', 'member', '--admin'], says: '--admin' },
    { name: 'a bad --expires', args: ['--sub', 'm-1', '--role', 'member', '--expires', 'forever'], says: '--expires' },
  ])('exits 2 with usage on stderr and nothing on stdout for $name', async ({ args, says }) => {
    const dataDir = tempDir();
    const result = await runScript(TOKEN, args, { SDE_DATA_DIR: dataDir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(says);
    expect(result.stderr).toMatch(/^usage: npm run token -- --sub <id> --role <[a-z_|]+>/m);
    // Arguments are checked before the config: no secret was created for a refused call.
    expect(existsSync(path.join(dataDir, 'jwt-secret'))).toBe(false);
  });

  it.each([
    { role: 'member', expires: '25h', cap: '86400s', variable: 'SDE_TOKEN_MAX_LIFETIME_MEMBER', env: {} },
    { role: 'admin', expires: '31d', cap: '2592000s', variable: 'SDE_TOKEN_MAX_LIFETIME_ADMIN', env: {} },
    {
      role: 'reviewer',
      expires: '2h',
      cap: '3600s',
      variable: 'SDE_TOKEN_MAX_LIFETIME_REVIEWER',
      env: { SDE_TOKEN_MAX_LIFETIME_REVIEWER: '1h' },
    },
  ])(
    "why: npm run token refuses a $role token longer than the role's cap (exit 2, naming the variable)",
    async ({ role, expires, cap, variable, env }) => {
      const result = await runScript(TOKEN, ['--sub', 'm-1', '--role', role, '--expires', expires], {
        SDE_DATA_DIR: tempDir(),
        SDE_JWT_SECRET: SECRET,
        ...env,
      });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`--expires ${expires}`);
      expect(result.stderr).toContain(cap);
      expect(result.stderr).toContain(variable);
    },
  );

  it('without SDE_JWT_SECRET creates a jwt-secret in the key folder once and signs every token with it', async () => {
    const root = tempDir();
    const dataDir = path.join(root, 'not-yet-there');
    const first = await runScript(TOKEN, ['--sub', 'm-a', '--role', 'member'], { SDE_DATA_DIR: dataDir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(JWT);
    // Beside the data folder, not in it (SDE_KEYS_DIR's default: <data folder>-keys).
    const file = path.join(root, 'not-yet-there-keys', 'jwt-secret');
    const secretAfterFirst = readFileSync(file, 'utf8');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(secretAfterFirst.trim().length).toBeGreaterThanOrEqual(32);

    const second = await runScript(TOKEN, ['--sub', 'm-b', '--role', 'admin'], { SDE_DATA_DIR: dataDir });
    expect(second.code, second.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(secretAfterFirst);

    const key = new TextEncoder().encode(secretAfterFirst.trim());
    expect((await jwtVerify(first.stdout.trim(), key)).payload).toMatchObject({ sub: 'm-a', role: 'member' });
    expect((await jwtVerify(second.stdout.trim(), key)).payload).toMatchObject({ sub: 'm-b', role: 'admin' });
    // And not with some other secret: the check above means something.
    await expect(jwtVerify(first.stdout.trim(), new TextEncoder().encode(SECRET))).rejects.toThrow();
    expect(decodeJwt(first.stdout.trim()).exp! - decodeJwt(first.stdout.trim()).iat!).toBe(12 * 3600);
  });
});

describe.each(databaseKinds)('npm run db:check / db:migrate [%s]', (kind) => {
  let database: Awaited<ReturnType<typeof databaseFor>> | undefined;
  beforeAll(async () => {
    database = await databaseFor(kind);
  });
  afterAll(async () => {
    await killAll();
    await database?.dispose();
  });

  it(
    'check finds the pending migration, migrate applies it, then check reports zero drift',
    { timeout: 120_000 },
    async () => {
      const env = { SDE_DATA_DIR: tempDir(), ...database!.env };

      const before = await runScript(DB, ['check'], env);
      expect(before.code, before.stderr).toBe(1);
      expect(before.stdout).toContain('migrations: drift found');
      expect(before.stdout).toMatch(/^ {2}001 schema-v1 is not applied yet$/m);

      const migrated = await runScript(DB, ['migrate'], env);
      expect(migrated.code, migrated.stderr).toBe(0);
      expect(migrated.stdout).toBe(MIGRATION_FILES.map((m) => `applied ${m.label}\n`).join(''));

      const after = await runScript(DB, ['check'], env);
      expect(after.code, after.stderr).toBe(0);
      const count = MIGRATION_FILES.length;
      expect(after.stdout).toBe(`migrations: ${count} applied, ${count} files, zero drift\n`);

      const again = await runScript(DB, ['migrate'], env);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toBe('migrations: nothing to apply\n');
    },
  );
});

describe('scripts/db_cmd.ts without a command', () => {
  it('exits 2 with usage and opens no database', async () => {
    const dataDir = path.join(tempDir(), 'untouched');
    const result = await runScript(DB, ['upgrade'], { SDE_DATA_DIR: dataDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: tsx scripts/db_cmd.ts migrate|check');
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('an invalid configuration', () => {
  it.each([
    { variable: 'PORT', value: 'abc' },
    { variable: 'PORT', value: '70000' },
    { variable: 'SDE_JWT_SECRET', value: 'short' },
    { variable: 'LOG_LEVEL', value: 'loud' },
    { variable: 'DATABASE_URL', value: 'mysql://localhost/sde' },
    { variable: 'SDE_JOBS', value: 'maybe' },
  ])('$variable=$value stops server/main.ts with exit 2 naming it', async ({ variable, value }) => {
    const dataDir = path.join(tempDir(), 'untouched');
    const result = await runScript('server/main.ts', [], { SDE_DATA_DIR: dataDir, PORT: '0', [variable]: value });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^sde: invalid configuration: ${variable}: `));
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stdout).toBe('');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('stops `npm run token` with exit 2 naming the variable, and prints no token', async () => {
    const result = await runScript(TOKEN, ['--sub', 'm-1', '--role', 'member'], {
      SDE_DATA_DIR: tempDir(),
      SDE_JWT_SECRET: 'short',
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^invalid configuration: SDE_JWT_SECRET: /);
  });
});
