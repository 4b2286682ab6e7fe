// Keeps the data folder private to the user running the engine. The embedded database, local object
// storage (raw connector payloads) and word vectors live there, and Emscripten's file system creates
// PGlite's files as 0666 (directories 0777) minus the process umask: under the common umask 022 every
// page of the database was world-readable, under umask 0 world-writable. A restrictive umask covers
// the files created from now on, and one pass over the folder fixes what an older version left open.
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Group and other permission bits: none of them may be set below the data folder. */
const GROUP_AND_OTHER = 0o077;

/**
 * Creates `dir` (0700) if needed, removes group/other permissions from it and everything below it,
 * and makes the process umask drop them from every file created later (PGlite creates relation
 * files and WAL segments for as long as it runs). Returns how many entries had to be fixed.
 */
export function makePrivateDir(dir: string): number {
  restrictProcessUmask();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return tightenTree(dir);
}

/**
 * Adds group/other to the umask, keeping whatever else the operator set. Worker threads may not
 * change the umask (Node throws); there the one-off pass still fixes what exists at open.
 */
export function restrictProcessUmask(): void {
  try {
    const previous = process.umask(GROUP_AND_OTHER);
    process.umask(previous | GROUP_AND_OTHER);
  } catch {
    // ERR_WORKER_UNSUPPORTED_OPERATION: nothing more to do here.
  }
}

function tightenTree(dir: string): number {
  let fixed = 0;
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    const stats = lstatSync(current);
    // Symbolic links have no permissions of their own; following them could reach outside the folder.
    if (stats.isSymbolicLink()) continue;
    if ((stats.mode & GROUP_AND_OTHER) !== 0) {
      chmodSync(current, stats.mode & 0o7700);
      fixed++;
    }
    if (stats.isDirectory()) {
      for (const name of readdirSync(current)) pending.push(path.join(current, name));
    }
  }
  return fixed;
}
