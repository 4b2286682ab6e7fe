// Unit tests of the member-facing bands: the band edges, and the coarse inputs (grid cells, birth years)
// that keep a member sliding their own location or birthday from finding an exact edge.
import { describe, expect, it } from 'vitest';
import { ageGapBand, coarseAgeGapBand, coarseDistanceBand, distanceBand, gridCentre } from './bands.js';

describe('bands', () => {
  it('puts distances in bands with their English and Spanish wording', () => {
    expect([0, 4.99, 5, 9.9, 24, 49, 99.9, 100, 20_000].map((km) => distanceBand(km).key)).toEqual([
      'under_5_km',
      'under_5_km',
      'under_10_km',
      'under_10_km',
      'under_25_km',
      'under_50_km',
      'under_100_km',
      '100_km_plus',
      '100_km_plus',
    ]);
    expect(distanceBand(3)).toEqual({ key: 'under_5_km', en: 'under 5 km', es: 'menos de 5 km' });
    expect(distanceBand(150)).toEqual({ key: '100_km_plus', en: '100 km+', es: 'más de 100 km' });
  });

  it('puts age gaps in bands', () => {
    expect([0, 3, 4, 5, 10, 11].map((years) => ageGapBand(years).en)).toEqual([
      'within 3 years',
      'within 3 years',
      'within 5 years',
      'within 5 years',
      'within 10 years',
      'more than 10 years',
    ]);
    expect(ageGapBand(12).es).toBe('más de 10 años de diferencia');
  });

  it('measures the distance band between grid cells, so moving inside a cell changes nothing', () => {
    expect(gridCentre(48.137154)).toBeCloseTo(48.125, 12);
    const target = { lat: 48.137154, lon: 11.576124 };
    // Anywhere in the same cell as the target: the same band, whatever the exact distance.
    expect(coarseDistanceBand({ lat: 48.1001, lon: 11.5501 }, target)?.key).toBe('under_5_km');
    expect(coarseDistanceBand({ lat: 48.1499, lon: 11.5999 }, target)?.key).toBe('under_5_km');
    expect(coarseDistanceBand({ lat: null, lon: null }, target)).toBeNull();
  });

  it('compares birth years only, so the day of birth never moves the band', () => {
    expect(coarseAgeGapBand('1992-01-01', '1989-12-31')?.key).toBe('within_3_years');
    expect(coarseAgeGapBand('1992-12-31', '1989-01-01')?.key).toBe('within_3_years');
    expect(coarseAgeGapBand('1992-04-17', null)).toBeNull();
  });
});
