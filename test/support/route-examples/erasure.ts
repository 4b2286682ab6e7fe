// Example requests for the erasure routes. Both erase someone, so neither may touch the `${role}-1`
// subjects later examples use: DELETE /users/me calls with a disposable subject per role, and the admin
// route erases a disposable member; `prepare` creates them all.
import { ROLES } from '../../../shared/schemas/roles.js';
import { bearer, validAttributes } from '../test-app.js';
import type { PrepareExamples, RouteExamples } from './route-example.js';

const disposable = (role: string) => `erasable-${role}`;

export const examples: RouteExamples = {
  'DELETE /api/v2/users/me': { subject: (role) => disposable(role) },
  'POST /api/v2/admin/erasures': { payload: { memberId: 'erasable-by-admin', reason: 'access walk' } },
};

export const prepare: PrepareExamples = async (t) => {
  for (const subject of [...ROLES.map(disposable), 'erasable-by-admin']) {
    await t.app.inject({
      method: 'PUT',
      url: '/api/v2/users/me/attributes',
      headers: bearer(await t.token('member', subject)),
      payload: validAttributes(),
    });
  }
};
