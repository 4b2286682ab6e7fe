// The engine's entry point for embeddings: picks the provider for a call site (config, overridden by the
// GrowthBook flag `embedding_provider`), builds each provider once, and meters every call into the cost
// ledger. Other services embed through `embeddings.provider(callSite)`, built once in server/composition.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/config.js';
import { type CostLedgerRepository } from '../cost/cost-ledger.repository.js';
import type { FlagsService } from '../flags/flags.service.js';
import { EMBEDDING_PROVIDER_KINDS, type EmbeddingProvider, type EmbeddingProviderKind } from './embedding-provider.js';
import { createEmbeddingProvider, providerProblem, type EmbeddingProviderDeps } from './provider-factory.js';

export const EMBEDDING_PROVIDER_FLAG = 'embedding_provider';

/** Who a call is charged to in the ledger. */
export interface Attribution {
  memberId?: string;
  jobId?: string;
}

export class EmbeddingsService {
  private readonly providers = new Map<EmbeddingProviderKind, Promise<EmbeddingProvider>>();

  constructor(
    private readonly config: Config,
    private readonly ledger: CostLedgerRepository,
    private readonly flags: FlagsService,
    private readonly log: FastifyBaseLogger,
    private readonly deps: EmbeddingProviderDeps = {},
  ) {}

  /**
   * The provider kind for a call site: the flag's value when it names a usable provider, else the
   * configured one. A flag naming a provider this replica cannot run (no API key, no model folder)
   * falls back to `local` with a warning, so a flag flip can never take embedding down.
   */
  async kindFor(callSite: string): Promise<EmbeddingProviderKind> {
    const configured = this.config.embeddings.provider;
    const flagged = await this.flags.value<string>(EMBEDDING_PROVIDER_FLAG, configured, { callSite });
    if (flagged === configured) return configured;
    if (!(EMBEDDING_PROVIDER_KINDS as readonly string[]).includes(flagged)) {
      this.log.warn({ callSite, flagged }, `flag ${EMBEDDING_PROVIDER_FLAG}: unknown provider; using local`);
      return 'local';
    }
    const problem = providerProblem(this.config, flagged as EmbeddingProviderKind);
    if (problem) {
      this.log.warn({ callSite, flagged, problem }, `flag ${EMBEDDING_PROVIDER_FLAG}: provider unusable; using local`);
      return 'local';
    }
    return flagged as EmbeddingProviderKind;
  }

  /** The active provider for a call site, metered: each `embed` writes one cost-ledger row. */
  async provider(callSite: string, attribution: Attribution = {}): Promise<EmbeddingProvider> {
    const kind = await this.kindFor(callSite);
    const inner = await this.build(kind);
    return metered(inner, this.ledger, callSite, attribution);
  }

  private build(kind: EmbeddingProviderKind): Promise<EmbeddingProvider> {
    let provider = this.providers.get(kind);
    if (!provider) {
      provider = createEmbeddingProvider(this.config, this.deps, kind);
      // A failed build (a model that would not load) is retried on the next call rather than cached.
      provider.catch(() => this.providers.delete(kind));
      this.providers.set(kind, provider);
    }
    return provider;
  }
}

function metered(
  inner: EmbeddingProvider,
  ledger: CostLedgerRepository,
  callSite: string,
  attribution: Attribution,
): EmbeddingProvider {
  return {
    id: inner.id,
    kind: inner.kind,
    model: inner.model,
    dimensions: inner.dimensions,
    async embed(texts) {
      if (texts.length === 0) return { vectors: [], usage: { tokens: 0, costUsd: 0 } };
      const result = await inner.embed(texts);
      await ledger.record({
        provider: inner.kind,
        operation: 'embed',
        model: inner.id,
        units: result.usage.tokens,
        unitKind: 'tokens',
        costUsd: result.usage.costUsd,
        memberId: attribution.memberId,
        jobId: attribution.jobId,
        details: { callSite, texts: texts.length },
      });
      return result;
    },
  };
}
