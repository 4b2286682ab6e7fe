// Some tests replay files kept beside the repo in ../shared (real models, API samples, MovieLens), never
// copied into it. On a developer's machine without them those tests skip; under CI=true a missing file
// fails the run instead, so CI cannot go green by silently skipping what it exists to check.
import { existsSync } from 'node:fs';

/**
 * Whether every file is present. When one is missing: false (the caller skips), or under CI=true an
 * error naming the missing files, which fails the test file that asked.
 */
export function sharedFilesPresent(
  files: ReadonlyArray<string | URL>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length === 0) return true;
  if (env.CI === 'true') {
    throw new Error(`CI=true, so these files from ../shared must be present: ${missing.map(String).join(', ')}`);
  }
  return false;
}
