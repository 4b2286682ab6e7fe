// `eval:learning`'s population runner: one population in a child process (population-child.ts), so the
// three engines — each single-threaded PGlite — use the machine's cores side by side. The child reports progress
// lines and finally its record over the IPC channel; a child that fails rejects with its error.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LearningSimOptions } from '../../server/offline/evaluation/learning-sim/learning-sim.js';
import type { PopulationKind, PopulationRecord } from '../../server/offline/evaluation/learning-sim/sim-report.js';

export type ChildMessage =
  { type: 'progress'; line: string } | { type: 'done'; record: PopulationRecord } | { type: 'failed'; error: string };

const CHILD = fileURLToPath(new URL('./population-child.ts', import.meta.url));

export function runPopulationProcess(
  kind: PopulationKind,
  options: LearningSimOptions,
  progress: (line: string) => void,
): Promise<PopulationRecord> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [kind, JSON.stringify(options)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let outcome: PopulationRecord | Error | null = null;
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'progress') progress(message.line);
      else if (message.type === 'done') outcome = message.record;
      else outcome = new Error(`learning-sim ${kind}: ${message.error}`);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (outcome instanceof Error) reject(outcome);
      else if (outcome) resolve(outcome);
      else
        reject(
          new Error(
            `learning-sim ${kind}: the population process ended (${signal ?? `code ${code}`}) without a record`,
          ),
        );
    });
  });
}
