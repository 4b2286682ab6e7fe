// The composition root's first layer: every repository the engine serves with, built once over the
// engine's database. Services receive the ones they use through their constructors (services.ts); a
// repository bound to a transaction (`new XRepository(tx)` inside a transaction callback) is the only
// kind built elsewhere.
import type { Database } from '../db/database.js';
import { ServedMembersRepository } from '../access/served-members.repository.js';
import { PreviewAuditRepository } from '../auth/preview-audit.repository.js';
import { TokenRevocationsRepository } from '../auth/token-revocations.repository.js';
import { BehaviourEventsRepository } from '../behaviour/behaviour-events.repository.js';
import { DwellRepository } from '../behaviour/dwell.repository.js';
import { ConnectorAccountsRepository } from '../connectors/connector-accounts.repository.js';
import { OverviewRepository } from '../console/overview.repository.js';
import { PreviewTokensRepository } from '../console/preview-tokens.repository.js';
import { CostLedgerRepository } from '../cost/cost-ledger.repository.js';
import { MediaEmbeddingRepository } from '../embeddings/media-embedding.repository.js';
import { ErasureRepository } from '../erasure/erasure.repository.js';
import { ExposuresRepository } from '../experiments/exposures.repository.js';
import { ExportRepository } from '../export/export.repository.js';
import { FeedbackRepository } from '../feedback/feedback.repository.js';
import { RateLimitRepository } from '../http/rate-limit.repository.js';
import { FavoritesRepository } from '../media/favorites.repository.js';
import { MediaRepository } from '../media/media.repository.js';
import { MetadataCacheRepository } from '../metadata/metadata-cache.repository.js';
import { MetadataRepository } from '../metadata/metadata.repository.js';
import { ModelRegistryRepository } from '../models/model-registry.repository.js';
import { PrivacyRepository } from '../privacy/privacy.repository.js';
import { AttributesRepository } from '../profiles/attributes.repository.js';
import { ReviewRepository } from '../review/review.repository.js';
import { SafetyScoresRepository } from '../safety/safety-scores.repository.js';
import { TasteRepository } from '../taste/taste.repository.js';
import { CandidatesRepository } from '../retrieval/candidates.repository.js';
import { ExplanationsRepository } from '../explain/explanations.repository.js';
import { PairFeaturesRepository } from '../features/pair-features.repository.js';
import { SlateRepository } from '../slate/slate.repository.js';
import { TrainingDataRepository } from '../ranking/training-data.repository.js';
import { ShadowEvaluationRepository } from '../learning/shadow-evaluation.repository.js';
import { LearnerRepository } from '../learning/learner.repository.js';
import { BehaviorEventsRepository } from '../realtime/behavior-events.repository.js';

export interface Repositories {
  attributes: AttributesRepository;
  behaviorEvents: BehaviorEventsRepository;
  candidates: CandidatesRepository;
  connectorAccounts: ConnectorAccountsRepository;
  costLedger: CostLedgerRepository;
  dwell: DwellRepository;
  behaviourEvents: BehaviourEventsRepository;
  erasure: ErasureRepository;
  export: ExportRepository;
  explanations: ExplanationsRepository;
  exposures: ExposuresRepository;
  favorites: FavoritesRepository;
  feedback: FeedbackRepository;
  media: MediaRepository;
  mediaEmbeddings: MediaEmbeddingRepository;
  metadata: MetadataRepository;
  metadataCache: MetadataCacheRepository;
  models: ModelRegistryRepository;
  overview: OverviewRepository;
  pairFeatures: PairFeaturesRepository;
  previewAudit: PreviewAuditRepository;
  previewTokens: PreviewTokensRepository;
  privacy: PrivacyRepository;
  rateLimits: RateLimitRepository;
  review: ReviewRepository;
  safetyScores: SafetyScoresRepository;
  servedMembers: ServedMembersRepository;
  slates: SlateRepository;
  taste: TasteRepository;
  tokenRevocations: TokenRevocationsRepository;
  trainingData: TrainingDataRepository;
  shadowEvaluation: ShadowEvaluationRepository;
  learner: LearnerRepository;
}

export function buildRepositories(db: Database): Repositories {
  return {
    attributes: new AttributesRepository(db),
    behaviorEvents: new BehaviorEventsRepository(db),
    candidates: new CandidatesRepository(db),
    connectorAccounts: new ConnectorAccountsRepository(db),
    costLedger: new CostLedgerRepository(db),
    dwell: new DwellRepository(db),
    behaviourEvents: new BehaviourEventsRepository(db),
    erasure: new ErasureRepository(),
    export: new ExportRepository(db),
    explanations: new ExplanationsRepository(db),
    exposures: new ExposuresRepository(db),
    favorites: new FavoritesRepository(db),
    feedback: new FeedbackRepository(db),
    media: new MediaRepository(db),
    mediaEmbeddings: new MediaEmbeddingRepository(db),
    metadata: new MetadataRepository(db),
    metadataCache: new MetadataCacheRepository(db),
    models: new ModelRegistryRepository(),
    overview: new OverviewRepository(db),
    pairFeatures: new PairFeaturesRepository(db),
    previewAudit: new PreviewAuditRepository(db),
    previewTokens: new PreviewTokensRepository(db),
    privacy: new PrivacyRepository(db),
    rateLimits: new RateLimitRepository(db),
    review: new ReviewRepository(db),
    safetyScores: new SafetyScoresRepository(db),
    servedMembers: new ServedMembersRepository(db),
    slates: new SlateRepository(db),
    taste: new TasteRepository(db),
    tokenRevocations: new TokenRevocationsRepository(db),
    trainingData: new TrainingDataRepository(db),
    shadowEvaluation: new ShadowEvaluationRepository(db),
    learner: new LearnerRepository(db),
  };
}
