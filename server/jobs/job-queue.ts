// Postgres-backed job queue and scheduler (pg-boss 10) over the engine's own Database, so it runs the
// same on PGlite and on a Postgres pool. Cron schedules are claimed through pg-boss's cron lock and
// 60-second singleton slots, so replicas sharing one Postgres never run a scheduled job twice.
import PgBoss from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import { Value } from '@sinclair/typebox/value';
import type { Database, Queryable } from '../db/database.js';
import type { PayloadOf, QueueContract } from './queues.js';

export interface JobQueueOptions {
  /** false: this replica only enqueues (API-only replicas); workers and schedules run elsewhere. */
  runWorkers: boolean;
  /** How often each replica checks cron schedules (pg-boss default 30 s). */
  cronCheckSeconds: number;
  /** How often idle workers poll for jobs. */
  pollingSeconds: number;
  /**
   * This process is the only one that can run jobs on the database (embedded PGlite, one process per
   * data folder): a job still `active` at start was orphaned by a crash or a kill, so it is failed at
   * once (its queue's retry policy decides what follows) instead of blocking its queue until it expires
   * — an hour for ranker training, so an interrupted first start would wait that long for its model.
   */
  soleWorkerProcess?: boolean;
}

/** Runs one job; its payload has passed the queue's schema (server/jobs/queues.ts). */
export type JobHandler<Payload> = (data: Payload, job: { id: string; retryCount: number }) => Promise<void>;

/** A queue the engine uses: its delivery policy, the worker that runs its jobs, an optional schedule. */
export interface QueueDefinition<Queue extends QueueContract = QueueContract> {
  /** Its name and payload schema, from server/jobs/queues.ts. */
  queue: Queue;
  options: Omit<PgBoss.Queue, 'name'>;
  handler?: JobHandler<PayloadOf<Queue>>;
  /** Cron expression, evaluated in UTC. */
  cron?: string;
  /** Jobs one worker runs at a time (default 1). */
  concurrency?: number;
  /**
   * Jobs one worker fetches per poll (default 1). The worker sleeps the polling interval between
   * fetches, so a busy queue drains at most `batchSize` jobs per interval; a batch's jobs still run,
   * complete and fail (and retry) one by one.
   */
  batchSize?: number;
}

export interface SendOptions {
  /** Collapses duplicates per the queue's policy (e.g. one waiting re-embed per member). */
  singletonKey?: string;
  startAfterSeconds?: number;
  /** Send inside the caller's transaction, so the job exists exactly when the write commits. */
  tx?: Queryable;
}

export interface QueueState {
  name: string;
  policy: string;
  counts: { created: number; retry: number; active: number; completed: number; failed: number; cancelled: number };
}

export interface JobQueueState {
  workersRunning: boolean;
  queues: QueueState[];
  schedules: Array<{ name: string; cron: string; timezone: string }>;
}

export class JobQueue {
  private readonly boss: PgBoss;
  private readonly definitions = new Map<string, QueueDefinition>();
  private started = false;
  /** Set once stop() has returned: the database may be closed from then on. */
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly options: JobQueueOptions,
    private readonly log: FastifyBaseLogger,
  ) {
    this.boss = new PgBoss({
      db: this.workerExecutor(db),
      schedule: options.runWorkers,
      supervise: options.runWorkers,
      migrate: true,
      cronMonitorIntervalSeconds: options.cronCheckSeconds,
      cronWorkerIntervalSeconds: options.cronCheckSeconds,
    });
    this.boss.on('error', (error) => this.log.error({ err: error }, 'job queue error'));
  }

  /** Declares a queue; every queue is declared before `start`. */
  define<Queue extends QueueContract>(definition: QueueDefinition<Queue>): void {
    const { name } = definition.queue;
    if (this.started) throw new Error(`queue ${name} defined after the job queue started`);
    if (this.definitions.has(name)) throw new Error(`queue ${name} defined twice`);
    // Stored without its payload type; runBatch checks each payload against the schema before the handler sees it.
    this.definitions.set(name, definition as unknown as QueueDefinition);
  }

  /** Installs pg-boss's schema and the queues; with `runWorkers`, also the schedules and the workers. */
  async start(): Promise<void> {
    await this.boss.start();
    this.started = true;
    this.stopped = false;
    for (const definition of this.definitions.values()) await this.ensureQueue(definition);
    if (!this.options.runWorkers) return;
    if (this.options.soleWorkerProcess) await this.failOrphanedJobs();
    for (const definition of this.definitions.values()) {
      const { name } = definition.queue;
      if (definition.cron) await this.boss.schedule(name, definition.cron, {}, { tz: 'UTC' });
      const handler = definition.handler;
      if (!handler) continue;
      for (let worker = 0; worker < (definition.concurrency ?? 1); worker++) {
        await this.boss.work<Record<string, unknown>>(
          name,
          {
            pollingIntervalSeconds: this.options.pollingSeconds,
            batchSize: definition.batchSize ?? 1,
            includeMetadata: true,
          },
          (jobs) => this.runBatch(definition.queue, handler, jobs),
        );
      }
    }
  }

  private async failOrphanedJobs(): Promise<void> {
    const { rows } = await this.db.query<{ name: string; id: string }>(
      `SELECT name, id::text AS id FROM pgboss.job WHERE state = 'active'`,
    );
    for (const job of rows) {
      await this.boss.fail(job.name, job.id, {
        message: 'orphaned: the process running it stopped before it finished',
      });
    }
    if (rows.length > 0) this.log.warn({ jobs: rows }, 'failed jobs orphaned by the previous run');
  }

  /**
   * Runs a fetched batch one job at a time. pg-boss would fail the whole batch when its callback
   * throws, so a job that throws is failed here on its own (retried per the queue's policy) and the
   * batch goes on; pg-boss then completes the jobs that are still active. A payload that fails the
   * queue's schema (sent by an older version, or by hand) fails the job the same way, naming the field.
   */
  private async runBatch(
    queue: QueueContract,
    handler: JobHandler<PayloadOf<QueueContract>>,
    jobs: PgBoss.JobWithMetadata[],
  ): Promise<void> {
    const { name } = queue;
    for (const job of jobs) {
      try {
        const problem = payloadProblem(queue, job.data);
        if (problem) throw new Error(`${name} job payload: ${problem}`);
        await handler(job.data, { id: job.id, retryCount: job.retryCount });
      } catch (error) {
        this.log.warn({ err: error, queue: name, jobId: job.id }, 'job failed');
        await this.boss.fail(name, job.id, error instanceof Error ? error : { message: String(error) });
      }
    }
  }

  /**
   * Creating a queue attaches a partition to pg-boss's job table; replicas starting together can
   * deadlock there. Postgres aborts one of them, which then finds the queue made by the other.
   */
  private async ensureQueue(definition: QueueDefinition): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const { name } = definition.queue;
      if (await this.boss.getQueue(name)) return;
      try {
        await this.boss.createQueue(name, { name, ...definition.options });
        return;
      } catch (error) {
        const code = (error as { code?: string }).code;
        const retryable = code === '40P01' || code === '23505' || code === '42P07';
        if (!retryable || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
      }
    }
  }

  /** Enqueues a job; null when the queue's policy folded it into one already waiting. */
  async send<Queue extends QueueContract>(
    queue: Queue,
    data: PayloadOf<Queue>,
    options: SendOptions = {},
  ): Promise<string | null> {
    const { name } = queue;
    if (!this.definitions.has(name)) throw new Error(`queue ${name} is not defined`);
    return this.boss.send(name, data as object, {
      singletonKey: options.singletonKey,
      startAfter: options.startAfterSeconds,
      db: executorOver(options.tx ?? this.db),
    });
  }

  async state(): Promise<JobQueueState> {
    const queues = await this.boss.getQueues();
    const counts = await this.db.query<{ name: string; state: string; count: number }>(
      `SELECT name, state::text AS state, count(*)::int AS count FROM pgboss.job GROUP BY name, state`,
    );
    const schedules = await this.boss.getSchedules();
    return {
      workersRunning: this.options.runWorkers,
      queues: queues
        .filter((queue) => this.definitions.has(queue.name))
        .map((queue) => ({
          name: queue.name,
          policy: queue.policy ?? 'standard',
          counts: countsFor(queue.name, counts.rows),
        })),
      schedules: schedules.map((schedule) => ({
        name: schedule.name,
        cron: schedule.cron,
        timezone: (schedule as { timezone?: string }).timezone ?? 'UTC',
      })),
    };
  }

  /** Stops fetching, lets running jobs finish, then detaches from the database (which stays open). */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, close: false, timeout: 15_000 });
    this.stopped = true;
  }

  /**
   * pg-boss's own SQL. A handler still running when stop() gave up waiting finishes later, and pg-boss
   * then records its outcome through here, possibly on a database its owner has closed since. That
   * record is dropped (logged): the job stays active and its expiry returns it to the queue for a retry.
   */
  private workerExecutor(db: Database): PgBoss.Db {
    const inner = executorOver(db);
    return {
      executeSql: (text, values) => {
        if (!this.stopped) return inner.executeSql(text, values);
        this.log.warn('job queue stopped: a late job outcome was not recorded; the job retries after it expires');
        return Promise.resolve({ rows: [], rowCount: 0 } as never);
      },
    };
  }
}

function countsFor(name: string, rows: Array<{ name: string; state: string; count: number }>): QueueState['counts'] {
  const counts = { created: 0, retry: 0, active: 0, completed: 0, failed: 0, cancelled: 0 };
  for (const row of rows) {
    if (row.name === name && row.state in counts) counts[row.state as keyof typeof counts] = row.count;
  }
  return counts;
}

/** The first way the payload fails the queue's schema, with the field's dotted path; null when it passes. */
function payloadProblem(queue: QueueContract, data: unknown): string | null {
  const error = Value.Errors(queue.payload, data).First();
  if (!error) return null;
  const field = error.path.split('/').filter(Boolean).join('.');
  return field ? `${field}: ${error.message}` : error.message;
}

/** pg-boss runs its SQL through this, so jobs can be sent inside the caller's transaction. */
function executorOver(queryable: Queryable): PgBoss.Db {
  return { executeSql: (text, values) => queryable.query(text, values) };
}
