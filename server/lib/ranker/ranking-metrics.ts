// Offline ranking metrics computed exactly as LightGBM's `ndcg` and `map` metrics do, so a number
// printed by `npm run ranker -- eval`, the trainer's early stopping and the benchmark's comparison
// with XGBoost all mean the same thing:
//  - gain of a document with label l is 2^l − 1, the discount at 0-based rank r is 1 / log2(r + 2);
//  - a query whose documents are all irrelevant (label 0) counts as NDCG 1 and AP 1 (LightGBM's
//    convention: such a query cannot be ranked badly);
//  - documents with equal scores keep their input order (a stable sort), so results are repeatable;
//  - the mean is over queries, each query weighing the same.

/** LightGBM's default label gain: 2^label − 1. */
export function labelGain(label: number): number {
  return Math.pow(2, label) - 1;
}

/** The DCG discount at 0-based rank `rank`. */
export function rankDiscount(rank: number): number {
  return 1 / Math.log2(rank + 2);
}

/**
 * Writes into `order[0..count)` the positions `start..start+count` sorted by descending score, ties
 * in input order. Insertion sort for the short lists ranking queries usually have (stable and
 * allocation-free), a comparator sort with an explicit tie-break otherwise.
 */
export function argsortDescending(scores: ArrayLike<number>, start: number, count: number, order: Int32Array): void {
  if (count <= 48) {
    for (let i = 0; i < count; i++) {
      const index = start + i;
      const score = scores[index]!;
      let j = i - 1;
      while (j >= 0 && scores[order[j]!]! < score) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = index;
    }
    return;
  }
  const view = order.subarray(0, count);
  for (let i = 0; i < count; i++) view[i] = start + i;
  view.sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/** The ideal DCG of `count` documents from `start` truncated at `k` (labels sorted descending). */
export function maxDcgAtK(labels: ArrayLike<number>, start: number, count: number, k: number): number {
  const sorted = new Float64Array(count);
  for (let i = 0; i < count; i++) sorted[i] = labels[start + i]!;
  sorted.sort();
  let dcg = 0;
  const limit = Math.min(k, count);
  for (let r = 0; r < limit; r++) dcg += labelGain(sorted[count - 1 - r]!) * rankDiscount(r);
  return dcg;
}

function checkInputs(labels: ArrayLike<number>, scores: ArrayLike<number>, groups: ArrayLike<number>, k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (labels.length !== scores.length) {
    throw new RangeError(`labels (${labels.length}) and scores (${scores.length}) differ in length`);
  }
  let total = 0;
  for (let g = 0; g < groups.length; g++) {
    if (!(groups[g]! > 0)) throw new RangeError(`query group ${g} is empty (size ${groups[g]})`);
    total += groups[g]!;
  }
  if (total !== labels.length) throw new RangeError(`query groups cover ${total} rows, not ${labels.length}`);
}

function largestGroup(groups: ArrayLike<number>): number {
  let largest = 0;
  for (let g = 0; g < groups.length; g++) largest = Math.max(largest, groups[g]!);
  return largest;
}

/** NDCG@k of each query, in group order. */
export function ndcgPerQuery(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  groups: ArrayLike<number>,
  k: number,
): Float64Array {
  checkInputs(labels, scores, groups, k);
  const result = new Float64Array(groups.length);
  const order = new Int32Array(largestGroup(groups));
  let start = 0;
  for (let g = 0; g < groups.length; g++) {
    const count = groups[g]!;
    const ideal = maxDcgAtK(labels, start, count, k);
    if (ideal <= 0) {
      result[g] = 1;
    } else {
      argsortDescending(scores, start, count, order);
      let dcg = 0;
      const limit = Math.min(k, count);
      for (let r = 0; r < limit; r++) dcg += labelGain(labels[order[r]!]!) * rankDiscount(r);
      result[g] = dcg / ideal;
    }
    start += count;
  }
  return result;
}

/** Mean NDCG@k over queries. */
export function ndcgAtK(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  groups: ArrayLike<number>,
  k: number,
): number {
  return mean(ndcgPerQuery(labels, scores, groups, k));
}

/**
 * Mean average precision over queries, a document being relevant when its label is > 0. With `k`,
 * MAP@k as LightGBM computes it (the sum of precisions at hits within the top k, divided by
 * min(k, relevant documents)); without, over the whole list.
 */
export function meanAveragePrecision(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  groups: ArrayLike<number>,
  k = Number.MAX_SAFE_INTEGER,
): number {
  checkInputs(labels, scores, groups, k);
  const order = new Int32Array(largestGroup(groups));
  let total = 0;
  let start = 0;
  for (let g = 0; g < groups.length; g++) {
    const count = groups[g]!;
    let relevant = 0;
    for (let i = 0; i < count; i++) if (labels[start + i]! > 0) relevant++;
    if (relevant === 0) {
      total += 1;
    } else {
      argsortDescending(scores, start, count, order);
      const limit = Math.min(k, count);
      let hits = 0;
      let sumPrecision = 0;
      for (let r = 0; r < limit; r++) {
        if (labels[order[r]!]! > 0) {
          hits++;
          sumPrecision += hits / (r + 1);
        }
      }
      total += sumPrecision / Math.min(relevant, limit);
    }
    start += count;
  }
  return groups.length === 0 ? 0 : total / groups.length;
}

function mean(values: Float64Array): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}
