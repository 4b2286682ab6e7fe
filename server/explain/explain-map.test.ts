// Unit tests of the explanation map's start-up check: the shipped file passes, and each kind of mistake
// fails naming the file and the key.
import { describe, expect, it } from 'vitest';
import { PAIR_FEATURE_NAMES } from '../features/pair-feature-spec.js';
import { EXPLAIN_MAP_PATH, ExplainMapError, loadExplainMap, parseExplainMap } from './explain-map.js';

function validMap(): { generic: Record<string, unknown>; features: Record<string, Record<string, unknown>> } {
  return JSON.parse(JSON.stringify(loadExplainMap())) as ReturnType<typeof validMap>;
}

function failure(json: unknown): string {
  try {
    parseExplainMap(json, 'config/explain_map.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ExplainMapError);
    return (error as Error).message;
  }
  throw new Error('expected the map to be rejected');
}

describe('explain map', () => {
  it('ships a template in both languages for every pair feature', () => {
    const map = loadExplainMap();
    expect(Object.keys(map.features).sort()).toEqual([...PAIR_FEATURE_NAMES].sort());
    expect(map.features.hobbies_jaccard.chip_es).toBe('A ambos les gusta {trait}');
    expect(map.generic.es.length).toBeGreaterThan(0);
  });

  it('names the file and the missing feature', () => {
    const map = validMap();
    delete map.features.distance_km;
    expect(failure(map)).toBe(
      'config/explain_map.json: features.distance_km: is missing: every pair feature needs a template',
    );
  });

  it('rejects a placeholder the engine cannot fill, listing the ones it can', () => {
    const map = validMap();
    map.features.distance_km!.es = 'A {km}';
    expect(failure(map)).toBe(
      'config/explain_map.json: features.distance_km.es: uses unknown placeholder {km} (known here: {distance})',
    );
  });

  it.each<[string, (map: ReturnType<typeof validMap>) => void, string]>([
    [
      'an unknown feature',
      (m) => (m.features.star_sign = { en: 'x', es: 'y' }),
      'features.star_sign: is not a pair feature',
    ],
    ['a missing language', (m) => delete m.features.age_gap_years!.es, 'features.age_gap_years: is missing "es"'],
    [
      'an empty template',
      (m) => (m.features.age_gap_years!.en = ' '),
      'features.age_gap_years.en: must be a non-empty',
    ],
    ['an unknown key', (m) => (m.features.age_gap_years!.fr = 'x'), 'features.age_gap_years: unknown key "fr"'],
    ['a chip on a feature without traits', (m) => (m.features.age_gap_years!.chip_en = 'x'), 'unknown key "chip_en"'],
    [
      'half a chip',
      (m) => delete m.features.hobbies_jaccard!.chip_es,
      'features.hobbies_jaccard: give a chip in every locale',
    ],
    ['an unmatched brace', (m) => (m.features.age_gap_years!.en = 'Close {in age'), 'unmatched'],
    ['a chip placeholder that is not {trait}', (m) => (m.features.hobbies_jaccard!.chip_en = '{hobby}'), '{hobby}'],
    ['no generic reason', (m) => delete (m as Record<string, unknown>).generic, '(top level): is missing "generic"'],
  ])('rejects %s', (_name, breakIt, fragment) => {
    const map = validMap();
    breakIt(map);
    const message = failure(map);
    expect(message.startsWith('config/explain_map.json: ')).toBe(true);
    expect(message).toContain(fragment);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadExplainMap(`${EXPLAIN_MAP_PATH}.absent`)).toThrow(/explain_map\.json\.absent: cannot be read/);
  });
});
