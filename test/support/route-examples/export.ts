// Example requests for the member data export. The status route needs an export of member-1's: prepare
// queues one (its job may run or retry; either way the route answers 202 or 200 for its owner).
import { QueueContracts } from '../../../server/jobs/queues.js';
import type { PrepareExamples, RouteExamples } from './route-example.js';

const EXPORT_ID = '6f1c2b9e-4d3a-4e8b-9a51-0c7d2e3f4a5b';

export const examples: RouteExamples = {
  'GET /api/v2/users/me/export': {},
  'GET /api/v2/users/me/export/:exportId': { url: `/api/v2/users/me/export/${EXPORT_ID}` },
};

export const prepare: PrepareExamples = async (t) => {
  await t.app.engine.jobs.send(QueueContracts.memberExport, { memberId: 'member-1', exportId: EXPORT_ID });
};
