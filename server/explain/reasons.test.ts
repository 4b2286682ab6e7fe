// Unit tests of reasons and chips: top-2 positive contributions in both languages, filled with the pair's
// values; opted-out groups never a reason nor a chip; the generic reason; distance rounding.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../shared/locales.js';
import {
  MASKABLE_GROUPS,
  PAIR_FEATURES,
  PAIR_FEATURE_COUNT,
  type MaskableGroup,
} from '../features/pair-feature-spec.js';
import { maskedGroups, type MemberFacts } from '../features/pair-features.js';
import { EXPLAIN_MAP_PATH, loadExplainMap } from './explain-map.js';
import { explainPair, formatDistance, optedOutGroups, type PairTraits } from './reasons.js';

const map = loadExplainMap();

function column(name: string): number {
  return PAIR_FEATURES.findIndex((feature) => feature.name === name);
}

/** A row and contributions with the given features set; everything else 0. */
function pair(features: Record<string, [value: number, contribution: number]>) {
  const values = new Float64Array(PAIR_FEATURE_COUNT);
  const contributions = new Float64Array(PAIR_FEATURE_COUNT);
  for (const [name, [value, contribution]] of Object.entries(features)) {
    values[column(name)] = value;
    contributions[column(name)] = contribution;
  }
  return { values, contributions };
}

const traits: PairTraits = {
  sharedHobbies: ['climbing'],
  sharedCommunities: ['Berlin Techno'],
  sharedFavorites: [
    { title: 'Alien', holders: 40, viewerViaConnector: false, targetViaConnector: false },
    { title: 'Blade Runner', holders: 3, viewerViaConnector: false, targetViaConnector: false },
    { title: 'Blue Monday', holders: 9, viewerViaConnector: true, targetViaConnector: true },
  ],
};

describe('reasons', () => {
  it('says the top two positive features, in English and Spanish, filled with the pair', () => {
    const result = explainPair({
      ...pair({
        shared_favorites: [3, 0.9],
        distance_km: [3.4, 0.5],
        hobbies_jaccard: [0.5, 0.2],
        age_gap_years: [12, -0.7],
      }),
      masked: new Set(),
      traits,
      map,
    });
    expect(result.reason_en).toBe('You both love Blade Runner · 3 km away');
    expect(result.reason_es).toBe('A ambos os encanta Blade Runner · A 3 km');
    expect(result.features.map((f) => [f.name, f.group, f.value, f.contribution])).toEqual([
      ['shared_favorites', 'favorites', 3, 0.9],
      ['distance_km', 'profile', 3.4, 0.5],
    ]);
    expect(result.chips).toEqual([
      { en: 'Both appreciate Blade Runner', es: 'A ambos les gusta Blade Runner' },
      { en: 'Both appreciate Blue Monday', es: 'A ambos les gusta Blue Monday' },
      { en: 'Both appreciate Alien', es: 'A ambos les gusta Alien' },
    ]);
  });

  it('says distance and age gap as their band in banded wording (members), and attaches the band either way', () => {
    const bands = {
      distance: { key: 'under_5_km', en: 'under 5 km', es: 'menos de 5 km' },
      ageGap: { key: 'within_3_years', en: 'within 3 years', es: 'hasta 3 años de diferencia' },
    };
    const input = {
      ...pair({ distance_km: [3.4, 0.9], age_gap_years: [2.3, 0.5] }),
      masked: new Set<MaskableGroup>(),
      traits,
      map,
      bands,
    };
    const banded = explainPair({ ...input, wording: 'banded' });
    expect(banded.reason_en).toBe('under 5 km away · Close in age');
    expect(banded.reason_es).toBe('A menos de 5 km · Edad parecida');
    expect(banded.features.map((f) => f.band?.key)).toEqual(['under_5_km', 'within_3_years']);
    const exact = explainPair({ ...input, wording: 'exact' });
    expect(exact.reason_en).toBe('3 km away · Close in age');
    expect(exact.features.map((f) => f.band?.key)).toEqual(['under_5_km', 'within_3_years']);
    // No band (a location unknown): banded wording has nothing coarse to say, so distance is no reason.
    const noBand = explainPair({ ...input, bands: { distance: null, ageGap: null }, wording: 'banded' });
    expect(noBand.reason_en).toBe(map.generic.en);
  });

  it('never uses an opted-out group as a reason or a chip, even when it contributed most', () => {
    const result = explainPair({
      ...pair({ hobbies_jaccard: [0.5, 2], communities_jaccard: [0.5, 1.5], age_gap_years: [1, 0.1] }),
      masked: new Set<MaskableGroup>(['interests']),
      traits,
      map,
    });
    expect(result.features.map((f) => f.name)).toEqual(['age_gap_years']);
    expect(result.reason_en).toBe('Close in age');
    expect(result.chips.map((chip) => chip.en)).not.toContain('Both appreciate climbing');
    expect(result.chips.map((chip) => chip.en)).not.toContain('Both appreciate Berlin Techno');
  });

  it('keeps favorites that came through a connector out when the connectors group is off', () => {
    const result = explainPair({
      ...pair({ shared_favorites: [3, 1] }),
      masked: new Set<MaskableGroup>(['connectors']),
      traits,
      map,
    });
    expect(result.chips.map((chip) => chip.en)).toEqual([
      'Both appreciate Blade Runner',
      'Both appreciate Alien',
      'Both appreciate climbing',
    ]);
  });

  it('falls back to the generic reason when nothing contributes positively, and skips what cannot be said', () => {
    const none = explainPair({ ...pair({ age_gap_years: [9, -0.3] }), masked: new Set(), traits, map });
    expect([none.reason_en, none.reason_es]).toEqual([map.generic.en, map.generic.es]);
    expect(none.features).toEqual([]);
    // "No shared hobby" pushing the score up is not "You both enjoy …"; a missing location is not "20000 km away".
    const unsayable = explainPair({
      ...pair({ hobbies_jaccard: [0, 1], distance_km: [20_000, 0.5], profile_completeness: [0.78, 0.1] }),
      masked: new Set(),
      traits: { sharedHobbies: [], sharedCommunities: [], sharedFavorites: [] },
      map,
    });
    expect(unsayable.reason_en).toBe('Complete profile');
    expect(unsayable.chips).toEqual([]);
  });

  it('says a repeated reason once (like rate and dwell both read "Popular this week")', () => {
    const result = explainPair({
      ...pair({ candidate_like_rate: [0.6, 0.4], candidate_dwell_avg_ms: [5000, 0.3], reverse_affinity: [0.8, 0.2] }),
      masked: new Set(),
      traits,
      map,
    });
    expect(result.reason_en).toBe('Popular this week · Likes people like you');
  });

  it('rounds distances sensibly', () => {
    expect([0.4, 1, 3.4, 12.6, 99.4, 123].map(formatDistance)).toEqual([
      '< 1 km',
      '1 km',
      '3 km',
      '13 km',
      '99 km',
      '120 km',
    ]);
  });

  it("agrees with pair features' maskedGroups for every combination of choices", () => {
    const facts = (bits: number): MemberFacts => ({
      id: 'x',
      birthday: null,
      gender: null,
      lat: null,
      lon: null,
      hobbies: [],
      communities: [],
      shares: Object.fromEntries(MASKABLE_GROUPS.map((g, i) => [g, (bits & (1 << i)) !== 0])) as Record<
        MaskableGroup,
        boolean
      >,
      completeness: 0,
      lastActiveAt: null,
      taste: null,
      favorites: new Map(),
    });
    for (let a = 0; a < 16; a++) {
      for (let b = 0; b < 16; b++) {
        const [viewer, target] = [facts(a), facts(b)];
        expect([...optedOutGroups(viewer.shares, target.shares)].sort()).toEqual(
          [...maskedGroups(viewer, target)].sort(),
        );
      }
    }
  });

  it('keys every reason by locale, and the seed-named fields read the same text', () => {
    const result = explainPair({
      ...pair({ shared_favorites: [3, 0.9], distance_km: [3.4, 0.5] }),
      masked: new Set(),
      traits,
      map,
    });
    expect(Object.keys(result.reasons).sort()).toEqual([...LOCALES].sort());
    expect(result.reasons).toMatchObject({ en: result.reason_en, es: result.reason_es });
    for (const feature of result.features) {
      expect(feature.reasons).toMatchObject({ en: feature.reason_en, es: feature.reason_es });
    }
    const generic = explainPair({ ...pair({}), masked: new Set(), traits, map });
    expect(generic.reasons).toEqual({ en: map.generic.en, es: map.generic.es });
  });
});

describe('explanation templates in every locale', () => {
  // The raw file, not the loaded map: a locale missing from the file must fail here by name.
  const raw = JSON.parse(readFileSync(EXPLAIN_MAP_PATH, 'utf8')) as {
    generic: Record<string, string>;
    features: Record<string, Record<string, string>>;
  };
  const placeholders = (template: string) => [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]).sort();
  /** Each template of the file, by where it is and how to read it in a locale. */
  type Template = [where: string, inLocale: (locale: string) => string | undefined];
  const templates: Template[] = [
    ['generic', (locale) => raw.generic[locale]],
    ...Object.entries(raw.features).flatMap(([name, feature]): Template[] => [
      [`features.${name}`, (locale) => feature[locale]],
      ...(Object.keys(feature).some((key) => key.startsWith('chip_'))
        ? [[`features.${name} chip`, (locale: string) => feature[`chip_${locale}`]] satisfies Template]
        : []),
    ]),
  ];

  it.each(templates)('%s has a template in every locale, with the same placeholders', (_, inLocale) => {
    for (const locale of LOCALES) expect(inLocale(locale), locale).toMatch(/\S/);
    const [first, ...others] = LOCALES;
    for (const locale of others) {
      expect(placeholders(inLocale(locale)!), locale).toEqual(placeholders(inLocale(first)!));
    }
  });
});
