// Builds the console (and the Electron bundles) with `npm run build` when out/renderer is missing, so
// `npm start` on a fresh checkout serves /console without a separate step.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function ensureConsoleBuilt(log: (line: string) => void): void {
  if (existsSync(path.join(REPO_ROOT, 'out', 'renderer', 'index.html'))) return;
  log('building the console (out/renderer is missing; about a minute)…');
  execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
