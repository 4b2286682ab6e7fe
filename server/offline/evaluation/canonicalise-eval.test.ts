// The evaluation's perturbations: deterministic, and each one the change it names.
import { describe, expect, it } from 'vitest';
import { addTypo, perturb } from './canonicalise-eval.js';
import { seededRandom } from '../../lib/seeded-random.js';

describe('perturb', () => {
  it('makes the single change it names', () => {
    const random = seededRandom(1);
    expect(perturb('The Matrix', 1999, 'no_year', random)).toBe('The Matrix');
    expect(perturb('The Matrix', 1999, 'lower_case', random)).toBe('the matrix (1999)');
    expect(perturb('The Matrix', 1999, 'no_article', random)).toBe('Matrix (1999)');
    expect(perturb('Heat', 1995, 'no_article', random)).toBeNull();
    expect(perturb('The Matrix', 1999, 'edition_suffix', random)).toMatch(/^The Matrix \(1999\)\W+\w/);
  });

  it('is deterministic for a seed', () => {
    const first = perturb('The Shawshank Redemption', 1994, 'typo', seededRandom(7));
    expect(perturb('The Shawshank Redemption', 1994, 'typo', seededRandom(7))).toBe(first);
  });
});

describe('addTypo', () => {
  it('changes one word of four letters or more by one edit, never its first letter', () => {
    for (let seed = 0; seed < 50; seed++) {
      const typed = addTypo('Blade Runner', seededRandom(seed));
      expect(typed).not.toBeNull();
      expect(typed).not.toBe('Blade Runner');
      expect(typed![0]).toBe('B');
    }
    expect(addTypo('Up', seededRandom(1))).toBeNull();
  });
});
