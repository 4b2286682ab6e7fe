// Runs once before any test file: builds the console when out/renderer is missing, so the browser
// tests and the `npm start` test (which serve it) never build it concurrently. CI builds it before
// the tests, which makes this a no-op there.
import { ensureConsoleBuilt } from '../../scripts/console-build.js';

export default function setup(): void {
  ensureConsoleBuilt((line) => process.stderr.write(`test setup: ${line}\n`));
}
