// Media rows as the embedder needs them, and storing their fp16 (`halfvec`) embeddings. The only place
// in this module that knows the `media` table's SQL.
import type { Queryable } from '../db/database.js';
import type { MediaForText } from './media-text.js';

export interface MediaToEmbed extends MediaForText {
  id: string;
  embeddingModel: string | null;
}

interface MediaRow extends Omit<MediaToEmbed, 'embeddingModel'> {
  aliases: string[];
  embedding_model: string | null;
}

function toMedia(row: MediaRow): MediaToEmbed {
  return {
    id: row.id,
    title: row.title,
    year: row.year,
    kind: row.kind,
    aliases: row.aliases,
    metadata: row.metadata,
    embeddingModel: row.embedding_model,
  };
}

const COLUMNS = 'id, title, year, kind, aliases, metadata, embedding_model';

/** pgvector's text form; halfvec parses it and rounds to fp16. */
export function vectorLiteral(vector: Float32Array): string {
  return `[${Array.from(vector, (value) => (Number.isFinite(value) ? value : 0)).join(',')}]`;
}

export class MediaEmbeddingRepository {
  constructor(private readonly db: Queryable) {}

  async find(mediaId: string, tx: Queryable = this.db): Promise<MediaToEmbed | null> {
    const result = await tx.query<MediaRow>(`SELECT ${COLUMNS} FROM media WHERE id = $1`, [mediaId]);
    return result.rows[0] ? toMedia(result.rows[0]) : null;
  }

  /** Up to `limit` media without an embedding from `model`, in id order. */
  async lackingEmbedding(model: string, limit: number, tx: Queryable = this.db): Promise<MediaToEmbed[]> {
    const result = await tx.query<MediaRow>(
      `SELECT ${COLUMNS} FROM media WHERE embedding_model IS DISTINCT FROM $1 ORDER BY id LIMIT $2`,
      [model, limit],
    );
    return result.rows.map(toMedia);
  }

  async storeEmbedding(mediaId: string, vector: Float32Array, model: string, tx: Queryable = this.db): Promise<void> {
    await tx.query(`UPDATE media SET embedding = $2::halfvec, embedding_model = $3, updated_at = now() WHERE id = $1`, [
      mediaId,
      vectorLiteral(vector),
      model,
    ]);
  }
}
