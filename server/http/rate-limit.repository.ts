// The shared rate-limit counters: one row per bucket, caller and minute in `rate_limit_windows`, so every
// replica counts into the same numbers. One statement per request reads the previous minute and counts
// the request only if it fits (the row lock of the upsert makes check-and-count atomic across replicas);
// a caller's first request in a new minute also deletes windows nobody can be limited by anymore.
import type { Queryable } from '../db/database.js';
import type { RateCounterStore, RateCounts, RateWindow } from './rate-limit.js';

export class RateLimitRepository implements RateCounterStore {
  constructor(private readonly db: Queryable) {}

  async take(
    bucket: string,
    key: string,
    window: RateWindow,
    limit: number,
  ): Promise<RateCounts & { counted: boolean }> {
    // The final SELECT sees the table as it was before the upsert: `before` is this window's count
    // without this request (only used when it was refused).
    const { rows } = await this.db.query<{ counted: number | null; before: number; previous: number }>(
      `WITH previous AS (
         SELECT COALESCE((SELECT count FROM rate_limit_windows
                           WHERE bucket = $1 AND subject = $2 AND window_start = $4::timestamptz), 0) AS count
       ), counted AS (
         INSERT INTO rate_limit_windows (bucket, subject, window_start, count)
         SELECT $1, $2, $3::timestamptz, 1 FROM previous WHERE previous.count * $5::float8 + 1 <= $6
         ON CONFLICT (bucket, subject, window_start) DO UPDATE SET count = rate_limit_windows.count + 1
          WHERE (SELECT count FROM previous) * $5::float8 + rate_limit_windows.count + 1 <= $6
         RETURNING count
       )
       SELECT (SELECT count FROM counted) AS counted,
              COALESCE((SELECT count FROM rate_limit_windows
                         WHERE bucket = $1 AND subject = $2 AND window_start = $3::timestamptz), 0) AS before,
              (SELECT count FROM previous) AS previous`,
      [
        bucket,
        key,
        new Date(window.startMs).toISOString(),
        new Date(window.previousStartMs).toISOString(),
        window.previousWeight,
        limit,
      ],
    );
    const row = rows[0]!;
    const counted = row.counted !== null;
    const current = counted ? Number(row.counted) : Number(row.before);
    // A caller's first request in a minute is a cheap, rare moment to clear finished windows, so the
    // table stays about two rows per recently active caller and bucket without a cleanup job.
    if (counted && current === 1) {
      await this.db.query('DELETE FROM rate_limit_windows WHERE window_start < $1::timestamptz', [
        new Date(window.previousStartMs).toISOString(),
      ]);
    }
    return { counted, current, previous: Number(row.previous) };
  }
}
