// Everything the taste model reads and writes in the database: members' feature groups and privacy
// flags, favorites with their media and content embeddings, fitted item factors, and the stored
// taste vectors. The only place that knows this module's SQL.
import type { Queryable } from '../db/database.js';
import type { TasteQualityCheck } from '../../shared/schemas/taste.js';
import type { FittedItemFactors, ItemFactor } from './taste-model.js';

export interface MemberFeatures {
  memberId: string;
  hobbies: string[];
  communities: string[];
  shareInterests: boolean;
  shareFavorites: boolean;
  shareConnectors: boolean;
}

/** A favorite (or a media item named in a request) with what the embedder needs to read it. */
export interface FavoriteMedia {
  mediaId: string;
  title: string;
  year: number | null;
  kind: string;
  aliases: string[];
  metadata: unknown;
  /** The stored content embedding (from `embeddingModel`), or null. */
  embedding: number[] | null;
  embeddingModel: string | null;
}

export interface TasteModelRecord {
  id: string;
  rank: number;
  fittedAt: string;
}

interface FavoriteMediaRow extends Omit<FavoriteMedia, 'mediaId' | 'embedding' | 'embeddingModel'> {
  id: string;
  /** pgvector's text form. */
  embedding: string | null;
  embedding_model: string | null;
}

const MEDIA_COLUMNS = `m.id, m.title, m.year, m.kind, m.aliases, m.metadata, m.embedding::text AS embedding, m.embedding_model`;

function toFavoriteMedia(row: FavoriteMediaRow): FavoriteMedia {
  return {
    mediaId: row.id,
    title: row.title,
    year: row.year,
    kind: row.kind,
    aliases: row.aliases,
    metadata: row.metadata,
    embedding: row.embedding === null ? null : (JSON.parse(row.embedding) as number[]),
    embeddingModel: row.embedding_model,
  };
}

/** pgvector's text form. */
function vectorLiteral(vector: ArrayLike<number>): string {
  return `[${Array.from(vector).join(',')}]`;
}

/** Rows per INSERT when saving factors, well under Postgres' 65,535 parameters. */
const FACTOR_INSERT_BATCH = 500;

export class TasteRepository {
  constructor(private readonly db: Queryable) {}

  /** A member's feature groups and privacy flags; null for an unknown or deleted member. */
  async memberFeatures(memberId: string, tx: Queryable = this.db): Promise<MemberFeatures | null> {
    const { rows } = await tx.query<{
      id: string;
      hobbies: string[];
      communities: string[];
      share_interests: boolean;
      share_favorites: boolean;
      share_connectors: boolean;
    }>(
      `SELECT id, hobbies, communities, share_interests, share_favorites, share_connectors
         FROM members WHERE id = $1 AND deleted_at IS NULL`,
      [memberId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      memberId: row.id,
      hobbies: row.hobbies,
      communities: row.communities,
      shareInterests: row.share_interests,
      shareFavorites: row.share_favorites,
      shareConnectors: row.share_connectors,
    };
  }

  /**
   * A member's favorites with their media. Favorites a connector imported (`source <> 'manual'`) are
   * left out when `includeConnectorSources` is false (the member stopped sharing connector data).
   */
  async favoritesOf(
    memberId: string,
    includeConnectorSources: boolean,
    tx: Queryable = this.db,
  ): Promise<FavoriteMedia[]> {
    const { rows } = await tx.query<FavoriteMediaRow>(
      `SELECT ${MEDIA_COLUMNS} FROM favorites f JOIN media m ON m.id = f.media_id
        WHERE f.member_id = $1 AND ($2 OR f.source = 'manual')
        ORDER BY f.created_at, f.media_id`,
      [memberId, includeConnectorSources],
    );
    return rows.map(toFavoriteMedia);
  }

  /** Media named by id, or else by exact (case-insensitive) title, the most popular title match first. */
  async resolveMedia(references: readonly string[], tx: Queryable = this.db): Promise<Map<string, FavoriteMedia>> {
    const found = new Map<string, FavoriteMedia>();
    if (references.length === 0) return found;
    // Two joins, not one `ON id = … OR lower(title) = …`: the OR cannot use an index or a hash, so it
    // compared every reference with every title (15 s for 200 references on 50k media, on PGlite the
    // whole event loop); apart, ids use the primary key and titles one hash join.
    const { rows } = await tx.query<FavoriteMediaRow & { reference: string }>(
      `SELECT DISTINCT ON (matched.reference) matched.*
         FROM (
           SELECT r.reference, true AS by_id, m.popularity, ${MEDIA_COLUMNS}
             FROM unnest($1::text[]) AS r(reference) JOIN media m ON m.id = r.reference
           UNION ALL
           SELECT r.reference, false AS by_id, m.popularity, ${MEDIA_COLUMNS}
             FROM unnest($1::text[]) AS r(reference) JOIN media m ON lower(m.title) = lower(r.reference)
         ) AS matched
        ORDER BY matched.reference, matched.by_id DESC, matched.popularity DESC, matched.id`,
      [references],
    );
    for (const row of rows) found.set(row.reference, toFavoriteMedia(row));
    return found;
  }

  /** Every favorite that may feed the collaborative model: live members who share their favorites. */
  async shareableFavorites(tx: Queryable = this.db): Promise<Array<{ memberId: string; mediaId: string }>> {
    const { rows } = await tx.query<{ member_id: string; media_id: string }>(
      `SELECT f.member_id, f.media_id FROM favorites f JOIN members mb ON mb.id = f.member_id
        WHERE mb.deleted_at IS NULL AND mb.share_favorites
          AND (f.source = 'manual' OR mb.share_connectors)`,
    );
    return rows.map((row) => ({ memberId: row.member_id, mediaId: row.media_id }));
  }

  /** The newest fitted model, or null before the first fit. */
  async currentModel(tx: Queryable = this.db): Promise<TasteModelRecord | null> {
    const { rows } = await tx.query<{ id: string; rank: number; fitted_at: Date | string }>(
      `SELECT id, rank, fitted_at FROM taste_models ORDER BY fitted_at DESC, id DESC LIMIT 1`,
    );
    const row = rows[0];
    return row ? { id: row.id, rank: row.rank, fittedAt: new Date(row.fitted_at).toISOString() } : null;
  }

  async factorsFor(
    modelId: string,
    mediaIds: readonly string[],
    tx: Queryable = this.db,
  ): Promise<Map<string, ItemFactor>> {
    const factors = new Map<string, ItemFactor>();
    if (mediaIds.length === 0) return factors;
    const { rows } = await tx.query<{ media_id: string; idf: number; factor: number[] }>(
      `SELECT media_id, idf, factor FROM taste_item_factors WHERE model_id = $1 AND media_id = ANY($2::text[])`,
      [modelId, mediaIds],
    );
    for (const row of rows) factors.set(row.media_id, { idf: Number(row.idf), factor: row.factor.map(Number) });
    return factors;
  }

  /** Stores a fit and its factors; call inside a transaction so a half-saved fit is never current. */
  async saveModel(id: string, fit: FittedItemFactors, tx: Queryable = this.db): Promise<void> {
    await tx.query(
      `INSERT INTO taste_models (id, rank, members, items, favorites, singular_values) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, fit.rank, fit.members, fit.items.size, fit.favorites, fit.singularValues],
    );
    const entries = [...fit.items];
    for (let start = 0; start < entries.length; start += FACTOR_INSERT_BATCH) {
      const batch = entries.slice(start, start + FACTOR_INSERT_BATCH);
      await tx.query(
        `INSERT INTO taste_item_factors (model_id, media_id, idf, factor)
         SELECT $1, media_id, idf, ARRAY(SELECT jsonb_array_elements_text(factor)::real)
           FROM jsonb_to_recordset($2::jsonb) AS t(media_id text, idf real, factor jsonb)`,
        [
          id,
          JSON.stringify(batch.map(([mediaId, item]) => ({ media_id: mediaId, idf: item.idf, factor: item.factor }))),
        ],
      );
    }
  }

  async upsertVector(
    memberId: string,
    vector: Float32Array,
    traits: Record<string, unknown>,
    modelVersion: string,
    tx: Queryable = this.db,
  ): Promise<void> {
    // Written only while the member still exists and shares favorites, decided in this statement: a
    // rebuild that read the member before a favorites opt-out (or an erasure) committed must not recreate
    // the vector the opt-out deleted. FOR SHARE waits for an opt-out in flight (it updates the member row)
    // and then re-reads the row; an opt-out that comes second waits for this write and deletes it.
    await tx.query(
      `INSERT INTO user_taste_vectors (user_id, taste, traits, model_version, updated_at)
       SELECT m.id, $2::vector, $3::jsonb, $4, now()
         FROM members m
        WHERE m.id = $1 AND m.deleted_at IS NULL AND m.share_favorites
        FOR SHARE OF m
       ON CONFLICT (user_id) DO UPDATE SET
         taste = excluded.taste, traits = excluded.traits, model_version = excluded.model_version, updated_at = now()`,
      [memberId, vectorLiteral(vector), JSON.stringify(traits), modelVersion],
    );
  }

  /** Favorited media (of members who share favorites) lacking an embedding from `embeddingModel`. */
  async favoritedMediaLackingEmbedding(
    embeddingModel: string,
    limit: number,
    tx: Queryable = this.db,
  ): Promise<FavoriteMedia[]> {
    const { rows } = await tx.query<FavoriteMediaRow>(
      `SELECT ${MEDIA_COLUMNS} FROM media m
        WHERE m.embedding_model IS DISTINCT FROM $1
          AND EXISTS (SELECT 1 FROM favorites f WHERE f.media_id = m.id)
        ORDER BY m.id LIMIT $2`,
      [embeddingModel, limit],
    );
    return rows.map(toFavoriteMedia);
  }

  /** Live members, in id order after `after`, for rebuilding vectors in batches. */
  async memberIdsAfter(after: string, limit: number, tx: Queryable = this.db): Promise<string[]> {
    const { rows } = await tx.query<{ id: string }>(
      `SELECT id FROM members WHERE deleted_at IS NULL AND id > $1 ORDER BY id LIMIT $2`,
      [after, limit],
    );
    return rows.map((row) => row.id);
  }

  /** Shareable favorites, split by how the model places them: by a factor of `modelId`, else by an embedding. */
  async favoriteCoverage(
    modelId: string,
    embeddingModel: string,
    tx: Queryable = this.db,
  ): Promise<{ favorites: number; withFactor: number; withEmbeddingOnly: number }> {
    const { rows } = await tx.query<{ favorites: number; with_factor: number; with_embedding_only: number }>(
      `SELECT count(*)::int AS favorites,
              count(*) FILTER (WHERE tf.media_id IS NOT NULL)::int AS with_factor,
              count(*) FILTER (WHERE tf.media_id IS NULL AND m.embedding_model = $2)::int AS with_embedding_only
         FROM favorites f
         JOIN members mb ON mb.id = f.member_id
         JOIN media m ON m.id = f.media_id
         LEFT JOIN taste_item_factors tf ON tf.model_id = $1 AND tf.media_id = f.media_id
        WHERE mb.deleted_at IS NULL AND mb.share_favorites AND (f.source = 'manual' OR mb.share_connectors)`,
      [modelId, embeddingModel],
    );
    const row = rows[0]!;
    return { favorites: row.favorites, withFactor: row.with_factor, withEmbeddingOnly: row.with_embedding_only };
  }

  async saveQualityCheck(check: TasteQualityCheck, tx: Queryable = this.db): Promise<void> {
    await tx.query(
      `INSERT INTO taste_quality_checks (model_id, embedding_model, checked_at, favorites, with_factor,
         with_embedding_only, coverage, threshold, passed, members_rebuilt, media_embedded)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        check.modelId,
        check.embeddingModel,
        check.checkedAt,
        check.favorites,
        check.withFactor,
        check.withEmbeddingOnly,
        check.coverage,
        check.threshold,
        check.passed,
        check.membersRebuilt,
        check.mediaEmbedded,
      ],
    );
  }

  async latestQualityCheck(tx: Queryable = this.db): Promise<TasteQualityCheck | null> {
    const { rows } = await tx.query<{
      model_id: string;
      embedding_model: string;
      checked_at: Date | string;
      favorites: number;
      with_factor: number;
      with_embedding_only: number;
      coverage: number;
      threshold: number;
      passed: boolean;
      members_rebuilt: number;
      media_embedded: number;
    }>(`SELECT * FROM taste_quality_checks ORDER BY checked_at DESC, id DESC LIMIT 1`);
    const row = rows[0];
    if (!row) return null;
    return {
      modelId: row.model_id,
      embeddingModel: row.embedding_model,
      checkedAt: new Date(row.checked_at).toISOString(),
      favorites: row.favorites,
      withFactor: row.with_factor,
      withEmbeddingOnly: row.with_embedding_only,
      coverage: Number(row.coverage),
      threshold: Number(row.threshold),
      passed: row.passed,
      membersRebuilt: row.members_rebuilt,
      mediaEmbedded: row.media_embedded,
    };
  }

  /** Removes a vector that nothing may build any more (every group opted out or empty). */
  /** The `count` members nearest to the viewer's vector by cosine (empty when the viewer has none). */
  async nearestByTaste(viewerId: string, count: number): Promise<string[]> {
    const { rows } = await this.db.query<{ user_id: string }>(
      `WITH viewer AS (SELECT taste FROM user_taste_vectors WHERE user_id = $1)
       SELECT v.user_id FROM user_taste_vectors v, viewer
        WHERE v.user_id <> $1
        ORDER BY v.taste <=> viewer.taste
        LIMIT $2`,
      [viewerId, count],
    );
    return rows.map((row) => row.user_id);
  }

  async deleteVector(memberId: string, tx: Queryable = this.db): Promise<void> {
    await tx.query(`DELETE FROM user_taste_vectors WHERE user_id = $1`, [memberId]);
  }
}
