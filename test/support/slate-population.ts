// A small population for slate tests: a viewer in Berlin and candidates close by who all match her
// preferences, in three taste clusters (so top-by-score is redundant and diversity has work to do),
// two genders skewed 3:1 at the top (so parity has work to do), and some harassment scores.
import type { Queryable } from '../../server/db/database.js';

export interface SlatePopulation {
  viewerId: string;
  otherViewerId: string;
  candidateIds: string[];
  /** Candidates whose harassment score is above 0.8. */
  harassing: string[];
  /** Candidates with no safety score at all. */
  unscored: string[];
}

function unit(values: number[]): string {
  const norm = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0));
  const vector = new Array<number>(256).fill(0);
  values.forEach((value, index) => (vector[index] = value / norm));
  return `[${vector.join(',')}]`;
}

export async function seedSlatePopulation(db: Queryable, count = 40): Promise<SlatePopulation> {
  const add = async (id: string, gender: string, seeking: string[], taste: string, lat = 52.52) => {
    await db.query(
      `INSERT INTO members (id, display_name, gender, seeking, birthday, lat, lon, hobbies, last_active_at)
       VALUES ($1, $1, $2, $3, '1993-06-01', $4, 13.4, ARRAY['climbing'], now())`,
      [id, gender, seeking, lat],
    );
    await db.query(`INSERT INTO user_taste_vectors (user_id, taste, model_version) VALUES ($1, $2::vector, 'test')`, [
      id,
      taste,
    ]);
  };
  await add('slate-viewer', 'woman', ['man', 'nonbinary'], unit([1, 0.2, 0.1]));
  await add('slate-other-viewer', 'woman', ['man', 'nonbinary'], unit([0.9, 0.3, 0.1]));
  const candidateIds: string[] = [];
  const harassing: string[] = [];
  const unscored: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `slate-c${String(i).padStart(2, '0')}`;
    // Three tight clusters; the first quarter of candidates are nearly identical to the viewer.
    const cluster = i < count / 4 ? [1, 0.2, 0.1] : i % 2 === 0 ? [0.2, 1, 0.1] : [0.1, 0.2, 1];
    const jitter = (i % 7) * 0.01;
    const gender = i % 4 === 3 ? 'nonbinary' : 'man';
    await add(
      id,
      gender,
      ['woman'],
      unit([cluster[0]! + jitter, cluster[1]!, cluster[2]! + jitter]),
      52.52 + i * 0.001,
    );
    candidateIds.push(id);
    if (i % 9 === 1) {
      harassing.push(id);
      await db.query(
        `INSERT INTO safety_scores (member_id, harassment_score, source, updated_by) VALUES ($1, 0.93, 'test', 'test')`,
        [id],
      );
    } else if (i % 5 === 0) {
      unscored.push(id);
    } else {
      await db.query(
        `INSERT INTO safety_scores (member_id, harassment_score, source, updated_by) VALUES ($1, 0.05, 'test', 'test')`,
        [id],
      );
    }
  }
  return { viewerId: 'slate-viewer', otherViewerId: 'slate-other-viewer', candidateIds, harassing, unscored };
}
