// Experiment exposures: the arm each viewer was first assigned, one row per viewer per experiment.
import type { Queryable } from '../db/database.js';

export class ExposuresRepository {
  constructor(private readonly db: Queryable) {}

  /** Records the first assignment; later ones for the same viewer and experiment change nothing. */
  async record(experimentKey: string, viewerId: string, arm: string): Promise<void> {
    await this.db.query(
      `INSERT INTO experiment_exposures (experiment_key, viewer_id, arm) VALUES ($1, $2, $3)
       ON CONFLICT (experiment_key, viewer_id) DO NOTHING`,
      [experimentKey, viewerId, arm],
    );
  }

  async countsByArm(
    experimentKey: string,
  ): Promise<Array<{ arm: string; viewers: number; firstAt: string; lastAt: string }>> {
    const { rows } = await this.db.query<{
      arm: string;
      viewers: number;
      first_at: Date | string;
      last_at: Date | string;
    }>(
      `SELECT arm, count(*)::int AS viewers, min(exposed_at) AS first_at, max(exposed_at) AS last_at
         FROM experiment_exposures WHERE experiment_key = $1 GROUP BY arm ORDER BY arm`,
      [experimentKey],
    );
    return rows.map((row) => ({
      arm: row.arm,
      viewers: row.viewers,
      firstAt: new Date(row.first_at).toISOString(),
      lastAt: new Date(row.last_at).toISOString(),
    }));
  }
}
