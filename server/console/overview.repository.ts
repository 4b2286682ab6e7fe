// The overview's SQL: member and vector counts, the live ranker, dwell-view freshness and hourly activity.
import type { Queryable } from '../db/database.js';
import type { Overview } from '../../shared/schemas/console.js';
import type { HourCount } from './hourly-activity.js';
import { memberWithAttributes } from '../db/active-members.js';

export class OverviewRepository {
  constructor(private readonly db: Queryable) {}

  async members(): Promise<Overview['members']> {
    const result = await this.db.query<Overview['members']>(
      `SELECT count(*) FILTER (WHERE deleted_at IS NULL)::int AS "total",
              count(*) FILTER (WHERE ${memberWithAttributes()})::int AS "withAttributes",
              count(*) FILTER (WHERE deleted_at IS NOT NULL)::int AS "deleted",
              count(*) FILTER (WHERE deleted_at IS NULL AND NOT (share_interests OR share_behavioural
                               OR share_connectors OR share_favorites))::int AS "optedOut"
         FROM members`,
    );
    return result.rows[0]!;
  }

  /** All vectors by model version, and how many members with attributes have one. */
  async vectors(): Promise<{ count: number; covered: number; models: Array<{ version: string; count: number }> }> {
    const models = await this.db.query<{ version: string; count: number }>(
      `SELECT model_version AS version, count(*)::int AS count
         FROM user_taste_vectors GROUP BY model_version ORDER BY count DESC, model_version`,
    );
    const covered = await this.db.query<{ covered: number }>(
      `SELECT count(*)::int AS covered
         FROM user_taste_vectors v JOIN members m ON m.id = v.user_id
        WHERE ${memberWithAttributes('m')}`,
    );
    return {
      count: models.rows.reduce((sum, row) => sum + row.count, 0),
      covered: covered.rows[0]?.covered ?? 0,
      models: models.rows,
    };
  }

  async liveRanker(): Promise<Overview['liveModel']> {
    const result = await this.db.query<{
      id: string;
      metrics: Record<string, unknown>;
      status_changed_at: Date | string;
    }>(`SELECT id, metrics, status_changed_at FROM model_versions WHERE kind = 'ranker' AND status = 'live'`);
    const row = result.rows[0];
    if (!row) return null;
    return { id: row.id, metrics: row.metrics, statusChangedAt: new Date(row.status_changed_at).toISOString() };
  }

  /** Rows in `user_dwell_avg`, its newest event, and when the refresh job last completed. */
  async dwell(refreshQueue: string): Promise<Overview['dwell']> {
    const view = await this.db.query<{ rows: number; last_event_at: Date | string | null }>(
      `SELECT count(*)::int AS rows, max(last_event_at) AS last_event_at FROM user_dwell_avg`,
    );
    const refreshed = await this.db.query<{ completed_on: Date | string | null }>(
      `SELECT max(completed_on) AS completed_on FROM pgboss.job WHERE name = $1 AND state = 'completed'`,
      [refreshQueue],
    );
    const lastEventAt = view.rows[0]?.last_event_at ?? null;
    const refreshedAt = refreshed.rows[0]?.completed_on ?? null;
    return {
      rows: view.rows[0]?.rows ?? 0,
      lastEventAt: lastEventAt === null ? null : new Date(lastEventAt).toISOString(),
      ...(refreshedAt === null ? {} : { refreshedAt: new Date(refreshedAt).toISOString() }),
    };
  }

  /** Distinct slates served per UTC hour since `since` (only hours that had any). */
  async slatesPerHour(since: Date): Promise<HourCount[]> {
    const result = await this.db.query<HourCount>(
      `SELECT date_trunc('hour', served_at, 'UTC') AS hour, count(DISTINCT slate_id)::int AS count
         FROM slate_impressions WHERE served_at >= $1 GROUP BY 1`,
      [since],
    );
    return result.rows;
  }

  /** Swipes per UTC hour since `since` (only hours that had any). */
  async swipesPerHour(since: Date): Promise<HourCount[]> {
    const result = await this.db.query<HourCount>(
      `SELECT date_trunc('hour', created_at, 'UTC') AS hour, count(*)::int AS count
         FROM swipes WHERE created_at >= $1 GROUP BY 1`,
      [since],
    );
    return result.rows;
  }
}
