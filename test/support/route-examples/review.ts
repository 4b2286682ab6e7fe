// Example requests for the review queue (reviewers and admins). Flags are created in prepare: one to
// read, and for each allowed role its own open flag to resolve and resolved flag to reopen (each can be
// resolved or reopened once).
import type { Role } from '../../../shared/schemas/roles.js';
import type { PrepareExamples, RouteExamples } from './route-example.js';

const ALLOWED: Role[] = ['reviewer', 'admin'];
const toResolve = new Map<Role, number>();
const toReopen = new Map<Role, number>();

export const examples: RouteExamples = {
  'POST /api/v2/review/flags': { payload: { viewerId: 'member-1', candidateId: 'admin-1', note: 'access walk' } },
  'GET /api/v2/review/flags': { url: '/api/v2/review/flags?status=open&limit=5' },
  'GET /api/v2/review/flags/:id': { url: () => `/api/v2/review/flags/${toResolve.get('admin')}` },
  'POST /api/v2/review/flags/:id/resolve': {
    url: (role) => `/api/v2/review/flags/${toResolve.get(role) ?? toResolve.get('admin')}/resolve`,
    payload: { outcome: 'no_action' },
  },
  'POST /api/v2/review/flags/:id/reopen': {
    url: (role) => `/api/v2/review/flags/${toReopen.get(role) ?? toReopen.get('admin')}/reopen`,
    payload: { note: 'access walk' },
  },
};

export const prepare: PrepareExamples = async (t) => {
  for (const role of ALLOWED) {
    const open = await t.scratch.db.query<{ id: string }>(
      `INSERT INTO review_flags (viewer_id, note, created_by) VALUES ('member-1', 'access walk', 'prepare') RETURNING id`,
    );
    toResolve.set(role, Number(open.rows[0]!.id));
    const resolved = await t.scratch.db.query<{ id: string }>(
      `INSERT INTO review_flags (viewer_id, note, created_by, status, outcome, resolved_by, resolved_at)
       VALUES ('member-1', 'access walk', 'prepare', 'resolved', 'no_action', 'prepare', now()) RETURNING id`,
    );
    toReopen.set(role, Number(resolved.rows[0]!.id));
  }
};
