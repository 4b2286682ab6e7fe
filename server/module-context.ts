// What every feature module gets when it registers: the config, the database, and the job queue
// (on which it declares its queues before the workers start).
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from './config/config.js';
import type { Database } from './db/database.js';
import type { JobQueue } from './jobs/job-queue.js';
import type { MemberChanges } from './events/member-changes.js';
import type { FlagsService } from './flags/flags.service.js';

export interface ModuleContext {
  config: Config;
  db: Database;
  jobs: JobQueue;
  log: FastifyBaseLogger;
  /** Publish after a committed change to a member; subscribe to drop per-member state. */
  memberChanges: MemberChanges;
  /** GrowthBook flags and experiments, from the database or a GrowthBook server. */
  flags: FlagsService;
}

/** A feature module: registers its routes and declares its queues. */
export type RegisterModule = (app: FastifyInstance, context: ModuleContext) => Promise<void>;
