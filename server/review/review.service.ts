// The review queue's rules: a flag names members that exist and, when it names a slate, one that was
// served to that viewer; a flag is resolved once and reopened only when resolved (and a member-report
// item only while no newer one about the same member is open).
import type { Principal } from '../auth/tokens.js';
import { conflict, invalid, notFound } from '../errors/domain-errors.js';
import type {
  CreateReviewFlagInput,
  ReviewFlag,
  ReviewFlagPage,
  ReviewFlagWithHistory,
  ResolveReviewFlagInput,
  ReviewFlagSource,
} from '../../shared/schemas/review.js';
import type { ReviewRepository } from './review.repository.js';

export class ReviewService {
  constructor(private readonly repository: ReviewRepository) {}

  async create(caller: Principal, input: CreateReviewFlagInput): Promise<ReviewFlag> {
    if (!(await this.repository.memberExists(input.viewerId))) {
      throw notFound('viewerId', `member "${input.viewerId}" does not exist (or is deleted)`);
    }
    if (input.candidateId !== undefined && !(await this.repository.memberExists(input.candidateId))) {
      throw notFound('candidateId', `member "${input.candidateId}" does not exist (or is deleted)`);
    }
    if (input.slateId !== undefined && !(await this.repository.slateServedTo(input.slateId, input.viewerId))) {
      throw invalid(
        'slateId',
        `slate ${input.slateId} was not served to member "${input.viewerId}" (no logged impressions)`,
      );
    }
    const id = await this.repository.create({
      viewerId: input.viewerId,
      candidateId: input.candidateId ?? null,
      slateId: input.slateId ?? null,
      note: input.note,
      createdBy: caller.subject,
    });
    return this.mustFind(id);
  }

  async list(
    status: 'open' | 'resolved',
    limit: number,
    offset: number,
    source?: ReviewFlagSource,
  ): Promise<ReviewFlagPage> {
    const page = await this.repository.list(status, limit, offset, source);
    return { ...page, limit, offset };
  }

  async get(id: number): Promise<ReviewFlagWithHistory> {
    const flag = await this.mustFind(id);
    return { ...flag, history: await this.repository.history(id) };
  }

  async resolve(caller: Principal, id: number, input: ResolveReviewFlagInput): Promise<ReviewFlagWithHistory> {
    await this.mustFind(id);
    const resolved = await this.repository.resolve(id, input.outcome, caller.subject, input.note ?? null);
    if (!resolved) throw conflict('id', `flag ${id} is already resolved; reopen it first`);
    return this.get(id);
  }

  async reopen(caller: Principal, id: number, note: string): Promise<ReviewFlagWithHistory> {
    const flag = await this.mustFind(id);
    const reopened = await this.repository.reopen(id, caller.subject, note);
    if (reopened === 'not_resolved') throw conflict('id', `flag ${id} is already open`);
    if (reopened === 'open_report_exists') {
      const open = await this.repository.openMemberReportAbout(flag.viewerId);
      throw conflict(
        'id',
        `member "${flag.viewerId}" already has an open review item from member reports` +
          `${open === null ? '' : ` (flag ${open})`}; review that one instead`,
      );
    }
    return this.get(id);
  }

  private async mustFind(id: number): Promise<ReviewFlag> {
    const flag = await this.repository.find(id);
    if (!flag) throw notFound('id', `review flag ${id} does not exist`);
    return flag;
  }
}
