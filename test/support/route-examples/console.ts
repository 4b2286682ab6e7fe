// Example requests for the console module: the static console (public; served only once it is built),
// sign-in, member-preview tokens and the overview.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defaultRendererDir } from '../../../server/console/console-static.js';
import type { RouteExamples } from './route-example.js';

const consoleBuilt = existsSync(path.join(defaultRendererDir(), 'index.html'));

export const examples: RouteExamples = {
  'GET /console': {},
  'GET /console/*': {
    url: '/console/overview',
    // Unbuilt, /console/ answers 503 on purpose; test/api/console.test.ts serves a build of its own.
    ...(consoleBuilt ? {} : { unavailable: 'the console is not built (npm run build): /console/ answers 503' }),
  },
  'GET /api/v2/session': {},
  // member-1 saved attributes before the walk; preview tokens can be minted again and again.
  'POST /api/v2/admin/preview-tokens': { payload: { memberId: 'member-1' } },
  'GET /api/v2/admin/overview': {},
};
