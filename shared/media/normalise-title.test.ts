// The title normaliser: what people type and what catalogues store must meet on one key.
import { describe, expect, it } from 'vitest';
import { foldText, moveTrailingArticle, normaliseTitle, parseTitle } from './normalise-title.js';

describe('foldText', () => {
  it.each([
    ['Amélie', 'amelie'],
    ['Léon: The Professional', 'leon the professional'],
    ["Schindler's List", 'schindlers list'],
    ['Crouching Tiger, Hidden Dragon', 'crouching tiger hidden dragon'],
    ['Fast & Furious', 'fast and furious'],
    ['Straße', 'strasse'],
    ['  WALL·E  ', 'wall e'],
    ['Se7en', 'se7en'],
  ])('%s → %s', (input, expected) => {
    expect(foldText(input)).toBe(expected);
  });
});

describe('moveTrailingArticle', () => {
  it.each([
    ['Matrix, The', 'The Matrix'],
    ['Misérables, Les', 'Les Misérables'],
    ['Cry, the Beloved Country', 'Cry, the Beloved Country'],
    ["Atalante, L'", "L'Atalante"],
    ['Beautiful Mind, A', 'A Beautiful Mind'],
    ['Heat', 'Heat'],
  ])('%s → %s', (input, expected) => {
    expect(moveTrailingArticle(input)).toBe(expected);
  });
});

describe('parseTitle', () => {
  it('strips a release year and keeps it', () => {
    expect(parseTitle('Blade Runner (1982)')).toEqual({
      key: 'blade runner',
      looseKey: 'blade runner',
      folded: 'blade runner',
      year: 1982,
      edition: null,
    });
  });

  it('takes the first year of a range', () => {
    expect(parseTitle('Fawlty Towers (1975-1979)')).toMatchObject({ key: 'fawlty towers', year: 1975 });
    expect(parseTitle('Big Bang Theory, The (2007-)')).toMatchObject({ key: 'big bang theory', year: 2007 });
  });

  it.each([
    ['Blade Runner (Final Cut)', 'Final Cut'],
    ["Blade Runner (Director's Cut)", "Director's Cut"],
    ['Blade Runner: The Final Cut', 'The Final Cut'],
    ['Blade Runner - Final Cut', 'Final Cut'],
    ['Blade Runner Final Cut', 'Final Cut'],
    ['Blade Runner [Remastered]', 'Remastered'],
    ['Blade Runner (1982) (Theatrical Cut)', 'Theatrical Cut'],
    ['Blade Runner (Special Edition)', 'Special Edition'],
    ['Blade Runner - Extended Edition', 'Extended Edition'],
    ['Blade Runner Remastered', 'Remastered'],
  ])('drops the edition marker in %s', (input, edition) => {
    const parsed = parseTitle(input);
    expect(parsed.key).toBe('blade runner');
    expect(parsed.edition).toBe(edition);
  });

  it('drops music edition tails', () => {
    expect(parseTitle('Here Comes the Sun - 2019 Mix')).toMatchObject({ key: 'here comes the sun' });
    expect(parseTitle('Wish You Were Here - 2011 Remaster')).toMatchObject({
      key: 'wish you were here',
      edition: '2011 Remaster',
    });
    expect(parseTitle('Heroes (Live)')).toMatchObject({ key: 'heroes', edition: 'Live' });
    expect(parseTitle('Abbey Road (Deluxe Edition)')).toMatchObject({ key: 'abbey road', edition: 'Deluxe Edition' });
    expect(parseTitle('Let It Be - Remastered 2009')).toMatchObject({ key: 'let it be' });
  });

  it('keeps brackets and tails that are part of the title', () => {
    expect(parseTitle('Mission: Impossible').key).toBe('mission impossible');
    expect(parseTitle('Star Wars: Episode IV - A New Hope').key).toBe('star wars episode iv a new hope');
    expect(parseTitle('Pokémon: The First Movie (1998)').key).toBe('pokemon the first movie');
    expect(parseTitle('Heroes (Live at Wembley)').key).toBe('heroes live at wembley');
  });

  it('keeps an edition-like title that is the whole title', () => {
    expect(parseTitle('The Final Cut (2004)')).toMatchObject({ key: 'final cut', year: 2004, edition: null });
    expect(parseTitle('Remastered').key).toBe('remastered');
  });

  it('keeps the leading article in the folded title', () => {
    expect(parseTitle('Matrix, The (1999)').folded).toBe('the matrix');
    expect(parseTitle('The Cure (Remastered)').folded).toBe('the cure');
  });

  it('keeps the edition words in the loose key', () => {
    expect(parseTitle('Apocalypse Now (Redux)').looseKey).toBe('apocalypse now redux');
  });

  it.each([
    ['The Matrix', 'matrix'],
    ['Matrix, The (1999)', 'matrix'],
    ['matrix', 'matrix'],
    ['A Beautiful Mind', 'beautiful mind'],
    ['An Education', 'education'],
    ['Les Misérables (1995)', 'miserables'],
    ['Le Samouraï', 'samourai'],
    ['La Haine', 'haine'],
    ['El Topo', 'topo'],
    ['Los Olvidados', 'olvidados'],
    ['Das Boot', 'boot'],
    ['Der Untergang', 'untergang'],
    ['Die Hard', 'hard'],
    ["L'Atalante", 'atalante'],
    ['The The', 'the'],
    ['A', 'a'],
  ])('drops one leading article: %s → %s', (input, key) => {
    expect(normaliseTitle(input)).toBe(key);
  });

  it('makes typed and stored forms meet', () => {
    const stored = normaliseTitle('Usual Suspects, The (1995)');
    for (const typed of ['The Usual Suspects', 'the usual suspects', 'Usual Suspects', 'THE USUAL SUSPECTS!']) {
      expect(normaliseTitle(typed)).toBe(stored);
    }
  });

  it('never returns an empty key for a non-empty title', () => {
    for (const title of ['(Live)', '(1999)', '-', 'The', '…']) {
      const parsed = parseTitle(title);
      expect(parsed.key.length + parsed.looseKey.length).toBeGreaterThanOrEqual(0);
      expect(typeof parsed.key).toBe('string');
    }
    expect(parseTitle('(Live)').key).toBe('live');
  });
});
