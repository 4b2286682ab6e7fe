// The explanation templates: `config/explain_map.json` maps every pair feature to a reason in every
// locale of shared/locales.ts (and, for the features built on shared traits, a chip per locale,
// `chip_<locale>`), with `{placeholders}` filled
// from the pair's values. The file is read and checked once at start: a missing feature, an unknown key
// or a placeholder the engine cannot fill stops the start with the file and the key named, rather than
// showing members "You both love {titel}" later.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCALES, type Localized } from '../../shared/locales.js';
import { PAIR_FEATURE_NAMES, type PairFeatureName } from '../features/pair-feature-spec.js';

export const EXPLAIN_MAP_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../config/explain_map.json',
);

/** A reason's template in every locale: a new language is a new key in the file, not a new field here. */
export type ReasonTemplate = Localized;

/** A feature's reason per locale and, for chip features, its chip per locale (`chip_en`, `chip_es`, …). */
export type FeatureTemplates = ReasonTemplate & Partial<Record<`chip_${keyof Localized}`, string>>;

const CHIP_KEYS = LOCALES.map((locale) => `chip_${locale}` as const);

export interface ExplainMap {
  /** Said when no feature of the pair contributes positively (or none can be said). */
  generic: ReasonTemplate;
  features: Record<PairFeatureName, FeatureTemplates>;
}

/** What each feature's reason template may mention; the engine fills exactly these. */
export const REASON_PLACEHOLDERS: Record<PairFeatureName, readonly string[]> = {
  taste_cosine: ['percent'],
  reverse_affinity: [],
  shared_favorites: ['title', 'count'],
  shared_favorites_idf: ['title', 'count'],
  shared_connector_favorites: ['title', 'count'],
  hobbies_jaccard: ['hobby', 'count'],
  communities_jaccard: ['community', 'count'],
  distance_km: ['distance'],
  age_gap_years: ['years'],
  candidate_dwell_avg_ms: ['seconds'],
  candidate_like_rate: ['percent'],
  profile_completeness: ['percent'],
  candidate_days_inactive: ['days'],
};

/** Features whose shared traits become chips ("Both appreciate X"); their chip templates take `{trait}`. */
export const CHIP_FEATURES = ['shared_favorites', 'hobbies_jaccard', 'communities_jaccard'] as const;
export const CHIP_PLACEHOLDERS: readonly string[] = ['trait'];

export class ExplainMapError extends Error {}

/** Reads and checks the map; throws ExplainMapError naming the file and the key. */
export function loadExplainMap(file: string = EXPLAIN_MAP_PATH): ExplainMap {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ExplainMapError(`${file}: cannot be read (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ExplainMapError(`${file}: is not valid JSON (${(error as Error).message})`);
  }
  return parseExplainMap(json, file);
}

/** Checks a parsed map: every pair feature present, no unknown keys, only fillable placeholders. */
export function parseExplainMap(json: unknown, file: string): ExplainMap {
  const fail = (key: string, problem: string): never => {
    throw new ExplainMapError(`${file}: ${key}: ${problem}`);
  };
  if (!isObject(json)) return fail('(top level)', 'must be an object with "generic" and "features"');
  checkKeys(json, ['generic', 'features'], ['generic', 'features'], '(top level)', fail);
  const generic = checkTemplates(json.generic, 'generic', [], [], fail);
  if (!isObject(json.features)) return fail('features', 'must be an object keyed by pair feature name');
  const features = {} as Record<PairFeatureName, FeatureTemplates>;
  for (const name of Object.keys(json.features)) {
    if (!PAIR_FEATURE_NAMES.includes(name)) {
      fail(`features.${name}`, `is not a pair feature (known: ${PAIR_FEATURE_NAMES.join(', ')})`);
    }
  }
  for (const name of PAIR_FEATURE_NAMES as readonly PairFeatureName[]) {
    const key = `features.${name}`;
    if (!(name in json.features)) fail(key, 'is missing: every pair feature needs a template');
    const chips = (CHIP_FEATURES as readonly string[]).includes(name) ? CHIP_PLACEHOLDERS : null;
    features[name] = checkTemplates(json.features[name], key, REASON_PLACEHOLDERS[name], chips, fail);
  }
  const genericTemplates = Object.fromEntries(LOCALES.map((locale) => [locale, generic[locale]])) as ReasonTemplate;
  return { generic: genericTemplates, features };
}

type Fail = (key: string, problem: string) => never;

function checkTemplates(
  value: unknown,
  key: string,
  placeholders: readonly string[],
  chipPlaceholders: readonly string[] | null,
  fail: Fail,
): FeatureTemplates {
  const locales = LOCALES.map((locale) => `"${locale}"`).join(', ');
  if (!isObject(value)) return fail(key, `must be an object with a template per locale (${locales})`);
  const allowed = chipPlaceholders ? [...LOCALES, ...CHIP_KEYS] : [...LOCALES];
  checkKeys(value, allowed, LOCALES, key, fail);
  const chipsGiven = CHIP_KEYS.filter((chip) => chip in value);
  if (chipsGiven.length > 0 && chipsGiven.length < CHIP_KEYS.length) {
    fail(key, `give a chip in every locale (${CHIP_KEYS.map((chip) => `"${chip}"`).join(', ')}), or none`);
  }
  const result = Object.fromEntries(
    LOCALES.map((locale) => [locale, checkTemplate(value[locale], `${key}.${locale}`, placeholders, fail)]),
  ) as FeatureTemplates;
  if (chipPlaceholders && chipsGiven.length > 0) {
    for (const chip of CHIP_KEYS) result[chip] = checkTemplate(value[chip], `${key}.${chip}`, chipPlaceholders, fail);
  }
  return result;
}

function checkTemplate(value: unknown, key: string, placeholders: readonly string[], fail: Fail): string {
  if (typeof value !== 'string' || value.trim() === '') return fail(key, 'must be a non-empty string');
  const known = placeholders.length > 0 ? placeholders.map((name) => `{${name}}`).join(', ') : 'none';
  for (const match of value.matchAll(/\{([^{}]*)\}/g)) {
    if (!placeholders.includes(match[1]!)) fail(key, `uses unknown placeholder {${match[1]}} (known here: ${known})`);
  }
  if (/[{}]/.test(value.replace(/\{[^{}]*\}/g, ''))) fail(key, 'has an unmatched "{" or "}"');
  return value;
}

function checkKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  required: readonly string[],
  key: string,
  fail: Fail,
): void {
  for (const name of Object.keys(value)) {
    if (!allowed.includes(name)) fail(key, `unknown key "${name}" (allowed: ${allowed.join(', ')})`);
  }
  for (const name of required) if (!(name in value)) fail(key, `is missing "${name}"`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
