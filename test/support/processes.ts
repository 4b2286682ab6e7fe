// Helpers for tests that run the real entry points (server/main.ts, scripts/*.ts) as child processes:
// spawn them, capture output, wait with bounded deadlines (a timeout fails with the child's captured
// stdout/stderr), and kill whatever was started.
//
// By default a script runs as ONE Node process with tsx's loader (`node --import tsx script`): the
// same code the npm scripts run, but signals reach the app itself. The `tsx script` CLI the npm
// scripts use instead puts a wrapper process in between that relays SIGTERM and SIGKILLs the app
// when it has not acknowledged within ~30 ms; `npmScriptArgv` runs that exact command when a test
// is about the npm script itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createScratchPostgres, type DatabaseKind } from './databases.js';
import { afterAll, beforeAll } from 'vitest';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = path.join(REPO_ROOT, 'node_modules/.bin/tsx');

/** argv running `script` in one Node process with tsx's loader. */
export function nodeArgv(script: string, args: readonly string[] = []): string[] {
  return [process.execPath, '--import', 'tsx', script, ...args];
}

/**
 * argv of `npm run <name>` as package.json declares it, without npm around it: `tsx` is the local
 * tsx CLI, `node` this Node. Throws for a script that needs a shell.
 */
export function npmScriptArgv(name: string, args: readonly string[] = []): string[] {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const command = manifest.scripts[name];
  if (!command || /[|&;<>$`"'\\]/.test(command))
    throw new Error(`npm script ${name} is not a plain command: ${command}`);
  const [program, ...rest] = command.trim().split(/\s+/);
  const executable = program === 'tsx' ? TSX : program === 'node' ? process.execPath : undefined;
  if (!executable) throw new Error(`npm script ${name} runs ${program}, which these helpers do not know`);
  return [executable, ...rest, ...args];
}

/** Variables that configure the engine; never inherited from the developer's shell into a child. */
const CONFIG_VARIABLE = /^(DATABASE_URL|HOST|PORT|LOG_LEVEL|SDE_.*)$/;

/** The test runner's environment without any engine configuration, plus `env`. */
export function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!CONFIG_VARIABLE.test(key) && value !== undefined) base[key] = value;
  }
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  return base;
}

/** A port that was free a moment ago: bind port 0, read it, release it. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port of a probe server'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** A fresh temporary folder (an SDE_DATA_DIR); remove it with `removeDir`. */
export function makeTempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'sde-'));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A spawned tsx process whose stdout and stderr are kept in full for assertions and error messages. */
export class Child {
  stdout = '';
  stderr = '';
  exit: Exit | undefined;
  readonly exited: Promise<Exit>;
  private readonly process: ChildProcess;

  constructor(
    readonly label: string,
    argv: readonly string[],
    env: Record<string, string | undefined>,
  ) {
    // Its own process group, so `killGroup` also reaches whatever it starts (tsx's app process).
    const [executable, ...args] = argv;
    this.process = spawn(executable!, args, {
      cwd: REPO_ROOT,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.process.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.process.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => {
      this.process.once('error', (error) => {
        this.stderr += `\n[spawn error] ${error.message}`;
        this.exit = { code: null, signal: null };
        resolve(this.exit);
      });
      // 'close' rather than 'exit': all output has been read by then.
      this.process.once('close', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
    running.add(this);
    void this.exited.then(() => running.delete(this));
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  /** Signals the spawned process only, as a supervisor or `kill PID` does. */
  signal(signal: NodeJS.Signals): void {
    if (this.exit) return;
    this.process.kill(signal);
  }

  /** Signals the whole process group: with SIGKILL, no process of the app survives to clean up. */
  killGroup(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.exit || this.pid < 0) return;
    try {
      process.kill(-this.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }

  /** The captured output, for error messages. */
  describe(): string {
    const exit = this.exit ? `exited with code ${this.exit.code} signal ${this.exit.signal}` : 'still running';
    return `${this.label} (pid ${this.pid}, ${exit})\n--- stdout ---\n${tail(this.stdout)}\n--- stderr ---\n${tail(this.stderr)}`;
  }

  /** Resolves when `pattern` appears in stdout; rejects on exit or after `timeoutMs`, quoting the output. */
  async waitForStdout(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.stdout.match(pattern);
      if (match) return match;
      if (this.exit) throw new Error(`${pattern} never appeared before the process ended: ${this.describe()}`);
      if (Date.now() > deadline)
        throw new Error(`${pattern} did not appear within ${timeoutMs} ms: ${this.describe()}`);
      await delay(50);
    }
  }

  /** Resolves with the exit; rejects after `timeoutMs` (the process is then left to `killAll`). */
  async waitForExit(timeoutMs: number): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not exit within ${timeoutMs} ms: ${this.describe()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

const running = new Set<Child>();

// If the test runner itself dies, take the children with it rather than leave servers behind.
process.once('exit', () => {
  for (const child of running) child.killGroup('SIGKILL');
});

/** SIGKILLs every child still running (each whole process group) and waits until they are gone. */
export async function killAll(): Promise<void> {
  const children = [...running];
  for (const child of children) child.killGroup('SIGKILL');
  await Promise.all(children.map((child) => child.waitForExit(10_000)));
}

/** Runs a script (`node --import tsx`) to completion within `timeoutMs` (killed and rejected after that). */
export async function runScript(
  script: string,
  args: readonly string[],
  env: Record<string, string | undefined>,
  timeoutMs = 60_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const child = new Child(`${script} ${args.join(' ')}`, nodeArgv(script, args), env);
  try {
    const exit = await child.waitForExit(timeoutMs);
    return { ...exit, stdout: child.stdout, stderr: child.stderr };
  } catch (error) {
    child.killGroup('SIGKILL');
    await child.exited;
    throw error;
  }
}

export interface ServerProcess {
  child: Child;
  /** http://127.0.0.1:PORT */
  url: string;
}

/**
 * Spawns `argv` (default: server/main.ts in one Node process) on 127.0.0.1:`port` and waits until
 * `/readyz` answers 200. Rejects (quoting the output) if the process exits first or `timeoutMs` passes.
 */
export async function startServer(options: {
  env: Record<string, string | undefined>;
  port: number;
  argv?: readonly string[];
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const argv = options.argv ?? nodeArgv('server/main.ts');
  const url = `http://127.0.0.1:${options.port}`;
  const child = new Child(argv.slice(1).join(' '), argv, {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...options.env,
    PORT: String(options.port),
  });
  await waitForReady(child, url, options.timeoutMs ?? 60_000);
  return { child, url };
}

/** Polls `${url}/readyz` until it answers 200, failing early if `child` exits. */
export async function waitForReady(child: Child, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    if (child.exit) throw new Error(`exited before it was ready: ${child.describe()}`);
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}: ${await response.text()}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      throw new Error(`${url}/readyz not 200 within ${timeoutMs} ms (last: ${last}): ${child.describe()}`);
    }
    await delay(100);
  }
}

/** The JSON log lines (pino) a process printed, parsed; other lines are skipped. */
export function logLines(output: string): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A partial or non-JSON line: not a log record.
    }
  }
  return lines;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function tail(text: string, max = 4_000): string {
  return text.length <= max ? text : `…${text.slice(-max)}`;
}

/**
 * The DATABASE_URL for a child on `kind`: none for PGlite (it lives in SDE_DATA_DIR), a scratch
 * Postgres database otherwise. `dispose` drops the scratch database.
 */
export async function databaseFor(
  kind: DatabaseKind,
): Promise<{ env: { DATABASE_URL?: string }; dispose(): Promise<void> }> {
  if (kind === 'pglite') return { env: {}, dispose: () => Promise.resolve() };
  const scratch = await createScratchPostgres();
  return { env: { DATABASE_URL: scratch.url }, dispose: () => scratch.drop() };
}

export interface ProcessSandbox {
  /** A temporary folder of the block's own (an SDE_DATA_DIR, or a root for several). */
  readonly dir: string;
  /** The database the block's servers use: the environment that points them at it (empty for PGlite). */
  readonly databaseEnv: { DATABASE_URL?: string };
}

/**
 * What a describe block of process tests runs in: a fresh folder and, with `kind`, a database of its own,
 * made before its tests. After them, every process a test started is killed before the database is dropped
 * and the folder removed, so no child still holds either. Read the fields inside tests and hooks.
 */
export function processSandbox(kind: DatabaseKind = 'pglite'): ProcessSandbox {
  let dir: string | undefined;
  let database: Awaited<ReturnType<typeof databaseFor>> | undefined;
  beforeAll(async () => {
    dir = makeTempDir();
    database = await databaseFor(kind);
  });
  afterAll(async () => {
    await killAll();
    await database?.dispose();
    removeDir(dir);
  });
  return {
    get dir() {
      if (!dir) throw new Error('the sandbox is made in beforeAll; read .dir inside a test or hook');
      return dir;
    },
    get databaseEnv() {
      if (!database) throw new Error('the sandbox is made in beforeAll; read .databaseEnv inside a test or hook');
      return database.env;
    },
  };
}
