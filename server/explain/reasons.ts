// Turns a pair's exact TreeSHAP contributions and feature values into what a member reads: the top two
// positively contributing features as reasons in every locale (shared/locales.ts), plus "Both appreciate
// X" chips for traits both members share. Plain functions over plain data; the service loads, this decides.
// Every text is made per locale from that locale's template, so a language is a template set, not code;
// `reason_en`/`reason_es` are the API's seed-named fields, read off the locale map.
// Privacy: a feature of a group the viewer or the target opted out of is never a reason, and traits of
// such a group are never chips, whatever the model made of them. In `banded` wording (what members
// read) distance and age gap are said as their coarse band (bands.ts), never as the exact value.
import { DEFAULT_LOCALE, LOCALES, localized, type Locale, type Localized } from '../../shared/locales.js';
import type { FeatureBand } from '../../shared/schemas/explanations.js';
import {
  MASKABLE_GROUPS,
  PAIR_FEATURES,
  type FeatureGroup,
  type MaskableGroup,
  type PairFeatureName,
} from '../features/pair-feature-spec.js';
import type { ExplainMap } from './explain-map.js';

/** How many features make up the reason. */
export const TOP_REASONS = 2;
/** How many chips at most. */
export const MAX_CHIPS = 3;
/** Contributions at or below this are float noise, not a push towards the pair. */
const POSITIVE_EPSILON = 1e-12;
/** pair-features' value for a missing location: nothing to say about distance. */
const UNKNOWN_DISTANCE_KM = 20_000;
const JOINER = ' · ';

export interface SharedFavorite {
  title: string;
  /** Members holding it: the fewer, the more it says about the pair. */
  holders: number;
  viewerViaConnector: boolean;
  targetViaConnector: boolean;
}

/** What both members have in common, as loaded (not yet filtered by privacy). */
export interface PairTraits {
  sharedHobbies: readonly string[];
  sharedCommunities: readonly string[];
  sharedFavorites: readonly SharedFavorite[];
}

/** The pair's coarse distance and age-gap bands; null where a location or birthday is unknown. */
export interface PairBands {
  distance: FeatureBand | null;
  ageGap: FeatureBand | null;
}

/** `exact`: values as they are, for staff ("3 km away"); `banded`: bands only, for members ("under 5 km away"). */
export type ReasonWording = 'exact' | 'banded';

export interface ExplainInput {
  /** The pair's feature row, PAIR_FEATURES order, masks applied. */
  values: ArrayLike<number>;
  /** TreeSHAP contributions, same order. */
  contributions: ArrayLike<number>;
  masked: ReadonlySet<MaskableGroup>;
  traits: PairTraits;
  map: ExplainMap;
  /** Attached to the distance and age-gap features; the only thing `banded` wording says about them. */
  bands?: PairBands;
  wording?: ReasonWording;
}

export interface ExplainedFeature {
  name: PairFeatureName;
  group: FeatureGroup;
  value: number;
  contribution: number;
  reason_en: string;
  reason_es: string;
  reasons: Localized;
  band?: FeatureBand;
}

export type Chip = Localized;

export interface PairReasons {
  reason_en: string;
  reason_es: string;
  reasons: Localized;
  features: ExplainedFeature[];
  chips: Chip[];
}

/** The groups either member opted out of; agrees with pair-features' `maskedGroups` (tested). */
export function optedOutGroups(
  viewerShares: Record<MaskableGroup, boolean>,
  targetShares: Record<MaskableGroup, boolean>,
): Set<MaskableGroup> {
  return new Set(MASKABLE_GROUPS.filter((group) => !viewerShares[group] || !targetShares[group]));
}

export function explainPair(input: ExplainInput): PairReasons {
  const { values, contributions, masked, map } = input;
  const bands = input.bands ?? { distance: null, ageGap: null };
  const wording = input.wording ?? 'exact';
  const traits = visibleTraits(input.traits, masked);
  const ranked = PAIR_FEATURES.map((feature, column) => ({ feature, column, contribution: contributions[column]! }))
    .filter(({ feature, contribution }) => contribution > POSITIVE_EPSILON && !isMasked(feature.group, masked))
    .sort((a, b) => b.contribution - a.contribution || a.column - b.column);

  const features: ExplainedFeature[] = [];
  for (const { feature, column, contribution } of ranked) {
    if (features.length === TOP_REASONS) break;
    const value = values[column]!;
    const band = bandOf(feature.name, bands);
    const filled = placeholderValues(feature.name, value, traits, wording === 'banded' ? band : undefined);
    if (!filled) continue; // e.g. the model liked "no shared hobby": nothing true to say about it.
    const templates = map.features[feature.name];
    const reasons = localized((locale) => fillTemplate(templates[locale], filled[locale]));
    // Two features can read the same (like rate and dwell are both "Popular this week"): say it once.
    if (features.some((chosen) => chosen.reasons[DEFAULT_LOCALE] === reasons[DEFAULT_LOCALE])) continue;
    features.push({
      name: feature.name,
      group: feature.group,
      value,
      contribution,
      ...seedNamedReasons(reasons),
      reasons,
      ...(band ? { band } : {}),
    });
  }
  const reasons = localized((locale) =>
    features.length > 0 ? features.map((f) => f.reasons[locale]).join(JOINER) : map.generic[locale],
  );
  return { ...seedNamedReasons(reasons), reasons, features, chips: chipsFor(traits, map) };
}

/** The API's `reason_en`/`reason_es` fields, which clients written before the locale map still read. */
function seedNamedReasons(reasons: Localized): { reason_en: string; reason_es: string } {
  return { reason_en: reasons.en, reason_es: reasons.es };
}

/** "< 1 km", whole km below 100, tens of km beyond. */
export function formatDistance(km: number): string {
  if (km < 1) return '< 1 km';
  if (km < 100) return `${Math.round(km)} km`;
  return `${Math.round(km / 10) * 10} km`;
}

/** Replaces each `{name}` with its value; the map was checked at start to use only fillable names. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, name: string) => values[name] ?? whole);
}

function isMasked(group: FeatureGroup, masked: ReadonlySet<MaskableGroup>): boolean {
  return group !== 'profile' && masked.has(group);
}

/** Traits of opted-out groups removed; favorites that came in through a connector need that group too. */
function visibleTraits(traits: PairTraits, masked: ReadonlySet<MaskableGroup>): PairTraits {
  const interests = !masked.has('interests');
  return {
    sharedHobbies: interests ? traits.sharedHobbies : [],
    sharedCommunities: interests ? traits.sharedCommunities : [],
    sharedFavorites: masked.has('favorites')
      ? []
      : [...traits.sharedFavorites]
          .filter((f) => !masked.has('connectors') || (!f.viewerViaConnector && !f.targetViaConnector))
          .sort((a, b) => a.holders - b.holders || a.title.localeCompare(b.title)),
  };
}

function bandOf(name: PairFeatureName, bands: PairBands): FeatureBand | null {
  if (name === 'distance_km') return bands.distance;
  if (name === 'age_gap_years') return bands.ageGap;
  return null;
}

type Filled = Record<string, string>;

/**
 * The values a feature's templates mention, per locale, or null when there is nothing true to fill
 * them with. `band` is given (possibly null) for banded wording: distance and age gap are then said as
 * the band, or not at all when there is none.
 */
function placeholderValues(
  name: PairFeatureName,
  value: number,
  traits: PairTraits,
  band?: FeatureBand | null,
): Record<Locale, Filled> | null {
  if (band !== undefined && (name === 'distance_km' || name === 'age_gap_years')) {
    if (band === null || (name === 'distance_km' && value >= UNKNOWN_DISTANCE_KM)) return null;
    const key = name === 'distance_km' ? 'distance' : 'years';
    return localized<Filled>((locale) => ({ [key]: band[locale] }));
  }
  const filled = exactPlaceholderValues(name, value, traits);
  return filled ? localized(() => filled) : null;
}

/** The placeholder values from the exact value (the same in every locale). */
function exactPlaceholderValues(name: PairFeatureName, value: number, traits: PairTraits): Filled | null {
  switch (name) {
    case 'shared_favorites':
    case 'shared_favorites_idf': {
      const rarest = traits.sharedFavorites[0];
      return rarest ? { title: rarest.title, count: String(traits.sharedFavorites.length) } : null;
    }
    case 'shared_connector_favorites': {
      const viaBoth = traits.sharedFavorites.filter((f) => f.viewerViaConnector && f.targetViaConnector);
      return viaBoth[0] ? { title: viaBoth[0].title, count: String(viaBoth.length) } : null;
    }
    case 'hobbies_jaccard':
      return traits.sharedHobbies[0]
        ? { hobby: traits.sharedHobbies[0], count: String(traits.sharedHobbies.length) }
        : null;
    case 'communities_jaccard':
      return traits.sharedCommunities[0]
        ? { community: traits.sharedCommunities[0], count: String(traits.sharedCommunities.length) }
        : null;
    case 'distance_km':
      return value >= UNKNOWN_DISTANCE_KM ? null : { distance: formatDistance(value) };
    case 'age_gap_years':
      return { years: String(Math.round(value)) };
    case 'candidate_dwell_avg_ms':
      return { seconds: String(Math.round(value / 1000)) };
    case 'taste_cosine':
    case 'candidate_like_rate':
    case 'profile_completeness':
      return { percent: String(Math.round(value * 100)) };
    case 'candidate_days_inactive':
      return { days: String(Math.round(value)) };
    case 'reverse_affinity':
      return {};
  }
}

/** Favorites (rarest first), then hobbies, then communities; each trait once; at most MAX_CHIPS. */
function chipsFor(traits: PairTraits, map: ExplainMap): Chip[] {
  const sources: Array<[PairFeatureName, readonly string[]]> = [
    ['shared_favorites', traits.sharedFavorites.map((f) => f.title)],
    ['hobbies_jaccard', traits.sharedHobbies],
    ['communities_jaccard', traits.sharedCommunities],
  ];
  const chips: Chip[] = [];
  const seen = new Set<string>();
  for (const [feature, items] of sources) {
    const templates = map.features[feature];
    if (LOCALES.some((locale) => !templates[`chip_${locale}`])) continue;
    for (const trait of items) {
      if (chips.length === MAX_CHIPS) return chips;
      const key = trait.toLocaleLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      chips.push(localized((locale) => fillTemplate(templates[`chip_${locale}`]!, { trait })));
    }
  }
  return chips;
}
