// The pure parts of the retrieval evaluation: reading the MovieLens files, the held-out split, Jaccard
// and the baselines' member choice.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../lib/seeded-random.js';
import {
  favoritesByUser,
  formatScores,
  jaccard,
  meanJaccard,
  mostActive,
  parseLinks,
  parseRatings,
  randomOthers,
  splitHoldout,
} from './retrieval-eval.js';

describe('parseRatings', () => {
  it('reads header-less CRLF lines and skips a header and blank lines', () => {
    const text = 'userId,movieId,rating,timestamp\r\n1,6,2.0,980730861\r\n1,22,4.5,980731380\r\n\r\n';
    expect(parseRatings(text)).toEqual([
      { userId: '1', movieId: '6', rating: 2 },
      { userId: '1', movieId: '22', rating: 4.5 },
    ]);
  });
});

describe('parseLinks and favoritesByUser', () => {
  it('maps movies to zero-padded IMDb ids and keeps ratings ≥ 4.0 of known media, once each', () => {
    const links = parseLinks('movieId,imdbId,tmdbId\n1,114709,862\n2,0113497,8844\n3,999,\n');
    expect(links.get('1')).toBe('tt0114709');
    expect(links.get('2')).toBe('tt0113497');
    const ratings = parseRatings('10,1,4.0,0\n10,2,3.5,0\n2,1,5.0,0\n2,1,4.5,0\n2,3,5,0\n2,4,5,0\n');
    const byUser = favoritesByUser(ratings, links, new Set(['tt0114709', 'tt0113497']));
    expect([...byUser.keys()]).toEqual(['2', '10']);
    expect(byUser.get('2')).toEqual(['tt0114709']);
    expect(byUser.get('10')).toEqual(['tt0114709']);
  });
});

describe('splitHoldout', () => {
  const favorites = Array.from({ length: 11 }, (_, i) => `tt000000${i}`);

  it('holds out round(20 %) and keeps the rest, disjoint and complete', () => {
    const { kept, heldOut } = splitHoldout(favorites, seededRandom(1));
    expect(heldOut).toHaveLength(2);
    expect(kept).toHaveLength(9);
    expect(new Set([...kept, ...heldOut])).toEqual(new Set(favorites));
  });

  it('is the same for the same seed and differs for another', () => {
    expect(splitHoldout(favorites, seededRandom(7))).toEqual(splitHoldout(favorites, seededRandom(7)));
    expect(splitHoldout(favorites, seededRandom(7)).heldOut).not.toEqual(
      splitHoldout(favorites, seededRandom(8)).heldOut,
    );
  });

  it('holds nothing out from fewer than five favorites', () => {
    expect(splitHoldout(['a', 'b', 'c', 'd'], seededRandom(1))).toEqual({ kept: ['a', 'b', 'c', 'd'], heldOut: [] });
  });
});

describe('jaccard and meanJaccard', () => {
  it('is |A ∩ B| / |A ∪ B|, 0 for two empty sets', () => {
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c', 'd']))).toBeCloseTo(1 / 4);
    expect(jaccard(new Set(), new Set())).toBe(0);
    expect(jaccard(new Set(['a']), new Set(['a']))).toBe(1);
  });

  it('averages over candidates; an unknown candidate counts as sharing nothing', () => {
    const favoritesOf = new Map([
      ['x', new Set(['a'])],
      ['y', new Set(['b'])],
    ]);
    expect(meanJaccard(new Set(['a']), ['x', 'y', 'z'], favoritesOf)).toBeCloseTo(1 / 3);
    expect(meanJaccard(new Set(['a']), [], favoritesOf)).toBe(0);
  });
});

describe('baselines', () => {
  it('randomOthers draws distinct members, never the viewer', () => {
    const members = ['a', 'b', 'c', 'd', 'e'];
    const picked = randomOthers(members, 'c', 3, seededRandom(3));
    expect(new Set(picked).size).toBe(3);
    expect(picked).not.toContain('c');
    expect(randomOthers(members, 'c', 10, seededRandom(3)).sort()).toEqual(['a', 'b', 'd', 'e']);
  });

  it('mostActive lists count + 1 members by favorites, ties by id', () => {
    const favoritesOf = new Map([
      ['b', new Set(['1', '2'])],
      ['a', new Set(['1', '2'])],
      ['c', new Set(['1', '2', '3'])],
      ['d', new Set(['1'])],
    ]);
    expect(mostActive(favoritesOf, 2)).toEqual(['c', 'a', 'b']);
  });
});

describe('formatScores', () => {
  it('prints one aligned row per method with the ratio', () => {
    const table = formatScores([
      { method: 'taste ANN', meanJaccard: 0.03, ratioVsRandom: 2.5 },
      { method: 'random members', meanJaccard: 0.012, ratioVsRandom: 1 },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^taste ANN\s+0\.03000\s+2\.50$/);
    expect(lines[2]).toMatch(/^random members\s+0\.01200\s+1\.00$/);
  });
});
