// The shared upstream-response cache (`metadata_cache`) and its hit / miss counters
// (`metadata_cache_stats`). Expiry is judged by the database clock, the one clock all replicas share.
import type { Queryable } from '../db/database.js';
import type { MetadataCacheSourceStats, MetadataSource } from '../../shared/schemas/metadata.js';
import type { UpstreamResponse } from './upstream.js';

interface CacheRow {
  status: number;
  body: unknown;
  fetched_at: Date | string;
}

interface StatsRow {
  source: MetadataSource;
  hits: string | number;
  misses: string | number;
  entries: string | number;
  expired: string | number;
}

export class MetadataCacheRepository {
  constructor(private readonly db: Queryable) {}

  /** The cached response when one exists and has not expired. */
  async findFresh(source: MetadataSource, requestKey: string): Promise<UpstreamResponse | null> {
    const { rows } = await this.db.query<CacheRow>(
      `SELECT status, body, fetched_at FROM metadata_cache WHERE source = $1 AND request_key = $2 AND expires_at > now()`,
      [source, requestKey],
    );
    const row = rows[0];
    if (!row) return null;
    const cachedAt = new Date(row.fetched_at);
    return row.status === 404 ? { status: 404, body: null, cachedAt } : { status: 200, body: row.body, cachedAt };
  }

  /** Stores (or replaces) a response, kept for `ttlSeconds` from now. */
  async store(source: MetadataSource, requestKey: string, response: UpstreamResponse, ttlSeconds: number) {
    await this.db.query(
      `INSERT INTO metadata_cache (source, request_key, status, body, fetched_at, expires_at)
       VALUES ($1, $2, $3, $4::jsonb, now(), now() + make_interval(secs => $5))
       ON CONFLICT (source, request_key) DO UPDATE SET
         status = excluded.status, body = excluded.body,
         fetched_at = excluded.fetched_at, expires_at = excluded.expires_at`,
      [source, requestKey, response.status, response.status === 200 ? JSON.stringify(response.body) : null, ttlSeconds],
    );
  }

  async countLookup(source: MetadataSource, outcome: 'hit' | 'miss'): Promise<void> {
    const column = outcome === 'hit' ? 'hits' : 'misses';
    await this.db.query(
      `INSERT INTO metadata_cache_stats AS s (source, day, ${column}) VALUES ($1, current_date, 1)
       ON CONFLICT (source, day) DO UPDATE SET ${column} = s.${column} + 1`,
      [source],
    );
  }

  /** Lookups since the counters began, and what the cache holds now, for every source. */
  async stats(sources: readonly MetadataSource[]): Promise<MetadataCacheSourceStats[]> {
    const { rows } = await this.db.query<StatsRow>(
      `SELECT s.source,
              COALESCE((SELECT sum(hits) FROM metadata_cache_stats WHERE source = s.source), 0) AS hits,
              COALESCE((SELECT sum(misses) FROM metadata_cache_stats WHERE source = s.source), 0) AS misses,
              (SELECT count(*) FROM metadata_cache WHERE source = s.source) AS entries,
              (SELECT count(*) FROM metadata_cache WHERE source = s.source AND expires_at <= now()) AS expired
         FROM unnest($1::text[]) AS s (source)`,
      [sources],
    );
    return rows.map((row) => {
      const hits = Number(row.hits);
      const misses = Number(row.misses);
      return {
        source: row.source,
        hits,
        misses,
        hitRatio: hits + misses === 0 ? null : hits / (hits + misses),
        entries: Number(row.entries),
        expired: Number(row.expired),
      };
    });
  }
}
