// Feature flags evaluated with the GrowthBook SDK from definitions stored in the database (GrowthBook's
// `features` JSON), so every replica sharing a database agrees without a GrowthBook server. Definitions
// are cached for a few seconds: flags are read on hot paths, and a change reaches every replica within
// the cache time.
import { GrowthBook, type Attributes, type FeatureDefinition } from '@growthbook/growthbook';
import type { FastifyBaseLogger } from 'fastify';
import type { Queryable } from '../db/database.js';
import { FlagsRepository } from './flags.repository.js';

export const FLAG_CACHE_MS = 10_000;

export class FlagsService {
  private readonly repository: FlagsRepository;
  private cached: { features: Record<string, FeatureDefinition>; loadedAt: number } | undefined;

  constructor(
    db: Queryable,
    private readonly log?: FastifyBaseLogger,
    private readonly options: { cacheMs?: number; now?: () => number } = {},
  ) {
    this.repository = new FlagsRepository(db);
  }

  /** The flag's value for these attributes; `fallback` when it is not defined or the definitions are broken. */
  async value<T extends string | number | boolean | object>(
    key: string,
    fallback: T,
    attributes: Attributes = {},
  ): Promise<T> {
    const features = await this.features();
    if (!(key in features)) return fallback;
    const growthbook = new GrowthBook({ features, attributes });
    try {
      return growthbook.getFeatureValue(key, fallback) as T;
    } finally {
      growthbook.destroy();
    }
  }

  /** Whether a flag has a definition at all (so callers can tell "off" from "not set"). */
  async isDefined(key: string): Promise<boolean> {
    return key in (await this.features());
  }

  /** Replaces the stored definitions and drops this replica's cache. */
  async saveFeatures(features: Record<string, FeatureDefinition>): Promise<void> {
    await this.repository.saveFeatures(features);
    this.invalidate();
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async features(): Promise<Record<string, FeatureDefinition>> {
    const now = (this.options.now ?? Date.now)();
    if (this.cached && now - this.cached.loadedAt < (this.options.cacheMs ?? FLAG_CACHE_MS))
      return this.cached.features;
    const stored = await this.repository.features();
    let features: Record<string, FeatureDefinition> = {};
    if (stored && typeof stored === 'object' && !Array.isArray(stored)) {
      features = stored as Record<string, FeatureDefinition>;
    } else if (stored !== null) {
      this.log?.warn({ stored: typeof stored }, 'growthbook_features is not an object; every flag uses its fallback');
    }
    this.cached = { features, loadedAt: now };
    return features;
  }
}
