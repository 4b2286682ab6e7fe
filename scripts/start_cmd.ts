// `npm start`: the engine on embedded PGlite (unless DATABASE_URL is set) with a demo population,
// printing where the console and the API docs are and a ready-to-use admin token. The token goes to
// the terminal only: when stdout is not one (a pipe, a log collector, a service manager) it is written
// to a file only the user can read, and the banner names the file instead.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mintLocalToken } from '../server/auth/tokens.js';
import { runServer } from '../server/main.js';
import { configOrExit } from './cli-config.js';
import { ensureConsoleBuilt } from './console-build.js';

const DEFAULT_DEMO_MEMBERS = '3000';

/** The banner's line that sets $TOKEN: the token itself on a terminal, otherwise where it was saved. */
function tokenLine(token: string, dataDir: string): string {
  if (process.stdout.isTTY) return `    TOKEN=${token}`;
  const file = path.join(dataDir, 'admin-token');
  mkdirSync(dataDir, { recursive: true });
  // A mode applies only when a file is created: replace an earlier start's file rather than reuse it.
  rmSync(file, { force: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return `    TOKEN=$(cat '${file.replace(/'/g, `'\\''`)}')   # saved there (mode 600), kept out of the log`;
}

const config = configOrExit({ SDE_DEMO_MEMBERS: DEFAULT_DEMO_MEMBERS, ...process.env });
ensureConsoleBuilt((line) => process.stderr.write(`${line}\n`));
const { url } = await runServer(config);
const lines = [
  '',
  `  Social Discovery Engine is running on ${config.databaseUrl ? 'Postgres' : `embedded PGlite (${config.dataDir})`}`,
  `  Console:    ${url}/console/`,
  `  API docs:   ${url}/docs`,
  `  GraphQL:    ${url}/graphql`,
  `  Readiness:  ${url}/readyz`,
];
if (config.auth.kind === 'hs256') {
  const token = await mintLocalToken(config.auth, { subject: 'local-admin', role: 'admin', expiresIn: '30d' });
  lines.push(
    '  Admin token (30 days):',
    tokenLine(token, config.dataDir),
    `  Try:        curl -H "Authorization: Bearer $TOKEN" ${url}/api/v2/admin/jobs`,
  );
}
process.stdout.write(lines.join('\n') + '\n\n');
