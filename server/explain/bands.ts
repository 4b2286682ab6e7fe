// What a member may learn about another member's distance and age: a coarse band, worded in English and
// Spanish, never the exact value. Pure functions; the explanations service feeds them the two members'
// locations and birthdays.
// Bands alone are not enough against a member who moves their own location (or birthday) to find the
// point where a band flips — each flip is an exact distance, and three of them locate the other member.
// So the distance band is measured between the two members' grid cells (centres of a 0.05° grid), and
// the age band compares birth years: sliding one's own values then reveals at best the other member's
// cell and birth year.
import { LOCALES, type Localized } from '../../shared/locales.js';
import type { FeatureBand } from '../../shared/schemas/explanations.js';
import { distanceKm } from '../lib/great-circle.js';

/** Grid cells per degree for the distance band: cells of 0.05°, about 5.5 km of latitude. */
export const GRID_CELLS_PER_DEGREE = 20;

type BandDefinition = FeatureBand & {
  /** The band holds values strictly below this (distance) or at most this (age gap). */
  limit: number;
};

const DISTANCE_BANDS: readonly BandDefinition[] = [
  { key: 'under_5_km', limit: 5, en: 'under 5 km', es: 'menos de 5 km' },
  { key: 'under_10_km', limit: 10, en: 'under 10 km', es: 'menos de 10 km' },
  { key: 'under_25_km', limit: 25, en: 'under 25 km', es: 'menos de 25 km' },
  { key: 'under_50_km', limit: 50, en: 'under 50 km', es: 'menos de 50 km' },
  { key: 'under_100_km', limit: 100, en: 'under 100 km', es: 'menos de 100 km' },
];
const FAR: FeatureBand = { key: '100_km_plus', en: '100 km+', es: 'más de 100 km' };

const AGE_GAP_BANDS: readonly BandDefinition[] = [
  { key: 'within_3_years', limit: 3, en: 'within 3 years', es: 'hasta 3 años de diferencia' },
  { key: 'within_5_years', limit: 5, en: 'within 5 years', es: 'hasta 5 años de diferencia' },
  { key: 'within_10_years', limit: 10, en: 'within 10 years', es: 'hasta 10 años de diferencia' },
];
const APART: FeatureBand = { key: 'more_than_10_years', en: 'more than 10 years', es: 'más de 10 años de diferencia' };

export interface Place {
  lat: number | null;
  lon: number | null;
}

/** The distance band of a distance in km. */
export function distanceBand(km: number): FeatureBand {
  const band = DISTANCE_BANDS.find((candidate) => km < candidate.limit);
  return band ? bandOf(band) : FAR;
}

/** The age-gap band of a gap in whole years. */
export function ageGapBand(years: number): FeatureBand {
  const band = AGE_GAP_BANDS.find((candidate) => years <= candidate.limit);
  return band ? bandOf(band) : APART;
}

/** The band as members see it: its key and its wording per locale, without the limit. */
function bandOf(definition: BandDefinition): FeatureBand {
  const wording = Object.fromEntries(LOCALES.map((locale) => [locale, definition[locale]])) as Localized;
  return { key: definition.key, ...wording };
}

/** The centre of the grid cell a coordinate falls in. */
export function gridCentre(degrees: number): number {
  return (Math.floor(degrees * GRID_CELLS_PER_DEGREE) + 0.5) / GRID_CELLS_PER_DEGREE;
}

/** The band of the distance between the two members' grid cells; null when either location is unknown. */
export function coarseDistanceBand(a: Place, b: Place): FeatureBand | null {
  if (a.lat === null || a.lon === null || b.lat === null || b.lon === null) return null;
  return distanceBand(distanceKm(gridCentre(a.lat), gridCentre(a.lon), gridCentre(b.lat), gridCentre(b.lon)));
}

/** The band of the gap between two birth years (`YYYY-MM-DD`); null when either birthday is unknown. */
export function coarseAgeGapBand(a: string | null, b: string | null): FeatureBand | null {
  if (!a || !b) return null;
  return ageGapBand(Math.abs(Number(a.slice(0, 4)) - Number(b.slice(0, 4))));
}
