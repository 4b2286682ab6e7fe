// Where GrowthBook feature definitions come from: the engine's own database (the default, editable
// through the admin API) or a GrowthBook server's SDK endpoint (`GET {apiHost}/api/features/{clientKey}`),
// for teams that run GrowthBook and manage flags there. Either way the SDK evaluates them in-process.
import type { FeatureDefinition } from '@growthbook/growthbook';
import type { Queryable } from '../db/database.js';
import { FlagsRepository } from './flags.repository.js';

export type Features = Record<string, FeatureDefinition>;

export interface FeatureSource {
  readonly kind: 'database' | 'growthbook';
  /** The raw stored or served definitions (validated by the caller); null when there are none. */
  load(): Promise<unknown>;
  /** Database only: replaces the definitions. */
  save?(features: Features): Promise<void>;
}

export function databaseFeatureSource(db: Queryable): FeatureSource {
  const repository = new FlagsRepository(db);
  return {
    kind: 'database',
    load: () => repository.features(),
    save: (features) => repository.saveFeatures(features),
  };
}

/** GrowthBook's SDK payload: `{ status, features, dateUpdated }`; only `features` is used. */
export function growthbookServerSource(
  apiHost: string,
  clientKey: string,
  fetchImpl: typeof fetch = fetch,
  timeoutMs = 5_000,
): FeatureSource {
  const url = `${apiHost}/api/features/${encodeURIComponent(clientKey)}`;
  return {
    kind: 'growthbook',
    async load() {
      const response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) throw new Error(`GrowthBook ${url} answered ${response.status}`);
      const body = (await response.json()) as { features?: unknown };
      if (typeof body !== 'object' || body === null || !('features' in body)) {
        throw new Error(`GrowthBook ${url}: the response has no "features" object`);
      }
      return body.features;
    },
  };
}
