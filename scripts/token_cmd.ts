// `npm run token -- --sub <id> --role <role> [--expires 12h]`: prints a token signed with the same
// secret the server uses (SDE_JWT_SECRET, or the generated one in the key folder SDE_KEYS_DIR), and
// nothing else. It refuses a lifetime the server would refuse too (SDE_TOKEN_MAX_LIFETIME_<ROLE>).
import { parseArgs } from 'node:util';
import { isRole, ROLES } from '../shared/schemas/roles.js';
import { mintLocalToken } from '../server/auth/tokens.js';
import { durationSeconds } from '../server/config/config.js';
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
const asked = values.expires;
const askedSeconds = asked === undefined || !/^\d+\s?(s|m|h|d|w)$/.test(asked) ? null : durationSeconds(asked);
if (asked !== undefined && askedSeconds === null) fail('--expires looks like 30m, 12h or 7d');

const config = configOrExit();
if (config.auth.kind !== 'hs256') fail('SDE_JWKS_URL is set: tokens come from your identity provider, not from here');
const cap = config.tokens.maxLifetimeSeconds[values.role];
if (askedSeconds !== null && askedSeconds > cap) {
  fail(
    `--expires ${asked} is longer than a ${values.role} token may live (${cap}s, SDE_TOKEN_MAX_LIFETIME_${values.role.toUpperCase()}); the server would refuse it`,
  );
}
// Without --expires: 12 hours, or the role's cap when that is shorter.
const expiresIn = asked ?? `${Math.min(12 * 3600, cap)}s`;
process.stdout.write((await mintLocalToken(config.auth, { subject: values.sub, role: values.role, expiresIn })) + '\n');
