// Turns labelled impressions into a ranking dataset — one query group per viewer, each row the feature
// vector the ranker scored when the impression was served, with both members' current privacy masks
// applied on top — and splits it into training and validation viewers.
import { createHash } from 'node:crypto';
import { PAIR_FEATURE_COUNT, PAIR_FEATURE_NAMES } from '../features/pair-feature-spec.js';
import { maskedGroups, maskRow } from '../features/pair-features.js';
import type { RankingDataset } from '../lib/ranker/lambdamart-trainer.js';
import type { LabelledImpression } from './training-data.repository.js';

export interface ViewerDataset extends RankingDataset {
  /** The viewer of each query group, in order. */
  viewers: string[];
}

export interface LoggedDataset {
  data: ViewerDataset;
  /** Labelled impressions left out because they logged no features of the current spec. */
  impressionsWithoutFeatures: number;
}

/**
 * Builds the dataset from the logged rows. Impressions without one are left out and counted; then
 * viewers with fewer than two labelled candidates carry no ranking signal and are left out too.
 */
export function buildRankingDataset(impressions: readonly LabelledImpression[]): LoggedDataset {
  const byViewer = new Map<string, LabelledImpression[]>();
  let impressionsWithoutFeatures = 0;
  for (const impression of impressions) {
    if (impression.features === null) {
      impressionsWithoutFeatures++;
      continue;
    }
    const list = byViewer.get(impression.viewerId);
    if (list) list.push(impression);
    else byViewer.set(impression.viewerId, [impression]);
  }
  const parts: QueryGroup[] = [];
  for (const [viewer, list] of byViewer) {
    if (list.length < 2) continue;
    const rows = new Float64Array(list.length * PAIR_FEATURE_COUNT);
    list.forEach((impression, index) => {
      const row = rows.subarray(index * PAIR_FEATURE_COUNT, (index + 1) * PAIR_FEATURE_COUNT);
      row.set(impression.features!);
      // A group either member withholds now is not used, whatever was shared when the row was logged.
      maskRow(row, maskedGroups({ shares: impression.viewerShares }, { shares: impression.candidateShares }));
    });
    parts.push({ viewer, labels: list.map((impression) => impression.label), rows });
  }
  return {
    data: assemble(parts, PAIR_FEATURE_COUNT, [...PAIR_FEATURE_NAMES]),
    impressionsWithoutFeatures,
  };
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
