// Saving a profile: semantic checks the schema cannot express, then the write and the re-embed job
// in one transaction, so an acknowledged save always has its re-embed queued.
import {
  ATTRIBUTE_LIMITS,
  ageOn,
  type UserAttributes,
  type UserAttributesInput,
} from '../../shared/schemas/attributes.js';
import type { Database } from '../db/database.js';
import { invalid } from '../errors/domain-errors.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { MemberChanges } from '../events/member-changes.js';
import { type AttributesRepository } from './attributes.repository.js';
import { requestReembed } from '../taste/reembed.queue.js';

export class AttributesService {
  constructor(
    private readonly db: Database,
    private readonly repository: AttributesRepository,
    private readonly jobs: JobQueue,
    private readonly memberChanges: MemberChanges,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get(memberId: string): Promise<UserAttributes | null> {
    return this.repository.find(memberId);
  }

  async save(memberId: string, input: UserAttributesInput): Promise<{ attributes: UserAttributes; created: boolean }> {
    this.checkBirthday(input.birthday);
    const saved = await this.db.transaction(async (tx) => {
      const result = await this.repository.upsert(memberId, input, tx);
      await requestReembed(this.jobs, memberId, 'profile_saved', tx);
      return result;
    });
    this.memberChanges.publish({ memberId, reason: 'profile' });
    return saved;
  }

  private checkBirthday(birthday: string): void {
    const today = this.clock();
    if (birthday >= today.toISOString().slice(0, 10)) {
      throw invalid('birthday', 'must be in the past');
    }
    const age = ageOn(birthday, today);
    if (age < ATTRIBUTE_LIMITS.minimumAge) {
      throw invalid('birthday', `members must be at least ${ATTRIBUTE_LIMITS.minimumAge} (this date gives ${age})`);
    }
    if (age > ATTRIBUTE_LIMITS.maximumAge) {
      throw invalid('birthday', `gives an age of ${age}, above ${ATTRIBUTE_LIMITS.maximumAge}`);
    }
  }
}
