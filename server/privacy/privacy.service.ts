// Members' privacy settings: reading them, and switching feature groups with each group's effects in the
// same transaction as the flag (docs/privacy.md). Caches are told after the commit, so no replica drops
// an entry and then rebuilds it from the old state.
import {
  PRIVACY_GROUPS,
  type PrivacyEffect,
  type PrivacyGroup,
  type PrivacyPatch,
  type PrivacyResponse,
  type PrivacySettings,
} from '../../shared/schemas/privacy.js';
import type { Database, Queryable } from '../db/database.js';
import type { MemberChanges } from '../events/member-changes.js';
import { DomainError, malformed } from '../errors/domain-errors.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { QueueContracts } from '../jobs/queues.js';
import { requestReembed } from '../taste/reembed.queue.js';
import type { PrivacyRepository } from './privacy.repository.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What every group's setting is before the member changes it (migrations/001: all shared). */
export const DEFAULT_SETTINGS: PrivacySettings = Object.fromEntries(
  PRIVACY_GROUPS.map((group) => [group, { enabled: true, changedAt: null }]),
) as PrivacySettings;

/**
 * A PATCH must name a group: an empty one is almost certainly a client bug, not a deliberate no-op.
 * `field` is where the patch sits in the caller's input ('' when it is the whole input).
 */
export function requireSomeGroup(patch: PrivacyPatch, field: string): void {
  if (!PRIVACY_GROUPS.some((group) => patch[group] !== undefined)) {
    throw malformed(field, `name at least one of ${PRIVACY_GROUPS.join(', ')}`);
  }
}

export interface PrivacyOptions {
  /** Days a behavioural opt-out's stored events are kept before deletion; 0 deletes them at once. */
  behaviouralGraceDays: number;
}

export class PrivacyService {
  constructor(
    private readonly db: Database,
    private readonly repository: PrivacyRepository,
    private readonly jobs: JobQueue,
    private readonly memberChanges: MemberChanges,
    private readonly options: PrivacyOptions,
  ) {}

  /** A member without a record yet has the defaults. */
  async get(memberId: string): Promise<PrivacyResponse> {
    return { settings: (await this.repository.find(memberId)) ?? DEFAULT_SETTINGS, effects: [] };
  }

  async update(memberId: string, patch: PrivacyPatch): Promise<PrivacyResponse> {
    const result = await this.db.transaction(async (tx) => {
      const current = await this.repository.findForUpdate(memberId, tx);
      if (!current) {
        throw new DomainError(
          'not_found',
          'no record for this member yet; save attributes (PUT /api/v2/users/me/attributes) first',
          { topic: 'member' },
        );
      }
      const changes = new Map<PrivacyGroup, boolean>();
      for (const group of PRIVACY_GROUPS) {
        const wanted = patch[group];
        if (wanted !== undefined && wanted !== current[group].enabled) changes.set(group, wanted);
      }
      // Nothing changes: nothing is queued, deleted or published.
      if (changes.size === 0) return { settings: current, effects: [] as PrivacyEffect[] };
      const settings = await this.repository.update(memberId, changes, tx);
      const effects: PrivacyEffect[] = [];
      for (const [group, enabled] of changes) {
        if (!enabled) effects.push(...(await this.withhold(group, memberId, tx)));
      }
      // One rebuild covers every group changed here (the queue keeps one waiting job per member).
      await requestReembed(this.jobs, memberId, 'privacy_changed', tx);
      effects.push(
        changes.get('favorites') === true
          ? { effect: 'rebuild_queued', group: 'favorites' }
          : { effect: 'reembed_queued' },
      );
      effects.push({ effect: 'caches_invalidated' });
      return { settings, effects };
    });
    if (result.effects.length > 0) this.memberChanges.publish({ memberId, reason: 'privacy' });
    return result;
  }

  /** Daily job: deletes the events of members whose behavioural opt-out is older than the grace period. */
  purgeExpiredBehaviouralEvents(): Promise<number> {
    return this.repository.purgeExpiredBehaviouralEvents(this.options.behaviouralGraceDays);
  }

  /** What turning one group off removes beyond the masking the flag itself brings. */
  private async withhold(group: PrivacyGroup, memberId: string, tx: Queryable): Promise<PrivacyEffect[]> {
    switch (group) {
      case 'interests':
        // Hobbies and communities stay on the profile; the re-embed and the masks stop using them.
        return [];
      case 'behavioural': {
        // New events are refused by the scroll_events trigger (migrations/015) from this commit on.
        const graceDays = this.options.behaviouralGraceDays;
        if (graceDays > 0) {
          return [
            {
              effect: 'behavioural_events_deletion_scheduled',
              group,
              at: new Date(Date.now() + graceDays * DAY_MS).toISOString(),
            },
          ];
        }
        const count = await this.repository.deleteBehaviouralEvents(memberId, tx);
        // The 7-day dwell averages still hold the deleted events until the view is refreshed.
        if (count > 0) await this.jobs.send(QueueContracts.dwellRefresh, {}, { tx });
        return [{ effect: 'behavioural_events_deleted', group, count }];
      }
      case 'connectors': {
        // Spotify has no token revocation endpoint: deleting the sealed tokens is the revocation on our side.
        const count = await this.repository.deleteConnectorAccounts(memberId, tx);
        return [
          { effect: 'connector_syncs_stopped', group },
          { effect: 'connector_tokens_revoked', group, count },
        ];
      }
      case 'favorites': {
        const count = await this.repository.deleteTasteVector(memberId, tx);
        return [{ effect: 'taste_vector_deleted', group, count }];
      }
    }
  }
}
