// The parent's side of a population-host child process (population-host.ts): start it, send it
// commands over IPC, stop it. Shared by the benchmarks that load a seeded population.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HostCommand, HostMessage, HostStart } from './population-host.js';

/** The parent's handle on a population-host child process. */
export class PopulationHost {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly viewers: string[],
    readonly seed: Record<string, unknown>,
  ) {
    child.on('message', (message: HostMessage) => {
      if (message.type === 'ready') return;
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.type === 'result') waiter?.resolve(message.value);
      else waiter?.reject(new Error(message.message));
    });
  }

  static async start(start: HostStart): Promise<PopulationHost> {
    const script = fileURLToPath(new URL('./population-host.ts', import.meta.url));
    const child = fork(script, [JSON.stringify(start)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<Extract<HostMessage, { type: 'ready' }>>((resolve, reject) => {
      child.once('message', (message: HostMessage) =>
        message.type === 'ready' ? resolve(message) : reject(new Error('population host did not start')),
      );
      child.once('exit', (code) => reject(new Error(`population host exited with code ${code} before it was ready`)));
    });
    return new PopulationHost(child, ready.port, ready.viewers, ready.seed);
  }

  call<T = unknown>(command: DistributiveOmit<HostCommand, 'id'>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ ...command, id });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.call({ type: 'stop' }).catch(() => undefined);
    await exited;
  }
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** Hosts shared by the benchmarks of one `npm run bench` run (slate and why use the same population). */
const sharedHosts = new Map<string, Promise<PopulationHost>>();

export function sharedHost(start: HostStart): Promise<PopulationHost> {
  const key = JSON.stringify({ ...start, jwtSecret: undefined });
  let host = sharedHosts.get(key);
  if (!host) {
    host = PopulationHost.start(start);
    sharedHosts.set(key, host);
  }
  return host;
}

export async function stopSharedHosts(): Promise<void> {
  const hosts = [...sharedHosts.values()];
  sharedHosts.clear();
  for (const host of hosts) await (await host).stop();
}
