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

/**
 * The answer of a route that queues a singleton job: the job's id, or null when one was already waiting
 * (it will do the same work). `jobIdDescription` says which job, for the docs.
 */
export function queuedJobSchema(jobIdDescription: string) {
  return Type.Object(
    {
      jobId: Type.Union([Type.String(), Type.Null()], { description: jobIdDescription }),
      queued: Type.Boolean(),
    },
    { additionalProperties: false },
  );
}
