// MovieLens titles: years, alternative titles and catalogue-order articles.
import { describe, expect, it } from 'vitest';
import { parseMovieLensTitle, rejectionReason } from './media-import.js';

describe('parseMovieLensTitle', () => {
  it.each([
    ['Toy Story (1995)', { title: 'Toy Story', year: 1995, aliases: [] }],
    ['Matrix, The (1999)', { title: 'The Matrix', year: 1999, aliases: [] }],
    [
      'City of Lost Children, The (Cité des enfants perdus, La) (1995)',
      { title: 'The City of Lost Children', year: 1995, aliases: ['La Cité des enfants perdus'] },
    ],
    ['Twelve Monkeys (a.k.a. 12 Monkeys) (1995)', { title: 'Twelve Monkeys', year: 1995, aliases: ['12 Monkeys'] }],
    [
      'Léon: The Professional (a.k.a. The Professional) (Léon) (1994)',
      { title: 'Léon: The Professional', year: 1994, aliases: ['The Professional', 'Léon'] },
    ],
    ['Big Bang Theory, The (2007-)', { title: 'The Big Bang Theory', year: 2007, aliases: [] }],
    ['Fawlty Towers (1975-1979)', { title: 'Fawlty Towers', year: 1975, aliases: [] }],
    ['The Third Reich: The Rise & Fall', { title: 'The Third Reich: The Rise & Fall', year: null, aliases: [] }],
  ])('%s', (raw, expected) => {
    expect(parseMovieLensTitle(raw)).toEqual(expected);
  });
});

describe('rejectionReason', () => {
  it('accepts a valid work and names what is wrong with an invalid one', () => {
    expect(rejectionReason({ id: 'tt0083658', kind: 'film', title: 'Blade Runner', year: 1982 })).toBeNull();
    expect(rejectionReason({ id: 'tt0083658', kind: 'book', title: 'x', year: null })).toMatch(/names a film or tv/);
    expect(rejectionReason({ id: 'nope', kind: 'film', title: 'x', year: null })).toMatch(/is not a media id/);
    expect(rejectionReason({ id: 'tt0083658', kind: 'film', title: '', year: null })).toBe('title is empty');
  });
});
