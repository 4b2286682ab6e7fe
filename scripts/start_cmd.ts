// `npm start`: the engine on embedded PGlite (unless DATABASE_URL is set) with a demo population,
// printing where the console and the API docs are and a ready-to-use admin token.
import { mintLocalToken } from '../server/auth/tokens.js';
import { runServer } from '../server/main.js';
import { configOrExit } from './cli-config.js';
import { ensureConsoleBuilt } from './console-build.js';

const DEFAULT_DEMO_MEMBERS = '3000';

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
    `    TOKEN=${token}`,
    `  Try:        curl -H "Authorization: Bearer $TOKEN" ${url}/api/v2/admin/jobs`,
  );
}
process.stdout.write(lines.join('\n') + '\n\n');
