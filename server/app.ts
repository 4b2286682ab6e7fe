// Builds the whole engine as a Fastify instance from a typed config. It never listens: the headless
// entry (server/main.ts), the Electron main process and the tests all call this same function.
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config/config.js';
import type { Database } from './db/database.js';
import { openDatabase } from './db/open-database.js';
import { migrate } from './db/migrations.js';
import { authPlugin } from './auth/auth.plugin.js';
import { createTokenVerifier } from './auth/tokens.js';
import { PreviewAuditRepository } from './auth/preview-audit.repository.js';
import { TokenRevocationsRepository } from './auth/token-revocations.repository.js';
import { tokenRevocationRoutes } from './auth/token-revocations.route.js';
import { TokenRevocationsService } from './auth/token-revocations.service.js';
import { registerErrorHandling } from './http/errors.js';
import { registerValidators } from './http/validators.js';
import { rateLimitPlugin } from './http/rate-limit.plugin.js';
import { RateLimitRepository } from './http/rate-limit.repository.js';
import { createFrameworkErrorHandler } from './http/client-errors.js';
import { serializeRequest } from './http/log-redaction.js';
import { registerNulCheck } from './http/nul-characters.js';
import { REQUEST_ID_HEADER, requestIdFor } from './http/request-id.js';
import { DOCS_CONTENT_SECURITY_POLICY, registerSecurityHeaders } from './http/security-headers.js';
import { registerHostCheck } from './http/host-check.js';
import { capConnections, httpServerOptions } from './http/server-options.js';
import { healthRoutes } from './health/health.route.js';
import { JobQueue } from './jobs/job-queue.js';
import { Queues } from './jobs/queues.js';
import { DwellRepository } from './behaviour/dwell.repository.js';
import { adminJobRoutes } from './admin/jobs.route.js';
import { AttributesService } from './profiles/attributes.service.js';
import { attributesRoutes } from './profiles/attributes.route.js';
import { registerAttributesGraphql } from './profiles/attributes.graphql.js';
import { loadDemoData } from './demo/demo-data.js';
import type { ModuleContext } from './module-context.js';
import { MemberChanges } from './events/member-changes.js';
import { registerMediaModule } from './media/media.module.js';
import { registerEmbeddingsModule } from './embeddings/embeddings.module.js';
import { registerConnectorsModule } from './connectors/connectors.module.js';
import { registerMetadataModule } from './metadata/metadata.module.js';
import { registerTasteModule } from './taste/taste.module.js';
import { databaseFeatureSource, growthbookServerSource } from './flags/feature-source.js';
import { FlagsService } from './flags/flags.service.js';
import { registerExperimentsModule } from './experiments/experiments.module.js';
import { registerModelsModule } from './models/models.module.js';
import { registerSlateModule } from './slate/slate.module.js';
import { registerRankingModule } from './ranking/ranking.module.js';
import { registerSafetyModule } from './safety/safety.module.js';
import { registerFeedbackModule } from './feedback/feedback.module.js';
import { registerExplainModule } from './explain/explain.module.js';
import { registerRetrievalModule } from './retrieval/retrieval.module.js';
import { registerConsoleModule } from './console/console.module.js';
import { registerReviewModule } from './review/review.module.js';
import { registerErasureModule } from './erasure/erasure.module.js';
import { registerExportModule } from './export/export.module.js';
import { registerPrivacyModule } from './privacy/privacy.module.js';

export interface AppOverrides {
  /** An already-open database (tests, the Electron main process); closed by its owner, not the app. */
  database?: Database;
  /** Job-queue timings; tests shorten them. */
  jobTimings?: { cronCheckSeconds: number; pollingSeconds: number };
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: { write(line: string): void };
}

/** Longest path parameter the router takes; member ids may be 128 characters. */
const MAX_PARAM_LENGTH = 256;

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    jobs: JobQueue;
    /** Flags and experiments (GrowthBook SDK), one instance per app so its cache is shared. */
    flags: FlagsService;
  }
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization'],
      serializers: { req: serializeRequest },
      ...(overrides.logStream ? { stream: overrides.logStream } : {}),
    },
    // A caller's own x-request-id is taken only when it is short and plain (server/http/request-id.ts).
    genReqId: requestIdFor,
    bodyLimit: 256 * 1024,
    // Member ids may be 128 characters; the default 100 would answer 414 before validation could name the field.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: createFrameworkErrorHandler(MAX_PARAM_LENGTH),
    ...httpServerOptions(config.http),
  }).withTypeProvider<TypeBoxTypeProvider>();
  capConnections(app.server, config.http);

  // On shutdown, Node closes only the connections idle at that moment; a keep-alive connection whose
  // request is still in flight would then hold the exit for keepAliveTimeout. Answering it with
  // `Connection: close` and closing what goes idle lets SIGTERM finish as soon as requests do.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    app.server.closeIdleConnections();
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    if (closing) reply.header('connection', 'close');
  });
  registerHostCheck(app, config.http.allowedHosts); // first onRequest hook: a foreign Host gets 421 (DNS rebinding)
  registerSecurityHeaders(app);
  registerErrorHandling(app);
  registerValidators(app);
  registerNulCheck(app);

  // The database comes before auth: every request's token is checked against its revocations.
  const ownsDatabase = !overrides.database;
  const db = overrides.database ?? (await openDatabase(config));
  app.decorate('db', db);
  const applied = await migrate(db);
  if (applied.length > 0) app.log.info({ migrations: applied }, 'migrations applied');

  // First plugin with routes, so its onRoute hook sees (and checks) every route after it, the docs' included.
  const tokenRevocations = new TokenRevocationsRepository(db);
  await app.register(authPlugin, {
    verifyToken: createTokenVerifier(config.auth, {
      maxLifetimeSeconds: config.tokens.maxLifetimeSeconds,
      revocations: tokenRevocations,
    }),
    previewAudit: new PreviewAuditRepository(db),
  });
  // Right after auth: its onRequest hook then knows the member, and its onRoute hook sees every route.
  await app.register(rateLimitPlugin, { limits: config.rateLimits, sharedStore: new RateLimitRepository(db) });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Social Discovery Engine API',
        version: '2.0.0',
        description: 'People recommendations: profiles, candidates, slates, feedback, explanations.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CONTENT_SECURITY_POLICY });

  const jobs = new JobQueue(
    db,
    {
      runWorkers: config.jobs.enabled,
      cronCheckSeconds: overrides.jobTimings?.cronCheckSeconds ?? 30,
      pollingSeconds: overrides.jobTimings?.pollingSeconds ?? 2,
      soleWorkerProcess: ownsDatabase && db.driver === 'pglite',
    },
    app.log,
  );
  app.decorate('jobs', jobs);
  const dwell = new DwellRepository(db);
  jobs.define({
    name: Queues.dwellRefresh,
    // One refresh at a time and at most one waiting: overlapping refreshes would only repeat work.
    options: { policy: 'stately', retryLimit: 2, expireInSeconds: 600 },
    cron: config.jobs.dwellRefreshCron,
    handler: () => dwell.refresh(),
  });

  app.addHook('onClose', async () => {
    await jobs.stop();
    if (ownsDatabase) await db.close();
  });

  if (config.demoMembers > 0) {
    // Each step logs as it commits; a start interrupted between steps resumes at the next one.
    await loadDemoData(db, config.demoMembers, {
      population: (population) => app.log.info(population, 'demo population loaded'),
      catalogue: (catalogue) => app.log.info({ added: catalogue.added }, 'sample media catalogue loaded'),
      feedback: (feedback) => app.log.info(feedback, 'demo feedback loaded'),
    });
  }

  // Changes published on any replica reach every replica's caches (Postgres LISTEN/NOTIFY).
  const memberChanges = new MemberChanges({ db, log: app.log });
  await memberChanges.start();
  app.addHook('onClose', () => memberChanges.close());
  const attributes = new AttributesService(db, jobs, memberChanges);
  await app.register(healthRoutes, { db });
  await app.register(adminJobRoutes, { jobs });
  await app.register(tokenRevocationRoutes, { revocations: new TokenRevocationsService(tokenRevocations) });
  await app.register(attributesRoutes, { attributes });
  await registerAttributesGraphql(app, attributes, config.graphql);

  const flags = new FlagsService(
    config.discovery.growthbook
      ? growthbookServerSource(config.discovery.growthbook.apiHost, config.discovery.growthbook.clientKey)
      : databaseFeatureSource(db),
    app.log,
  );
  app.decorate('flags', flags);
  const context: ModuleContext = { config, db, jobs, log: app.log, memberChanges, flags };
  await registerMediaModule(app, context);
  await registerEmbeddingsModule(app, context);
  await registerConnectorsModule(app, context);
  await registerMetadataModule(app, context);
  await registerTasteModule(app, context);
  await registerModelsModule(app, context);
  await registerRetrievalModule(app, context);
  await registerRankingModule(app, context);
  await registerSafetyModule(app, context);
  await registerFeedbackModule(app, context);
  await registerExplainModule(app, context);
  await registerExperimentsModule(app, context);
  await registerSlateModule(app, context);
  await registerConsoleModule(app, context);
  await registerReviewModule(app, context);
  await registerErasureModule(app, context); // after connectors (object storage)
  await registerExportModule(app, context); // after connectors (object storage) and explain (cache)
  await registerPrivacyModule(app, context);

  // Queues are declared above and by the modules; workers start once all are known.
  await jobs.start();

  await app.ready();
  return app;
}
