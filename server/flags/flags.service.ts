// Feature flags evaluated with the GrowthBook SDK from definitions stored in the database (GrowthBook's
// `features` JSON), so every replica sharing a database agrees without a GrowthBook server — or served
// by a GrowthBook server (feature-source.ts). Definitions are cached for a few seconds: flags are read on
// hot paths, and a change reaches every replica within the cache time. A source that fails keeps the
// last good definitions (or none): flags never take the engine down.
import { GrowthBook, type Attributes, type FeatureDefinition } from '@growthbook/growthbook';
import type { FastifyBaseLogger } from 'fastify';
import type { Queryable } from '../db/database.js';
import { databaseFeatureSource, type FeatureSource, type Features } from './feature-source.js';

export const FLAG_CACHE_MS = 10_000;

/** A flag's value for one subject, and the experiment arm when an experiment rule assigned it. */
export interface FlagEvaluation<T> {
  value: T;
  /** Set when the subject is in an experiment: its key and the variation's value. */
  experiment: { key: string; variationId: number } | null;
}

export class FlagsError extends Error {
  override name = 'FlagsError';
}

export class FlagsService {
  private readonly source: FeatureSource;
  private cached: { features: Features; loadedAt: number } | undefined;

  constructor(
    source: FeatureSource | Queryable,
    private readonly log?: FastifyBaseLogger,
    private readonly options: { cacheMs?: number; now?: () => number } = {},
  ) {
    this.source = 'load' in source ? source : databaseFeatureSource(source);
  }

  get sourceKind(): FeatureSource['kind'] {
    return this.source.kind;
  }

  /** The flag's value and experiment assignment for these attributes (GrowthBook's evalFeature). */
  async evaluate<T extends string | number | boolean | object>(
    key: string,
    fallback: T,
    attributes: Attributes = {},
  ): Promise<FlagEvaluation<T>> {
    const features = await this.features();
    if (!(key in features)) return { value: fallback, experiment: null };
    const growthbook = new GrowthBook({ features, attributes });
    try {
      const result = growthbook.evalFeature(key);
      const value = (result.value ?? fallback) as T;
      const inExperiment = result.source === 'experiment' && result.experiment && result.experimentResult?.inExperiment;
      return {
        value,
        experiment: inExperiment
          ? { key: result.experiment!.key, variationId: result.experimentResult!.variationId }
          : null,
      };
    } finally {
      growthbook.destroy();
    }
  }

  /** Every definition, as evaluated (the admin API shows them). */
  async allFeatures(): Promise<Features> {
    return { ...(await this.features()) };
  }

  /** The flag's value for these attributes; `fallback` when it is not defined or the definitions are broken. */
  async value<T extends string | number | boolean | object>(
    key: string,
    fallback: T,
    attributes: Attributes = {},
  ): Promise<T> {
    return (await this.evaluate(key, fallback, attributes)).value;
  }

  /** Whether a flag has a definition at all (so callers can tell "off" from "not set"). */
  async isDefined(key: string): Promise<boolean> {
    return key in (await this.features());
  }

  /** Replaces the stored definitions and drops this replica's cache; refused when a GrowthBook server is the source. */
  async saveFeatures(features: Record<string, FeatureDefinition>): Promise<void> {
    if (!this.source.save) {
      throw new FlagsError('flags are served by a GrowthBook server (SDE_GROWTHBOOK_API_HOST): edit them there');
    }
    await this.source.save(features);
    this.invalidate();
  }

  /** Makes the next read load the definitions again (the current ones stay as the fallback if that fails). */
  invalidate(): void {
    if (this.cached) this.cached = { ...this.cached, loadedAt: Number.NEGATIVE_INFINITY };
  }

  private async features(): Promise<Record<string, FeatureDefinition>> {
    const now = (this.options.now ?? Date.now)();
    if (this.cached && now - this.cached.loadedAt < (this.options.cacheMs ?? FLAG_CACHE_MS))
      return this.cached.features;
    let stored: unknown;
    try {
      stored = await this.source.load();
    } catch (error) {
      this.log?.warn({ err: error, source: this.source.kind }, 'flag definitions unavailable; keeping the last ones');
      const kept = this.cached?.features ?? {};
      this.cached = { features: kept, loadedAt: now };
      return kept;
    }
    let features: Features = {};
    if (stored && typeof stored === 'object' && !Array.isArray(stored)) {
      features = stored as Features;
    } else if (stored !== null) {
      this.log?.warn({ stored: typeof stored }, 'flag definitions are not an object; every flag uses its fallback');
    }
    this.cached = { features, loadedAt: now };
    return features;
  }
}
