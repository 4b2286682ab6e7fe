// A benchmark population: the demo members (profiles, preferences, scroll events) at any size, each
// with a taste vector shaped like the product's own. Real taste vectors are low-rank — favorites
// factors and interest text projected to 256 dims — and members who share hobbies lie close together,
// so a synthetic vector is its hobbies' latent directions plus personal noise in a 32-d space, lifted
// to 256 dims by a fixed random projection and normalised. Uniform random vectors would make HNSW look
// worse (no neighbourhood structure) and exclusions look rarer than they are.
import type { Database } from '../../server/db/database.js';
import { loadDemoPopulation } from '../../server/offline/demo/demo-population.js';
import { seededRandom } from '../../server/lib/seeded-random.js';
import { timed } from './stats.js';

const LATENT_DIMS = 32;
const TASTE_DIMS = 256;
/** How far a member strays from the mean of their hobbies' directions (latent units). */
const PERSONAL_NOISE = 0.6;
/** Full-rank noise on top of the projection, as text embeddings add. */
const AMBIENT_NOISE = 0.03;
const INSERT_BATCH = 1_000;
export const BENCH_VECTOR_MODEL = 'bench-synthetic-v1';

export interface TastePopulationReport {
  members: number;
  vectors: number;
  seedMs: number;
  vectorsMs: number;
  indexMs: number;
}

/** Loads `members` demo members and their synthetic taste vectors, then builds the HNSW index once. */
export async function seedTastePopulation(db: Database, members: number, seed = 42): Promise<TastePopulationReport> {
  const seedMs = await timed(() => loadDemoPopulation(db, members, { seed }));
  const { rows } = await db.query<{ id: string; hobbies: string[] }>('SELECT id, hobbies FROM members ORDER BY id');
  // Building the index after the load is several times faster than inserting into it row by row.
  await db.query('DROP INDEX IF EXISTS user_taste_vectors_taste_hnsw');
  const vectors = syntheticTasteVectors(rows, seed);
  const vectorsMs = await timed(async () => {
    for (let start = 0; start < rows.length; start += INSERT_BATCH) {
      const batch = rows.slice(start, start + INSERT_BATCH);
      await db.query(
        `INSERT INTO user_taste_vectors (user_id, taste, model_version)
         SELECT id, taste::vector, $3 FROM unnest($1::text[], $2::text[]) AS t (id, taste)`,
        [batch.map((row) => row.id), batch.map((row) => vectorLiteral(vectors.get(row.id)!)), BENCH_VECTOR_MODEL],
      );
    }
  });
  const indexMs = await timed(() =>
    db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('maintenance_work_mem', '512MB', true)`);
      // The same definition as migration 001, so the benchmark measures the index production uses.
      await tx.query(
        `CREATE INDEX user_taste_vectors_taste_hnsw ON user_taste_vectors
           USING hnsw (taste vector_cosine_ops) WITH (m = 16, ef_construction = 64)`,
      );
    }),
  );
  await db.query('ANALYZE members; ANALYZE user_taste_vectors; ANALYZE swipes');
  return {
    members: rows.length,
    vectors: vectors.size,
    seedMs: Math.round(seedMs),
    vectorsMs: Math.round(vectorsMs),
    indexMs: Math.round(indexMs),
  };
}

/** One unit 256-d vector per member, determined by the seed and the member's hobbies. */
export function syntheticTasteVectors(
  members: ReadonlyArray<{ id: string; hobbies: readonly string[] }>,
  seed: number,
): Map<string, Float32Array> {
  const random = seededRandom(seed ^ 0x5eed);
  const gaussian = () => random.normal();
  const projection = Array.from({ length: LATENT_DIMS }, () =>
    Float64Array.from({ length: TASTE_DIMS }, () => gaussian() / Math.sqrt(TASTE_DIMS)),
  );
  const hobbyDirections = new Map<string, Float64Array>();
  const directionOf = (hobby: string) => {
    let direction = hobbyDirections.get(hobby);
    if (!direction) {
      direction = Float64Array.from({ length: LATENT_DIMS }, gaussian);
      hobbyDirections.set(hobby, direction);
    }
    return direction;
  };
  const vectors = new Map<string, Float32Array>();
  for (const member of members) {
    const latent = Float64Array.from({ length: LATENT_DIMS }, () => PERSONAL_NOISE * gaussian());
    for (const hobby of member.hobbies) {
      const direction = directionOf(hobby);
      for (let d = 0; d < LATENT_DIMS; d++) latent[d]! += direction[d]! / Math.max(1, member.hobbies.length);
    }
    const taste = new Float64Array(TASTE_DIMS);
    for (let d = 0; d < LATENT_DIMS; d++) {
      const row = projection[d]!;
      for (let j = 0; j < TASTE_DIMS; j++) taste[j]! += latent[d]! * row[j]!;
    }
    let norm = 0;
    for (let j = 0; j < TASTE_DIMS; j++) {
      taste[j]! += AMBIENT_NOISE * gaussian();
      norm += taste[j]! * taste[j]!;
    }
    vectors.set(
      member.id,
      Float32Array.from(taste, (value) => value / Math.sqrt(norm)),
    );
  }
  return vectors;
}

function vectorLiteral(vector: Float32Array): string {
  return `[${Array.from(vector, (value) => value.toPrecision(7)).join(',')}]`;
}
