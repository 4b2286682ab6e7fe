// The explanations the in-memory cache holds for a viewer, member view only, for the export. Per
// replica: entries cached by another replica are not seen (they expire on the cache's TTL).
import type { WhyResponse } from '../../shared/schemas/explanations.js';
import type { ExplanationsService } from '../explain/explanations.service.js';

export interface CachedExplanation {
  targetId: string;
  modelVersion: string;
  explanation: WhyResponse;
}

/** What the export needs from the explanations module. */
export type CachedExplanationsSource = (viewerId: string) => CachedExplanation[];

export function cachedExplanationsOf(service: ExplanationsService): CachedExplanationsSource {
  return (viewerId) => service.cachedFor(viewerId);
}
