// The composition root's second layer: every service of the engine, built once by plain constructor
// injection from the repositories (repositories.ts), the config and the shared infrastructure (job
// queue, member-change feed, log). Nothing here registers routes or queues: the feature modules
// (server/*/*.module.ts) receive the services they expose. The order below is the dependency order, so
// a service is always built after the ones it receives; a start-up check that fails (a provider that
// cannot work, a broken explain map) stops the engine here, before any route exists.
import type { FastifyBaseLogger } from 'fastify';
import type { WhyResponse } from '../../shared/schemas/explanations.js';
import type { TokenVerifier } from '../auth/tokens.js';
import { TokenRevocationsService } from '../auth/token-revocations.service.js';
import type { Config } from '../config/config.js';
import { ConnectorsService } from '../connectors/connectors.service.js';
import { SpotifyClient } from '../connectors/spotify-client.js';
import { SpotifyIngest } from '../connectors/spotify-ingest.js';
import { TrackMatcher } from '../connectors/track-matcher.js';
import { OverviewService } from '../console/overview.service.js';
import { PreviewTokensService } from '../console/preview-tokens.service.js';
import { SecretBox } from '../crypto/secret-box.js';
import type { Database } from '../db/database.js';
import { EmbeddingsService } from '../embeddings/embeddings.service.js';
import { MediaEmbeddingService } from '../embeddings/media-embedding.service.js';
import { assertConfiguredProviderUsable } from '../embeddings/provider-factory.js';
import { deriveReceiptKey, ErasureService } from '../erasure/erasure.service.js';
import type { MemberChanges } from '../events/member-changes.js';
import { ExperimentsService } from '../experiments/experiments.service.js';
import { loadExplainMap } from '../explain/explain-map.js';
import { ExplanationsCache } from '../explain/explanations-cache.js';
import { ExplanationsService } from '../explain/explanations.service.js';
import { cachedExplanationsOf } from '../export/cached-explanations.js';
import { ExportStorage } from '../export/export-storage.js';
import { DEFAULT_EXPORT_LIMITS, ExportService } from '../export/export.service.js';
import { PairFeaturesService } from '../features/pair-features.service.js';
import { FeedbackService } from '../feedback/feedback.service.js';
import { BehaviourEventsService } from '../behaviour/behaviour-events.service.js';
import { databaseFeatureSource, growthbookServerSource } from '../flags/feature-source.js';
import { FlagsService } from '../flags/flags.service.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { FavoritesService } from '../media/favorites.service.js';
import { MediaSearchService } from '../media/media-search.service.js';
import { OnlineLearner } from '../learning/online-learner.service.js';
import { CachedUpstream } from '../metadata/cached-upstream.js';
import { MusicBrainzClient, OpenLibraryClient, TmdbClient } from '../metadata/metadata-clients.js';
import { MetadataService } from '../metadata/metadata.service.js';
import type { RateLimiter } from '../metadata/rate-limiter.js';
import { ModelRegistry } from '../models/model-registry.service.js';
import { PrivacyService } from '../privacy/privacy.service.js';
import { BehaviorFeed } from '../realtime/behavior-feed.js';
import { UserBehaviorService } from '../realtime/user-behavior.service.js';
import { AttributesService } from '../profiles/attributes.service.js';
import { RankService } from '../ranking/rank.service.js';
import { RankerTrainingService } from '../ranking/ranker-training.service.js';
import { CandidatesService } from '../retrieval/candidates.service.js';
import { ReviewService } from '../review/review.service.js';
import { SafetyScoresService } from '../safety/safety-scores.service.js';
import { SlateService } from '../slate/slate.service.js';
import { ShadowEvaluationService } from '../learning/shadow-evaluation.service.js';
import { createObjectStorage } from '../storage/create-storage.js';
import type { ObjectStorage } from '../storage/object-storage.js';
import { TasteBuilderService } from '../taste/taste-builder.service.js';
import { TasteService } from '../taste/taste.service.js';
import type { Repositories } from './repositories.js';

// Not in config.ts: constants until an operator needs to tune them (env vars would be
// SDE_EXPLAIN_CACHE_ENTRIES / SDE_EXPLAIN_CACHE_TTL_SECONDS). 20k entries of ~1 KB stay around 20 MB.
/** Explanations kept per replica. */
export const EXPLANATION_CACHE_ENTRIES = 20_000;
/** How long an explanation may be served without a change notice: the bound if a replica's change feed drops (server/events/member-changes.ts). */
export const EXPLANATION_CACHE_TTL_MS = 10 * 60 * 1000;

/** What the services are built from: the app builds these first (server/app.ts). */
export interface EngineInfrastructure {
  config: Config;
  db: Database;
  jobs: JobQueue;
  log: FastifyBaseLogger;
  /** Publish after a committed change to a member; subscribe to drop per-member state. */
  memberChanges: MemberChanges;
  repositories: Repositories;
  /** The HTTP layer's own token verifier (lifetime caps, revocations); gRPC checks tokens with it too. */
  verifyToken: TokenVerifier;
}

/** Every service of one running engine, each built once and shared by HTTP, GraphQL, gRPC and the jobs. */
export interface Engine extends EngineInfrastructure {
  /** GrowthBook flags and experiments, one instance per app so its cache is shared. */
  flags: FlagsService;
  attributes: AttributesService;
  tokenRevocations: TokenRevocationsService;
  /** Where raw connector payloads and large exports go. */
  objectStorage: ObjectStorage;
  connectors: ConnectorsService;
  /** A fresh importer for one `spotify_ingest` run (it keeps per-run state); only when Spotify is configured. */
  spotifyIngest: () => SpotifyIngest;
  favorites: FavoritesService;
  mediaSearch: MediaSearchService;
  metadata: MetadataService;
  /** The engine's embedding providers: `await engine.embeddings.provider('call_site')`. */
  embeddings: EmbeddingsService;
  mediaEmbeddings: MediaEmbeddingService;
  /** Taste vectors; gRPC EmbedBatch embeds through the same instance as POST /api/v2/embed. */
  taste: TasteService;
  tasteBuilder: TasteBuilderService;
  /** The model registry: live/shadow model lookup for ranking, registration for training. */
  models: ModelRegistry;
  /** Pair features for ranking, training, slates and explanations: one instance for all. */
  pairFeatures: PairFeaturesService;
  candidates: CandidatesService;
  /** Ranks candidates with the live model; the gRPC Ranking service uses the same instance. */
  rank: RankService;
  rankerTraining: RankerTrainingService;
  safetyScores: SafetyScoresService;
  feedback: FeedbackService;
  /** Members' scroll-pause and dwell-time events, stored as the member (row-level security). */
  behaviourEvents: BehaviourEventsService;
  /** Explains (viewer, target) pairs with the model that ranked them; cached per model version and view. */
  explanations: ExplanationsService;
  /** Experiment arms per viewer; the slate asks it which model serves. */
  experiments: ExperimentsService;
  slates: SlateService;
  previewTokens: PreviewTokensService;
  overview: OverviewService;
  review: ReviewService;
  erasure: ErasureService;
  exports: ExportService;
  privacy: PrivacyService;
  /** The shadow model against the live one on the shadow arm's slates; the online learner's gate reads it. */
  shadowEvaluation: ShadowEvaluationService;
  /** The online learner: `runOnce({ actor })` is one cycle (rollback watch, promotion gate, training). */
  learner: OnlineLearner;
  /** This replica's one LISTEN for the user_behavior channel, shared by every open stream. */
  behaviorFeed: BehaviorFeed;
  userBehavior: UserBehaviorService;
}

export interface MetadataServiceOptions {
  /** Per-request upstream timeout (default 10 s). */
  timeoutMs?: number;
  /** MusicBrainz rate limiter (default: the process-wide one). */
  musicBrainzLimiter?: RateLimiter;
}

/** The metadata service over its three upstream clients and their shared cache; tests tune the options. */
export function buildMetadataService(
  { config, db, jobs, repositories }: Pick<EngineInfrastructure, 'config' | 'db' | 'jobs' | 'repositories'>,
  options: MetadataServiceOptions = {},
): MetadataService {
  const upstream = new CachedUpstream(repositories.metadataCache, config.metadata.cacheHours);
  const fetcherOptions = { timeoutMs: options.timeoutMs };
  return new MetadataService(
    db,
    jobs,
    repositories.metadata,
    {
      tmdb: new TmdbClient(config.metadata, upstream, fetcherOptions),
      musicBrainz: new MusicBrainzClient(config.metadata, upstream, {
        ...fetcherOptions,
        limiter: options.musicBrainzLimiter,
      }),
      openLibrary: new OpenLibraryClient(config.metadata, upstream, fetcherOptions),
    },
    repositories.metadataCache,
  );
}

export function buildServices(infrastructure: EngineInfrastructure): Engine {
  const { config, db, jobs, log, memberChanges, repositories } = infrastructure;

  const flags = new FlagsService(
    config.discovery.growthbook
      ? growthbookServerSource(config.discovery.growthbook.apiHost, config.discovery.growthbook.clientKey)
      : databaseFeatureSource(db),
    log,
  );
  const attributes = new AttributesService(db, repositories.attributes, jobs, memberChanges);
  const tokenRevocations = new TokenRevocationsService(repositories.tokenRevocations);

  // A configured provider that cannot work stops the start with the variable to fix.
  assertConfiguredProviderUsable(config);
  const embeddings = new EmbeddingsService(config, repositories.costLedger, flags, log);
  const mediaEmbeddings = new MediaEmbeddingService(db, repositories.mediaEmbeddings, jobs, embeddings);

  const objectStorage = createObjectStorage(config.storage, {
    db,
    publicUrl: config.publicUrl,
    secretsKey: config.secretsKey,
  });
  const box = new SecretBox(config.secretsKey);
  const connectors = new ConnectorsService({
    db,
    jobs,
    accounts: repositories.connectorAccounts,
    members: repositories.attributes,
    box,
    spotify: config.spotify,
  });
  const { clientId, clientSecret, accountsUrl, apiUrl } = config.spotify;
  const spotifyIngest = () =>
    new SpotifyIngest({
      db,
      jobs,
      accounts: repositories.connectorAccounts,
      box,
      client: new SpotifyClient({ clientId: clientId!, clientSecret: clientSecret!, accountsUrl, apiUrl }),
      storage: objectStorage,
      matcher: new TrackMatcher(db),
      memberChanges,
      log,
    });

  const taste = new TasteService(db, repositories.taste, embeddings);
  const tasteBuilder = new TasteBuilderService(
    repositories.taste,
    repositories.mediaEmbeddings,
    jobs,
    embeddings,
    taste,
  );

  const models = new ModelRegistry(db, repositories.models);
  const pairFeatures = new PairFeaturesService(repositories.pairFeatures);
  const candidates = new CandidatesService(repositories.candidates);
  const rank = new RankService(pairFeatures, models, repositories.servedMembers);
  const rankerTraining = new RankerTrainingService(repositories.trainingData, models);
  const shadowEvaluation = new ShadowEvaluationService(repositories.shadowEvaluation);
  const safetyScores = new SafetyScoresService(db, repositories.safetyScores, memberChanges);

  // The template map is read and checked at start, so a broken config/explain_map.json stops the engine
  // with the file and key named instead of failing requests.
  const explainMap = loadExplainMap();
  const explanationsCache = new ExplanationsCache<WhyResponse>({
    maxEntries: EXPLANATION_CACHE_ENTRIES,
    ttlMs: EXPLANATION_CACHE_TTL_MS,
  });
  const explanations = new ExplanationsService(
    repositories.explanations,
    repositories.servedMembers,
    pairFeatures,
    models,
    explainMap,
    explanationsCache,
  );
  const experiments = new ExperimentsService(repositories.exposures, flags, log);
  const slates = new SlateService({
    repository: repositories.slates,
    candidates,
    features: pairFeatures,
    models,
    experiments,
    safetyScores,
    discovery: config.discovery,
  });

  // Polled at the heartbeat: a NOTIFY lost while the listener reconnects delays an event by at most that.
  const behaviorFeed = new BehaviorFeed(db, repositories.behaviorEvents, log, {
    pollIntervalMs: config.realtime.heartbeatSeconds * 1000,
  });

  return {
    ...infrastructure,
    flags,
    attributes,
    tokenRevocations,
    objectStorage,
    connectors,
    spotifyIngest,
    favorites: new FavoritesService(db, repositories.favorites, repositories.media, jobs, memberChanges),
    mediaSearch: new MediaSearchService(repositories.media),
    metadata: buildMetadataService(infrastructure),
    embeddings,
    mediaEmbeddings,
    taste,
    tasteBuilder,
    models,
    pairFeatures,
    candidates,
    rank,
    rankerTraining,
    safetyScores,
    feedback: new FeedbackService(repositories.feedback, memberChanges),
    behaviourEvents: new BehaviourEventsService(repositories.behaviourEvents, config.behaviourEvents),
    explanations,
    experiments,
    slates,
    previewTokens: new PreviewTokensService(config.auth, repositories.previewTokens, repositories.previewAudit),
    overview: new OverviewService(repositories.overview, jobs),
    review: new ReviewService(repositories.review),
    erasure: new ErasureService(
      db,
      repositories.erasure,
      objectStorage,
      memberChanges,
      deriveReceiptKey(config.secretsKey),
    ),
    exports: new ExportService({
      db,
      repository: repositories.export,
      jobs,
      storage: new ExportStorage(objectStorage),
      cachedExplanations: cachedExplanationsOf(explanations),
      limits: DEFAULT_EXPORT_LIMITS,
    }),
    privacy: new PrivacyService(db, repositories.privacy, jobs, memberChanges, config.privacy),
    shadowEvaluation,
    learner: new OnlineLearner({
      db,
      repository: repositories.learner,
      models,
      training: rankerTraining,
      evaluator: shadowEvaluation,
      settings: config.learning,
    }),
    behaviorFeed,
    userBehavior: new UserBehaviorService(repositories.behaviorEvents, behaviorFeed, config.realtime),
  };
}
