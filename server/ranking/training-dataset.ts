// Turns labelled impressions into a ranking dataset — one query group per viewer, features from the
// same pair-feature code serving uses — and splits it into training and validation viewers.
import { createHash } from 'node:crypto';
import { PAIR_FEATURE_COUNT, PAIR_FEATURE_NAMES } from '../features/pair-feature-spec.js';
import type { PairFeaturesService } from '../features/pair-features.service.js';
import type { RankingDataset } from '../lib/ranker/lambdamart-trainer.js';
import type { LabelledImpression } from './training-data.repository.js';

export interface ViewerDataset extends RankingDataset {
  /** The viewer of each query group, in order. */
  viewers: string[];
}

/** Builds the dataset; viewers with fewer than two labelled candidates carry no ranking signal and are left out. */
export async function buildRankingDataset(
  impressions: readonly LabelledImpression[],
  features: PairFeaturesService,
): Promise<ViewerDataset> {
  const byViewer = new Map<string, LabelledImpression[]>();
  for (const impression of impressions) {
    const list = byViewer.get(impression.viewerId);
    if (list) list.push(impression);
    else byViewer.set(impression.viewerId, [impression]);
  }
  const groups = [...byViewer.entries()]
    .filter(([, list]) => list.length >= 2)
    .map(([viewerId, list]) => ({ viewerId, list }));
  const batches = await features.featuresForGroups(
    groups.map(({ viewerId, list }) => ({ viewerId, candidateIds: list.map((impression) => impression.candidateId) })),
  );
  const parts: QueryGroup[] = [];
  batches.forEach((batch, index) => {
    if (!batch.viewerKnown || batch.candidateIds.length < 2) return;
    const labelOf = new Map(groups[index]!.list.map((impression) => [impression.candidateId, impression.label]));
    parts.push({
      viewer: batch.viewerId,
      labels: batch.candidateIds.map((candidateId) => labelOf.get(candidateId)!),
      rows: batch.rows,
    });
  });
  return assemble(parts, PAIR_FEATURE_COUNT, [...PAIR_FEATURE_NAMES]);
}

/**
 * Splits by viewer (a viewer's whole group goes to one side), by a hash of the viewer id so the split
 * is the same on every run and a viewer stays on their side as data grows.
 */
export function splitByViewer(data: ViewerDataset, validShare: number): { train: ViewerDataset; valid: ViewerDataset } {
  const inValid = data.viewers.map(
    (viewer) => createHash('sha256').update(viewer).digest().readUInt32BE(0) / 2 ** 32 < validShare,
  );
  return {
    train: selectGroups(
      data,
      inValid.map((valid) => !valid),
    ),
    valid: selectGroups(data, inValid),
  };
}

function selectGroups(data: ViewerDataset, keep: boolean[]): ViewerDataset {
  const parts: QueryGroup[] = [];
  let start = 0;
  data.groups.forEach((size, group) => {
    if (keep[group]) {
      parts.push({
        viewer: data.viewers[group]!,
        labels: Array.from(data.labels.subarray(start, start + size)),
        rows: data.rows.subarray(start * data.numFeatures, (start + size) * data.numFeatures),
      });
    }
    start += size;
  });
  return assemble(parts, data.numFeatures, data.featureNames);
}

interface QueryGroup {
  viewer: string;
  labels: number[];
  /** Row-major, `labels.length × numFeatures`. */
  rows: Float64Array;
}

function assemble(
  parts: readonly QueryGroup[],
  numFeatures: number,
  featureNames: string[] | undefined,
): ViewerDataset {
  const numRows = parts.reduce((sum, part) => sum + part.labels.length, 0);
  const labels = new Float64Array(numRows);
  const rows = new Float64Array(numRows * numFeatures);
  let row = 0;
  for (const part of parts) {
    labels.set(part.labels, row);
    rows.set(part.rows, row * numFeatures);
    row += part.labels.length;
  }
  return {
    labels,
    rows,
    numRows,
    numFeatures,
    groups: Int32Array.from(parts, (part) => part.labels.length),
    ...(featureNames ? { featureNames } : {}),
    viewers: parts.map((part) => part.viewer),
  };
}
