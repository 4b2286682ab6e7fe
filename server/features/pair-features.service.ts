// Feature rows for a viewer and a list of candidates, in the caller's order, with unknown ids named
// rather than dropped: the entry point serving, training-data export and explanations share.
import { PAIR_FEATURE_COUNT, type MaskableGroup } from './pair-feature-spec.js';
import type { PairFeaturesRepository } from './pair-features.repository.js';
import { pairFeatureRows, type CandidateFacts } from './pair-features.js';

export interface PairFeatureBatch {
  viewerId: string;
  /** Candidates that were found, in the order asked for (duplicates kept once). */
  candidateIds: string[];
  /** Row-major, `candidateIds.length × PAIR_FEATURE_COUNT`. */
  rows: Float64Array;
  /** Asked-for candidates with no saved attributes, or deleted. */
  unknownIds: string[];
  viewerKnown: boolean;
  /** The viewer's share_* flags (null when unknown): with each candidate's, they say who masked what. */
  viewerShares: Record<MaskableGroup, boolean> | null;
  /** What was loaded about each found candidate (gender and taste feed the post-rank stages). */
  facts: Map<string, CandidateFacts>;
}

export class PairFeaturesService {
  constructor(
    private readonly repository: PairFeaturesRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async featuresFor(viewerId: string, candidateIds: readonly string[]): Promise<PairFeatureBatch> {
    const [batch] = await this.featuresForGroups([{ viewerId, candidateIds }]);
    return batch!;
  }

  /** Many viewers' batches from one load of facts (training-data export reads thousands of viewers). */
  async featuresForGroups(
    groups: ReadonlyArray<{ viewerId: string; candidateIds: readonly string[] }>,
  ): Promise<PairFeatureBatch[]> {
    const ids = groups.flatMap((group) => [group.viewerId, ...group.candidateIds]);
    const { members, context } = await this.repository.load(ids);
    const now = this.now();
    return groups.map(({ viewerId, candidateIds }) => {
      const viewer = members.get(viewerId);
      const known: CandidateFacts[] = [];
      const unknownIds: string[] = [];
      for (const id of new Set(candidateIds)) {
        const candidate = members.get(id);
        if (candidate) known.push(candidate);
        else unknownIds.push(id);
      }
      return {
        viewerId,
        candidateIds: known.map((candidate) => candidate.id),
        rows: viewer ? pairFeatureRows(viewer, known, { ...context, now }) : new Float64Array(0),
        unknownIds,
        viewerKnown: viewer !== undefined,
        viewerShares: viewer ? { ...viewer.shares } : null,
        facts: new Map(known.map((candidate) => [candidate.id, candidate])),
      };
    });
  }
}

/** Row `index` of a batch as a view (no copy). */
export function featureRow(batch: PairFeatureBatch, index: number): Float64Array {
  return batch.rows.subarray(index * PAIR_FEATURE_COUNT, (index + 1) * PAIR_FEATURE_COUNT);
}
