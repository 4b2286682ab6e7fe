// `npm run token -- --sub <id> --role <role> [--expires 12h]`: prints a token signed with the same
// secret the server uses (SDE_JWT_SECRET, or the one kept in SDE_DATA_DIR), and nothing else.
import { parseArgs } from 'node:util';
import { isRole, ROLES } from '../shared/schemas/roles.js';
import { mintLocalToken } from '../server/auth/tokens.js';
import { configOrExit } from './cli-config.js';

function fail(message: string): never {
  process.stderr.write(
    `token: ${message}\nusage: npm run token -- --sub <id> --role <${ROLES.join('|')}> [--expires 12h]\n`,
  );
  process.exit(2);
}

let values: { sub?: string; role?: string; expires?: string };
try {
  ({ values } = parseArgs({
    options: { sub: { type: 'string' }, role: { type: 'string' }, expires: { type: 'string' } },
    strict: true,
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (!values.sub) fail('--sub is required');
if (!isRole(values.role)) fail(`--role must be one of ${ROLES.join(', ')}`);
if (values.expires !== undefined && !/^\d+\s?(s|m|h|d|w)$/.test(values.expires))
  fail('--expires looks like 30m, 12h or 7d');

const config = configOrExit();
if (config.auth.kind !== 'hs256') fail('SDE_JWKS_URL is set: tokens come from your identity provider, not from here');
process.stdout.write(
  (await mintLocalToken(config.auth, { subject: values.sub, role: values.role, expiresIn: values.expires })) + '\n',
);
