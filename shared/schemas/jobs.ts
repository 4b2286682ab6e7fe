import { Type, type Static } from '@sinclair/typebox';

const Counts = Type.Object({
  created: Type.Integer(),
  retry: Type.Integer(),
  active: Type.Integer(),
  completed: Type.Integer(),
  failed: Type.Integer(),
  cancelled: Type.Integer(),
});

/** Queue and schedule state for operators (admin endpoint, console overview). */
export const JobQueueState = Type.Object(
  {
    workersRunning: Type.Boolean({ description: 'false on API-only replicas started with SDE_JOBS=off' }),
    queues: Type.Array(Type.Object({ name: Type.String(), policy: Type.String(), counts: Counts })),
    schedules: Type.Array(Type.Object({ name: Type.String(), cron: Type.String(), timezone: Type.String() })),
  },
  { $id: 'JobQueueState' },
);
export type JobQueueState = Static<typeof JobQueueState>;
