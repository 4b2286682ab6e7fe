// Taste vectors placed at an exact similarity, so retrieval tests control who is "near" in taste.
import type { Queryable } from '../../server/db/database.js';

/**
 * Stores cos θ · e0 + sin θ · e1 as the member's taste vector: a unit vector whose cosine similarity to
 * e0 (the vector a test gives its viewer, with similarity 1) is exactly `similarity`.
 */
export async function addTasteVector(db: Queryable, memberId: string, similarity: number): Promise<void> {
  const taste = new Array<number>(256).fill(0);
  taste[0] = similarity;
  taste[1] = Math.sqrt(1 - similarity ** 2);
  await db.query(`INSERT INTO user_taste_vectors (user_id, taste, model_version) VALUES ($1, $2::vector, 'test-v1')`, [
    memberId,
    `[${taste.join(',')}]`,
  ]);
}
