// SQL for members' privacy settings and the data each group's opt-out removes. Every write takes the
// caller's transaction, so a flag change and its deletions commit (or roll back) together.
import type { Queryable } from '../db/database.js';
import { PRIVACY_GROUPS, type PrivacyGroup, type PrivacySettings } from '../../shared/schemas/privacy.js';

const COLUMNS = PRIVACY_GROUPS.map((group) => `share_${group}, share_${group}_changed_at`).join(', ');

type SettingsRow = Record<string, boolean | Date | string | null>;

function settingsOf(row: SettingsRow): PrivacySettings {
  const entries = PRIVACY_GROUPS.map((group) => {
    const changedAt = row[`share_${group}_changed_at`] as Date | string | null;
    return [
      group,
      {
        enabled: row[`share_${group}`] === true,
        changedAt: changedAt === null ? null : new Date(changedAt).toISOString(),
      },
    ];
  });
  return Object.fromEntries(entries) as PrivacySettings;
}

export class PrivacyRepository {
  constructor(private readonly db: Queryable) {}

  /** A live member's settings; null when the member has no record (or was deleted). */
  async find(memberId: string, tx: Queryable = this.db): Promise<PrivacySettings | null> {
    const { rows } = await tx.query<SettingsRow>(
      `SELECT ${COLUMNS} FROM members WHERE id = $1 AND deleted_at IS NULL`,
      [memberId],
    );
    return rows[0] ? settingsOf(rows[0]) : null;
  }

  /** Like `find`, locking the row so concurrent PATCHes of one member apply one after the other. */
  async findForUpdate(memberId: string, tx: Queryable): Promise<PrivacySettings | null> {
    const { rows } = await tx.query<SettingsRow>(
      `SELECT ${COLUMNS} FROM members WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`,
      [memberId],
    );
    return rows[0] ? settingsOf(rows[0]) : null;
  }

  /** Sets the given flags and stamps each one's change time; returns the settings after the change. */
  async update(memberId: string, changes: Map<PrivacyGroup, boolean>, tx: Queryable): Promise<PrivacySettings> {
    const assignments: string[] = [];
    const values: unknown[] = [memberId];
    for (const [group, enabled] of changes) {
      // Group names come from PRIVACY_GROUPS, never from the request, so they are safe in the SQL text.
      values.push(enabled);
      assignments.push(`share_${group} = $${values.length}`, `share_${group}_changed_at = now()`);
    }
    const { rows } = await tx.query<SettingsRow>(
      `UPDATE members SET ${assignments.join(', ')}, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      values,
    );
    return settingsOf(rows[0]!);
  }

  /** Deletes the member's own scroll and dwell events; returns how many. */
  async deleteBehaviouralEvents(memberId: string, tx: Queryable): Promise<number> {
    return (await tx.query('DELETE FROM scroll_events WHERE user_id = $1', [memberId])).rowCount;
  }

  /** The grace-period purge: events of members who opted out of behavioural data at least `days` ago. */
  async purgeExpiredBehaviouralEvents(days: number, tx: Queryable = this.db): Promise<number> {
    const result = await tx.query(
      `DELETE FROM scroll_events s USING members m
        WHERE s.user_id = m.id AND NOT m.share_behavioural
          AND coalesce(m.share_behavioural_changed_at, '-infinity') <= now() - make_interval(days => $1::int)`,
      [days],
    );
    return result.rowCount;
  }

  /** Deletes the member's connector accounts, sealed tokens included; returns how many. */
  async deleteConnectorAccounts(memberId: string, tx: Queryable): Promise<number> {
    return (await tx.query('DELETE FROM connector_accounts WHERE member_id = $1', [memberId])).rowCount;
  }

  /** Deletes the member's taste vector and the traits stored with it; returns whether one existed. */
  async deleteTasteVector(memberId: string, tx: Queryable): Promise<number> {
    return (await tx.query('DELETE FROM user_taste_vectors WHERE user_id = $1', [memberId])).rowCount;
  }
}
