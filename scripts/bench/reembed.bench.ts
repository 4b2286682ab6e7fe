// How fast the `member_reembed` queue drains: N members' re-embeds are queued as profile saves queue
// them (one send each), and the clock runs until the last one has completed, with the production
// polling interval (2 s) and the queue's own batch size. Reports jobs per second.
import type { Queryable } from '../../server/db/database.js';
import { Queues } from '../../server/jobs/queues.js';
import { reembedQueue, requestReembed } from '../../server/taste/reembed.queue.js';
import { measureOnEachDatabase } from './bench-app.js';
import { timed } from './stats.js';

export interface ReembedBenchOptions {
  postgresUrl?: string;
  /** Re-embeds queued (one member each; default 500). */
  members?: number;
  /** Give up waiting after this many seconds (default 1,800). */
  timeoutSeconds?: number;
}

const HOBBIES = ['climbing', 'film noir', 'baking sourdough', 'opera', 'chess', 'surfing', 'jazz', 'hiking'];

async function seedMembers(db: Queryable, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `bench-reembed-${i}`);
  for (const [i, id] of ids.entries()) {
    await db.query(
      `INSERT INTO members (id, gender, seeking, birthday, hobbies, communities)
       VALUES ($1, 'woman', ARRAY['man'], '1990-01-01', $2, ARRAY['Berlin Techno'])`,
      [id, [HOBBIES[i % HOBBIES.length]!, HOBBIES[(i * 3 + 1) % HOBBIES.length]!]],
    );
  }
  return ids;
}

async function unfinished(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ left: number }>(
    `SELECT count(*)::int AS left FROM pgboss.job WHERE name = $1 AND state < 'completed'`,
    [Queues.memberReembed],
  );
  return rows[0]?.left ?? 0;
}

async function drained(db: Queryable, deadline: number): Promise<void> {
  while ((await unfinished(db)) > 0) {
    if (Date.now() > deadline) throw new Error('re-embed bench: the queue did not drain before the timeout');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function runReembedBench(options: ReembedBenchOptions = {}): Promise<Record<string, unknown>> {
  const count = options.members ?? 500;
  const timeoutMs = (options.timeoutSeconds ?? 1_800) * 1000;
  const results = await measureOnEachDatabase(
    {
      postgresUrl: options.postgresUrl,
      name: 'reembed',
      env: { SDE_JOBS: 'on' },
      seed: (db) => seedMembers(db, count + 1),
    },
    async ({ kind, db, app, seeded: ids }) => {
      await app.ready();
      // Warm-up: the first re-embed loads the word vectors.
      await requestReembed(app.engine.jobs, ids[count]!, 'profile_saved');
      await drained(db, Date.now() + timeoutMs);
      const ms = await timed(async () => {
        for (const id of ids.slice(0, count)) await requestReembed(app.engine.jobs, id, 'profile_saved');
        await drained(db, Date.now() + timeoutMs);
      });
      return {
        driver: kind,
        reembeds: count,
        batchSize: reembedQueue.batchSize ?? 1,
        pollingSeconds: 2,
        drainMs: Math.round(ms),
        perSecond: Math.round((count / (ms / 1000)) * 100) / 100,
      };
    },
  );
  return { results };
}
