// The pair-feature vector an impression logs (slate_impressions.features and feature_version): how a
// scored row goes into SQL and how it reads back. Serving, the demo loader and training share it, so
// a logged row reads back exactly as the ranker scored it.
import { PAIR_FEATURE_COUNT } from './pair-feature-spec.js';

/**
 * A row as a Postgres array literal, for `unnest($n::text[])` then `::double precision[]` (an array of
 * arrays cannot be unnested row by row). JavaScript prints the shortest text that parses back to the
 * same double, so nothing is rounded on the way in.
 */
export function featureArrayLiteral(row: ArrayLike<number>): string {
  return `{${Array.from(row).join(',')}}`;
}

/** A logged vector as the database returns it; null when absent or not a row of the current spec's width. */
export function loggedFeatureRow(values: readonly number[] | null): Float64Array | null {
  if (values === null || values.length !== PAIR_FEATURE_COUNT) return null;
  return Float64Array.from(values, Number);
}
