// Every route has a rate limit: a route names its bucket in its config (`config: { access, rateLimit:
// 'slate' }`), and a route that names none gets the general cap of its kind — `member` for authenticated
// routes, `public` for public ones — here, in this one place. A request over its bucket's limit is answered
// 429 with `Retry-After` before its body is even read. Members are counted by their token's subject, public
// callers by address. The named buckets guard expensive work and are counted in the database, so the limit
// holds across replicas; the two general caps are generous and counted in this process, because a
// database round trip on every health check and page load would cost more than it protects.
import fp from 'fastify-plugin';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { RateLimitsConfig } from '../config/config.js';
import { ErrorResponse } from '../../shared/schemas/errors.js';
import { errorBody } from './errors.js';
import { MemoryCounterStore, SlidingWindowRateLimiter, type RateCounterStore } from './rate-limit.js';

export type RateLimitBucket = keyof RateLimitsConfig;

/** What a 429 says was limited: "at most 60 slate requests per minute per member". */
const BUCKET_LABELS: Record<RateLimitBucket, string> = {
  slate: 'slate',
  why: 'explanation',
  rank: 'rank',
  embed: 'embed',
  spotifyImport: 'Spotify import',
  graphql: 'GraphQL',
  feedback: 'feedback',
  events: 'behaviour event',
  member: 'API',
  public: 'API',
  realtime: 'realtime stream',
};
export const RATE_LIMIT_BUCKETS = Object.keys(BUCKET_LABELS) as RateLimitBucket[];

/** Buckets counted in this process rather than in the database (see the file comment). */
const IN_PROCESS_BUCKETS: ReadonlySet<RateLimitBucket> = new Set(['member', 'public']);

/** Routes that third-party plugins add, which cannot carry our config. */
const PLUGIN_ROUTE_BUCKETS: Array<{ url: string; bucket: RateLimitBucket }> = [{ url: '/graphql', bucket: 'graphql' }];

declare module 'fastify' {
  interface FastifyContextConfig {
    rateLimit?: RateLimitBucket;
  }
  interface FastifyInstance {
    /** Every route with its rate-limit bucket, for the docs and tests. */
    rateLimitCatalog: Array<{ method: string; url: string; bucket: RateLimitBucket }>;
  }
}

export interface RateLimitOptions {
  /** Requests per minute per bucket. */
  limits: RateLimitsConfig;
  /** The database-backed counters, shared by every replica (RateLimitRepository). */
  sharedStore: RateCounterStore;
  /** Milliseconds since the epoch; tests pass a clock they move by hand. */
  now?: () => number;
}

/** The bucket of a route: declared, or the plugin route's, or the general cap for its access. */
export function bucketOf(route: Pick<RouteOptions, 'url' | 'config'>): RateLimitBucket {
  const declared = route.config?.rateLimit;
  if (declared !== undefined) {
    if (!RATE_LIMIT_BUCKETS.includes(declared)) {
      throw new Error(`route ${route.url}: unknown config.rateLimit "${String(declared)}"`);
    }
    return declared;
  }
  const plugin = PLUGIN_ROUTE_BUCKETS.find((entry) => route.url === entry.url);
  if (plugin) return plugin.bucket;
  return route.config?.access === 'public' ? 'public' : 'member';
}

export const rateLimitPlugin = fp<RateLimitOptions>(
  async (app: FastifyInstance, { limits, sharedStore, now }) => {
    app.decorate('rateLimitCatalog', []);
    const shared = new SlidingWindowRateLimiter(sharedStore, now);
    const local = new SlidingWindowRateLimiter(new MemoryCounterStore(), now);
    const limiterFor = (bucket: RateLimitBucket) => (IN_PROCESS_BUCKETS.has(bucket) ? local : shared);

    // Registered after the auth plugin, so `config.access` is already settled when this runs.
    app.addHook('onRoute', (route) => {
      const bucket = bucketOf(route);
      route.config = { ...(route.config as object), rateLimit: bucket };
      // Document the 429 on every route that documents its responses.
      const response = route.schema?.response as Record<string, unknown> | undefined;
      if (response && !('429' in response)) response['429'] = ErrorResponse;
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') app.rateLimitCatalog.push({ method, url: route.url, bucket });
      }
    });

    // After the auth hook (registered first), so members are known; a refused token never gets here.
    app.addHook('onRequest', async (request, reply) => {
      // Unknown routes (404s) carry no config: they share the public cap of the caller's address.
      const bucket = request.routeOptions.config.rateLimit ?? 'public';
      const subject = request.principal?.subject;
      const key = subject === undefined ? `address:${request.ip}` : `member:${subject}`;
      const limit = limits[bucket];
      const decision = await limiterFor(bucket).take(bucket, key, limit);
      if (decision.allowed) return;
      request.log.info({ bucket, retryAfterSeconds: decision.retryAfterSeconds }, 'request refused: rate limit');
      const per = subject === undefined ? 'client address' : 'member';
      return reply
        .status(429)
        .header('retry-after', String(decision.retryAfterSeconds))
        .send(
          errorBody(
            429,
            `rate limit: at most ${limit} ${BUCKET_LABELS[bucket]} requests per minute per ${per}; retry in ${decision.retryAfterSeconds} s`,
          ),
        );
    });
  },
  { name: 'sde-rate-limit', dependencies: ['sde-auth'] },
);
