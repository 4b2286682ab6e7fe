// Unit tests of the explanation shaping: language choice, SHAP bar order and signed labels.
import { describe, expect, it } from 'vitest';
import {
  explainedDelta,
  explanationLanguage,
  localizedChips,
  localizedReason,
  shapBars,
  signedContribution,
} from './explanation-data.js';
import { fixtureExplanation } from './fixtures.js';

describe('explanation language', () => {
  it('maps i18next languages onto the API languages', () => {
    expect(explanationLanguage('es')).toBe('es');
    expect(explanationLanguage('es-ES')).toBe('es');
    expect(explanationLanguage('en')).toBe('en');
    expect(explanationLanguage('fr')).toBe('en');
    expect(explanationLanguage(undefined)).toBe('en');
  });

  it('picks the reason and chips in that language', () => {
    const explanation = fixtureExplanation();
    expect(localizedReason(explanation, 'en')).toBe('You both love Blade Runner · 3 km away');
    expect(localizedReason(explanation, 'es')).toBe('A ambos os encanta Blade Runner · A 3 km');
    expect(localizedChips(explanation, 'es')).toEqual(['A ambos les gusta Blade Runner']);
  });
});

describe('shapBars', () => {
  it('sorts by absolute contribution and spells the sign out in the labels', () => {
    const bars = shapBars(fixtureExplanation().features, 'en');
    expect(bars.map((bar) => [bar.feature, bar.direction, bar.signedLabel])).toEqual([
      ['shared_favorites', 'positive', '+0.410'],
      ['age_gap_years', 'negative', '\u22120.250'],
      ['distance_km', 'positive', '+0.180'],
    ]);
    expect(bars[1]?.axisLabel).toBe('age_gap_years (\u22120.250)');
    expect(bars[0]?.reason).toBe('You both love Blade Runner');
  });

  it('uses the Spanish reasons and keeps the API order on ties', () => {
    const features = [
      {
        name: 'a',
        group: 'g',
        value: 1,
        contribution: -0.2,
        reason_en: 'A',
        reason_es: 'A-es',
        reasons: { en: 'A', es: 'A-es' },
      },
      {
        name: 'b',
        group: 'g',
        value: 1,
        contribution: 0.2,
        reason_en: 'B',
        reason_es: 'B-es',
        reasons: { en: 'B', es: 'B-es' },
      },
    ];
    expect(shapBars(features, 'es').map((bar) => [bar.feature, bar.reason])).toEqual([
      ['a', 'A-es'],
      ['b', 'B-es'],
    ]);
  });

  it('labels zero as positive and gives the explained delta', () => {
    expect(signedContribution(0)).toBe('+0.000');
    expect(explainedDelta(fixtureExplanation())).toBeCloseTo(0.34);
  });
});
