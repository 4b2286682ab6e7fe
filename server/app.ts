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
import { tokenRevocationRoutes } from './auth/token-revocations.route.js';
import { buildRepositories } from './composition/repositories.js';
import { buildServices, type Engine } from './composition/services.js';
import { registerErrorHandling } from './http/errors.js';
import { registerValidators } from './http/validators.js';
import { rateLimitPlugin } from './http/rate-limit.plugin.js';
import { createFrameworkErrorHandler } from './http/client-errors.js';
import { serializeRequest } from './http/log-redaction.js';
import { registerNulCheck } from './http/nul-characters.js';
import { REQUEST_ID_HEADER, requestIdFor } from './http/request-id.js';
import { DOCS_CONTENT_SECURITY_POLICY, registerSecurityHeaders } from './http/security-headers.js';
import { registerHostCheck } from './http/host-check.js';
import { capConnections, httpServerOptions } from './http/server-options.js';
import { healthRoutes } from './health/health.route.js';
import { JobQueue } from './jobs/job-queue.js';
import { QueueContracts } from './jobs/queues.js';
import { adminJobRoutes } from './admin/jobs.route.js';
import { attributesRoutes } from './profiles/attributes.route.js';
import { registerAttributesGraphql } from './profiles/attributes.graphql.js';
import { loadDemoData } from './offline/demo/demo-data.js';
import { MemberChanges } from './events/member-changes.js';
import { registerMediaModule } from './media/media.module.js';
import { registerEmbeddingsModule } from './embeddings/embeddings.module.js';
import { registerConnectorsModule } from './connectors/connectors.module.js';
import { registerMetadataModule } from './metadata/metadata.module.js';
import { registerTasteModule } from './taste/taste.module.js';
import { registerExperimentsModule } from './experiments/experiments.module.js';
import { registerModelsModule } from './models/models.module.js';
import { registerSlateModule } from './slate/slate.module.js';
import { registerRankingModule } from './ranking/ranking.module.js';
import { registerSafetyModule } from './safety/safety.module.js';
import { registerFeedbackModule } from './feedback/feedback.module.js';
import { registerBehaviourModule } from './behaviour/behaviour.module.js';
import { registerExplainModule } from './explain/explain.module.js';
import { registerRetrievalModule } from './retrieval/retrieval.module.js';
import { registerConsoleModule } from './console/console.module.js';
import { registerReviewModule } from './review/review.module.js';
import { registerErasureModule } from './erasure/erasure.module.js';
import { registerExportModule } from './export/export.module.js';
import { registerPrivacyModule } from './privacy/privacy.module.js';
import { registerLearningModule } from './learning/learning.module.js';
import { registerRealtimeModule } from './realtime/realtime.module.js';

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

// The engine (server/composition) is built once per app and handed to each module explicitly; routes
// and workers never read services off the instance. The one decoration below is for the edges that
// start from the app rather than from the composition root: the gRPC server (server/main.ts), the
// benchmarks and the tests. One typed object, not one decoration per service, so nothing registered
// later can depend on a decoration made earlier in an undeclared order.
declare module 'fastify' {
  interface FastifyInstance {
    /** Every service and repository of this app, with its database, job queue and token verifier. */
    engine: Engine;
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
  const applied = await migrate(db);
  if (applied.length > 0) app.log.info({ migrations: applied }, 'migrations applied');

  // First plugin with routes, so its onRoute hook sees (and checks) every route after it, the docs' included.
  const repositories = buildRepositories(db);
  const verifyToken = createTokenVerifier(config.auth, {
    maxLifetimeSeconds: config.tokens.maxLifetimeSeconds,
    revocations: repositories.tokenRevocations,
  });
  await app.register(authPlugin, { verifyToken, previewAudit: repositories.previewAudit });
  // Right after auth: its onRequest hook then knows the member, and its onRoute hook sees every route.
  await app.register(rateLimitPlugin, { limits: config.rateLimits, sharedStore: repositories.rateLimits });
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
  jobs.define({
    queue: QueueContracts.dwellRefresh,
    // One refresh at a time and at most one waiting: overlapping refreshes would only repeat work.
    options: { policy: 'stately', retryLimit: 2, expireInSeconds: 600 },
    cron: config.jobs.dwellRefreshCron,
    handler: () => repositories.dwell.refresh(),
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

  // Every service, once, by constructor injection. Each module declares the part of the engine it
  // uses (its parameter type), so what it depends on is in its signature, not in the order below.
  const engine = buildServices({ config, db, jobs, log: app.log, memberChanges, repositories, verifyToken });
  app.decorate('engine', engine);

  await app.register(healthRoutes, { db });
  await app.register(adminJobRoutes, { jobs });
  await app.register(tokenRevocationRoutes, { revocations: engine.tokenRevocations });
  await app.register(attributesRoutes, { attributes: engine.attributes });
  await registerAttributesGraphql(app, engine.attributes, config.graphql);

  await registerMediaModule(app, engine);
  await registerEmbeddingsModule(app, engine);
  await registerConnectorsModule(app, engine);
  await registerMetadataModule(app, engine);
  await registerTasteModule(app, engine);
  await registerModelsModule(app, engine);
  await registerRetrievalModule(app, engine);
  await registerRankingModule(app, engine);
  await registerSafetyModule(app, engine);
  await registerFeedbackModule(app, engine);
  await registerBehaviourModule(app, engine);
  await registerExplainModule(app, engine);
  await registerExperimentsModule(app, engine);
  await registerSlateModule(app, engine);
  await registerConsoleModule(app, engine);
  await registerReviewModule(app, engine);
  await registerErasureModule(app, engine);
  await registerExportModule(app, engine);
  await registerPrivacyModule(app, engine);
  await registerLearningModule(app, engine);
  await registerRealtimeModule(app, engine);

  // Queues are declared above and by the modules; workers start once all are known.
  await jobs.start();

  await app.ready();
  return app;
}
