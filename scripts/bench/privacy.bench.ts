// What honouring privacy choices costs a member's request: PATCH /api/v2/discovery/privacy latency
// (a group off then on again, each with its effects in one transaction: masks, re-embed queued, data
// deleted) and the time DELETE /api/v2/users/me takes for a heavy member (10,000 scroll events and 500
// favorites by default), on each driver, through the real app. Targets from the issue: PATCH p95 ≤ 50 ms,
// erasure ≤ 1 s. Jobs stay queued (no workers), so only the request's own work is timed.
import type { FastifyInstance } from 'fastify';
import { mintLocalToken } from '../../server/auth/tokens.js';
import type { Queryable } from '../../server/db/database.js';
import { measureOnEachDatabase } from './bench-app.js';
import { summarise, timed } from './stats.js';

export interface PrivacyBenchOptions {
  postgresUrl?: string;
  /** PATCH requests timed (default 200, alternating off and on). */
  patches?: number;
  /** Members erased, each with the events and favorites below (default 3). */
  erasures?: number;
  events?: number;
  favorites?: number;
}

const GROUPS = ['interests', 'behavioural', 'connectors', 'favorites'] as const;

async function seedMember(db: Queryable, id: string, events: number, favorites: number, peer: string): Promise<void> {
  await db.query(
    `INSERT INTO members (id, gender, seeking, birthday, lat, lon, hobbies, communities)
     VALUES ($1, 'woman', ARRAY['man'], '1990-01-01', 52.5, 13.4, ARRAY['climbing', 'opera'], ARRAY['Berlin Techno'])`,
    [id],
  );
  await db.query(
    `INSERT INTO favorites (member_id, media_id)
     SELECT $1, 'bench-privacy-work-' || n FROM generate_series(1, $2::int) AS n`,
    [id, favorites],
  );
  await db.query(
    `INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms, occurred_at)
     SELECT $1, $2, 'dwell', 1000 + n % 5000, now() - make_interval(mins => n)
       FROM generate_series(1, $3::int) AS n`,
    [id, peer, events],
  );
  await db.query(
    `INSERT INTO user_taste_vectors (user_id, taste, model_version)
     VALUES ($1, (SELECT array_agg(CASE WHEN i = 1 THEN 1 ELSE 0 END)::vector FROM generate_series(1, 256) AS i), 'bench')`,
    [id],
  );
}

async function request(app: FastifyInstance, method: 'PATCH' | 'DELETE', url: string, token: string, body?: object) {
  const response = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload: body });
  if (response.statusCode >= 300)
    throw new Error(`privacy bench: ${method} ${url} answered ${response.statusCode}: ${response.body}`);
  return response;
}

export async function runPrivacyBench(options: PrivacyBenchOptions = {}): Promise<Record<string, unknown>> {
  const patches = options.patches ?? 200;
  const erasures = options.erasures ?? 3;
  const events = options.events ?? 10_000;
  const favorites = options.favorites ?? 500;
  const results = await measureOnEachDatabase(
    {
      postgresUrl: options.postgresUrl,
      name: 'privacy',
      env: {
        SDE_SECRETS_KEY: Buffer.alloc(32, 3).toString('base64'),
        SDE_JOBS: 'off',
        SDE_RATE_LIMIT_MEMBER_PER_MINUTE: '1000000',
      },
      seed: async (db) => {
        await db.query(
          `INSERT INTO media (id, kind, title)
           SELECT 'bench-privacy-work-' || n, 'film', 'Bench work ' || n FROM generate_series(1, $1::int) AS n`,
          [favorites],
        );
        await db.query(
          `INSERT INTO members (id, gender, seeking, birthday) VALUES ('bench-privacy-peer', 'man', ARRAY['woman'], '1990-01-01')`,
        );
      },
    },
    async ({ kind, db, config, app }) => {
      const patcher = 'bench-privacy-patcher';
      await seedMember(db, patcher, 100, 20, 'bench-privacy-peer');
      const token = await mintLocalToken(config.auth, { subject: patcher, role: 'member' });
      const patchMs: Record<string, number[]> = Object.fromEntries(GROUPS.map((group) => [group, []]));
      for (let i = 0; i < patches; i++) {
        const group = GROUPS[Math.floor(i / 2) % GROUPS.length]!;
        patchMs[group]!.push(
          await timed(() => request(app, 'PATCH', '/api/v2/discovery/privacy', token, { [group]: i % 2 === 1 })),
        );
      }
      const erasureMs: number[] = [];
      let receipt: unknown;
      for (let i = 0; i < erasures; i++) {
        const id = `bench-privacy-erased-${i}`;
        await seedMember(db, id, events, favorites, 'bench-privacy-peer');
        const memberToken = await mintLocalToken(config.auth, { subject: id, role: 'member' });
        erasureMs.push(
          await timed(async () => {
            receipt = (await request(app, 'DELETE', '/api/v2/users/me', memberToken)).json<{ removed: unknown }>()
              .removed;
          }),
        );
      }
      const all = Object.values(patchMs).flat();
      return {
        driver: kind,
        patch: { all: summarise(all), byGroup: Object.fromEntries(GROUPS.map((g) => [g, summarise(patchMs[g]!)])) },
        patchTargetP95Ms: 50,
        // The last receipt's counts show the erasure really removed the planted rows.
        erasure: { events, favorites, ms: summarise(erasureMs), removed: receipt },
        erasureTargetMs: 1000,
      };
    },
  );
  return { results };
}
