// The 7-day dwell averages (`user_dwell_avg`), refreshed by the scheduled job.
import type { Queryable } from '../db/database.js';

export class DwellRepository {
  constructor(private readonly db: Queryable) {}

  /** CONCURRENTLY keeps the view readable while it rebuilds; it needs the view's unique index. */
  async refresh(): Promise<void> {
    await this.db.query('REFRESH MATERIALIZED VIEW CONCURRENTLY user_dwell_avg');
  }
}
