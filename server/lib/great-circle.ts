// Great-circle distance between two points on Earth. Retrieval filters by it, pair features and
// explanation bands measure with it, and the demo loader uses it for its hidden preference; it lives in
// the library so none of them imports another serving module for a formula.

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in kilometres (haversine), the same formula the repository's SQL uses. */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const toRadians = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRadians;
  const dLon = (lon2 - lon1) * toRadians;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRadians) * Math.cos(lat2 * toRadians) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}
