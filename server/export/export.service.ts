// Builds a member's data export and decides how it is delivered: inline when small, otherwise through
// the `member_export` job, which writes it to object storage for GET /api/v2/users/me/export/:exportId.
// Sections are read in one transaction so they agree with each other.
import { randomUUID } from 'node:crypto';
import {
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  type ExportJob,
  type MemberExport,
} from '../../shared/schemas/export.js';
import type { Database } from '../db/database.js';
import { gone, notFound } from '../errors/domain-errors.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { QueueContracts, Queues, type PayloadOf } from '../jobs/queues.js';
import type { CachedExplanationsSource } from './cached-explanations.js';
import type { ExportStorage } from './export-storage.js';
import type { ExportRepository } from './export.repository.js';

/** The `member_export` job's payload. */
export type ExportJobData = PayloadOf<typeof QueueContracts.memberExport>;

export interface ExportLimits {
  /** More rows than this (favorites, swipes, impressions, events, …) and the export becomes a job. */
  maxInlineRows: number;
  /** A built export larger than this (JSON bytes) becomes a job instead of an inline answer. */
  maxInlineBytes: number;
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = { maxInlineRows: 10_000, maxInlineBytes: 5 * 1024 * 1024 };

export type ExportRequestResult = { kind: 'inline'; export: MemberExport } | { kind: 'job'; job: ExportJob };
export type ExportStatusResult = { kind: 'ready'; export: MemberExport } | { kind: 'pending'; job: ExportJob };

const JOB_STATUS: Record<string, ExportJob['status']> = { created: 'queued', retry: 'queued', active: 'running' };

/** Job states with no export to wait for; `completed` without a manifest means the object was removed. */
const FAILED_STATES = new Set(['failed', 'cancelled', 'completed']);

export const EXPORT_ROUTE = '/api/v2/users/me/export';

export class ExportService {
  constructor(
    private readonly deps: {
      db: Database;
      repository: ExportRepository;
      jobs: JobQueue;
      storage: ExportStorage;
      cachedExplanations: CachedExplanationsSource;
      limits: ExportLimits;
    },
  ) {}

  /** Everything held about the member, read in one transaction. */
  async build(memberId: string): Promise<MemberExport> {
    const { repository } = this.deps;
    const sections = await this.deps.db.transaction(async (tx) => ({
      ...(await repository.profileAndPrivacy(memberId, tx)),
      favorites: await repository.favorites(memberId, tx),
      swipesMade: await repository.swipesMade(memberId, tx),
      matches: await repository.matches(memberId, tx),
      slateImpressions: await repository.slateImpressions(memberId, tx),
      scrollEvents: await repository.scrollEvents(memberId, tx),
      experimentExposures: await repository.experimentExposures(memberId, tx),
      aboutYou: await repository.aboutYou(memberId, tx),
      connectors: await repository.connectors(memberId, tx),
      taste: await repository.taste(memberId, tx),
      safetyScore: await repository.safetyScore(memberId, tx),
      reviewRecords: await repository.reviewRecords(memberId, tx),
      previewAudit: await repository.previewAudit(memberId, tx),
    }));
    return {
      format: EXPORT_FORMAT,
      formatVersion: EXPORT_FORMAT_VERSION,
      generatedAt: new Date().toISOString(),
      memberId,
      profile: sections.profile,
      privacy: sections.privacy,
      favorites: sections.favorites,
      swipesMade: sections.swipesMade,
      matches: sections.matches,
      slateImpressions: sections.slateImpressions,
      scrollEvents: sections.scrollEvents,
      experimentExposures: sections.experimentExposures,
      aboutYou: sections.aboutYou,
      connectors: sections.connectors,
      explanations: this.deps.cachedExplanations(memberId),
      taste: sections.taste,
      safetyScore: sections.safetyScore,
      reviewRecords: sections.reviewRecords,
      previewAudit: sections.previewAudit,
    };
  }

  /** Inline when small; otherwise a job (an export already waiting or running for the member is reused). */
  async request(memberId: string): Promise<ExportRequestResult> {
    const { repository, limits } = this.deps;
    if ((await repository.rowCount(memberId)) <= limits.maxInlineRows) {
      const built = await this.build(memberId);
      if (Buffer.byteLength(JSON.stringify(built), 'utf8') <= limits.maxInlineBytes) {
        return { kind: 'inline', export: built };
      }
    }
    const pending = await repository.pendingJob(Queues.memberExport, memberId);
    if (pending) return { kind: 'job', job: jobView(pending.exportId, pending.state, pending.createdOn) };
    const exportId = randomUUID();
    const data: ExportJobData = { memberId, exportId };
    await this.deps.jobs.send(QueueContracts.memberExport, { ...data });
    return { kind: 'job', job: jobView(exportId, 'created', new Date().toISOString()) };
  }

  /** The job's work: build the export now and store it. */
  async runJob(data: ExportJobData): Promise<{ bytes: number; parts: number }> {
    const built = await this.build(data.memberId);
    return this.deps.storage.write(data.memberId, data.exportId, JSON.stringify(built));
  }

  /**
   * An export of the member's by id: the export when written, else its job's state. Another member's id
   * is a 404 like an unknown one: the job is looked up by (member, id) and the object under the member's
   * own folder, so nothing says whether the id exists for someone else.
   */
  async status(memberId: string, exportId: string): Promise<ExportStatusResult> {
    const text = await this.deps.storage.read(memberId, exportId);
    if (text !== null) return { kind: 'ready', export: JSON.parse(text) as MemberExport };
    const job = await this.deps.repository.findJob(Queues.memberExport, memberId, exportId);
    if (!job) throw notFound('exportId', `no export "${exportId}" of yours (it may have expired)`);
    if (job.state === 'completed') {
      // Finished between the two reads above: the manifest is there now.
      const written = await this.deps.storage.read(memberId, exportId);
      if (written !== null) return { kind: 'ready', export: JSON.parse(written) as MemberExport };
    }
    if (FAILED_STATES.has(job.state)) {
      throw gone('exportId', `export "${exportId}" failed; request a new one with GET ${EXPORT_ROUTE}`);
    }
    return { kind: 'pending', job: jobView(exportId, job.state, job.createdOn) };
  }
}

function jobView(exportId: string, state: string, requestedAt: string): ExportJob {
  return {
    exportId,
    status: JOB_STATUS[state] ?? 'queued',
    requestedAt,
    statusUrl: `${EXPORT_ROUTE}/${exportId}`,
  };
}

/** `sde-export-<date>.json`, the date of the export in UTC. */
export function exportFileName(generatedAt: string): string {
  return `sde-export-${generatedAt.slice(0, 10)}.json`;
}
