// GrowthBook feature definitions kept in `engine_settings` under `growthbook_features`. The only place
// that knows their SQL.
import type { Queryable } from '../db/database.js';

export const GROWTHBOOK_FEATURES_KEY = 'growthbook_features';

export class FlagsRepository {
  constructor(private readonly db: Queryable) {}

  /** The stored definitions (GrowthBook's `features` object), or null when none are stored. */
  async features(tx: Queryable = this.db): Promise<unknown> {
    const result = await tx.query<{ value: unknown }>(`SELECT value FROM engine_settings WHERE key = $1`, [
      GROWTHBOOK_FEATURES_KEY,
    ]);
    return result.rows[0]?.value ?? null;
  }

  async saveFeatures(features: Record<string, unknown>, tx: Queryable = this.db): Promise<void> {
    await tx.query(
      `INSERT INTO engine_settings (key, value) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
      [GROWTHBOOK_FEATURES_KEY, JSON.stringify(features)],
    );
  }
}
