// Drives an async task at a fixed overall request rate over a fixed number of concurrent lanes, the
// way autocannon's `overallRate` drives HTTP connections: request n may start at `start + n / rate`,
// a lane waits for its slot, and latency is timed from send to completion. Used for the bare-query
// baselines so they are loaded exactly like the endpoint they are compared with.
import { setTimeout as sleep } from 'node:timers/promises';

export interface RateDriverOptions {
  /** Requests per second across all lanes; null drives as fast as the lanes allow. */
  rate: number | null;
  connections: number;
  durationMs: number;
  task: (requestNumber: number) => Promise<void>;
}

export interface RateDriverResult {
  latenciesMs: number[];
  completed: number;
  errors: number;
  firstError: string | null;
  elapsedMs: number;
  achievedRate: number;
}

export async function driveAtRate(options: RateDriverOptions): Promise<RateDriverResult> {
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let next = 0;
  const start = performance.now();
  const deadline = start + options.durationMs;
  const lane = async () => {
    for (;;) {
      const requestNumber = next++;
      if (options.rate !== null) {
        const slot = start + (requestNumber * 1000) / options.rate;
        if (slot >= deadline) return;
        const wait = slot - performance.now();
        if (wait > 0) await sleep(wait);
      }
      const sent = performance.now();
      if (sent >= deadline) return;
      try {
        await options.task(requestNumber);
        latenciesMs.push(performance.now() - sent);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, lane));
  const elapsedMs = performance.now() - start;
  return {
    latenciesMs,
    completed: latenciesMs.length,
    errors,
    firstError,
    elapsedMs,
    achievedRate: (latenciesMs.length * 1000) / elapsedMs,
  };
}
