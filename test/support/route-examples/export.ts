// Example requests for the member data export. The status route needs an export of member-1's: prepare
// queues one (its job may run or retry; either way the route answers 202 or 200 for its owner).
import { MEMBER_EXPORT_QUEUE } from '../../../server/export/export.service.js';
import type { PrepareExamples, RouteExamples } from './route-example.js';

const EXPORT_ID = '6f1c2b9e-4d3a-4e8b-9a51-0c7d2e3f4a5b';

export const examples: RouteExamples = {
  'GET /api/v2/users/me/export': {},
  'GET /api/v2/users/me/export/:exportId': { url: `/api/v2/users/me/export/${EXPORT_ID}` },
};

export const prepare: PrepareExamples = async (t) => {
  await t.app.jobs.send(MEMBER_EXPORT_QUEUE, { memberId: 'member-1', exportId: EXPORT_ID });
};
