// Title normalisation for the media catalogue: turns what people type ("Blade Runner (Final Cut)",
// "the matrix (1999)", "Amélie") and what catalogues store ("Matrix, The (1999)") into one matching key,
// so that trigram similarity compares the words that identify a work and nothing else. Pure: the same
// function builds the stored keys and the query keys, which is what makes them comparable.

/** Leading articles dropped from keys (English and the commonest in film and music titles). */
export const LEADING_ARTICLES = ['the', 'a', 'an', 'le', 'la', 'les', 'el', 'los', 'las', 'der', 'die', 'das', 'il'];

// A tail counts as an edition only when it holds at least one of these (so "(The Movie)" stays).
const EDITION_ANCHORS = new Set([
  'cut',
  'edition',
  'remaster',
  'remastered',
  'remasters',
  'version',
  'live',
  'mono',
  'stereo',
  'unrated',
  'uncut',
  'restored',
  'imax',
  'deluxe',
  'expanded',
  'anniversary',
  'reissue',
  'edit',
  'mix',
]);
// Words that mark an edition, cut or mastering of a work rather than a different work. A bracketed group
// or a " - " / ": " tail made only of these words (the anchors and their qualifiers), years and ordinals
// is dropped.
const EDITION_WORDS = new Set([
  ...EDITION_ANCHORS,
  'final',
  'directors',
  'director',
  'theatrical',
  'extended',
  'special',
  'collectors',
  '4k',
  'hd',
  'uhd',
  'single',
  'radio',
  'bonus',
  'track',
  'tracks',
  'original',
  'ultimate',
  'definitive',
  'complete',
  'international',
  'us',
  'uk',
  'european',
  'redux',
  'limited',
  'super',
  'legacy',
  'digital',
  'standard',
  'explicit',
  'clean',
  'bluray',
  'blu',
  'ray',
  'dvd',
  'and',
  'the',
  'of',
  's',
]);

const YEAR_GROUP = /[([]\s*((?:1[89]|20)\d\d)(?:\s*[-–]\s*(?:(?:1[89]|20)\d\d)?)?\s*[)\]]/g;

/** Lower case, no diacritics, `&` as "and", punctuation as spaces, apostrophes dropped, single spaces. */
export function foldText(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/ß/g, 'ss')
      .replace(/æ/g, 'ae')
      .replace(/œ/g, 'oe')
      .replace(/ø/g, 'o')
      .replace(/ł/g, 'l')
      .replace(/&/g, ' and ')
      // Elided articles and prepositions ("L'Atalante", "d'Artagnan") are words of their own.
      .replace(/(^|[^\p{L}])([ld])['’](?=\p{L})/gu, '$1$2 ')
      .replace(/['’`´]/g, '')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
}

function isEditionText(text: string): boolean {
  const words = foldText(text).split(' ').filter(Boolean);
  if (words.length === 0) return false;
  let anchored = false;
  for (const word of words) {
    if (EDITION_ANCHORS.has(word)) anchored = true;
    else if (!EDITION_WORDS.has(word) && !/^\d+(st|nd|rd|th|p)?$/.test(word)) return false;
  }
  return anchored;
}

/** "Matrix, The" → "The Matrix"; catalogues (MovieLens, library indexes) move articles to the end. */
export function moveTrailingArticle(title: string): string {
  const match =
    /^(.*\S),\s*(the|a|an|le|la|les|l'|el|los|las|der|die|das|il|lo|gli|i|un|une|os|as|o|det|den|de)$/i.exec(
      title.trim(),
    );
  if (!match) return title.trim();
  const [, rest, article] = match as unknown as [string, string, string];
  return article.endsWith("'") ? `${article}${rest}` : `${article} ${rest}`;
}

export interface ParsedTitle {
  /** The matching key: folded, without year, edition markers or a leading article. */
  key: string;
  /** The key with edition markers kept, for titles whose "edition" words are the title ("Final Cut"). */
  looseKey: string;
  /** The folded title with its leading article kept ("the matrix"): a tie-breaker between "Cure" and "The Cure". */
  folded: string;
  /** A release year found in brackets, e.g. "(1982)" or "(1975-1979)". */
  year: number | null;
  /** The edition text that was dropped, if any ("Final Cut", "2011 Remaster"). */
  edition: string | null;
}

function dropLeadingArticle(folded: string): string {
  const space = folded.indexOf(' ');
  if (space < 0) return folded;
  const first = folded.slice(0, space);
  if (!LEADING_ARTICLES.includes(first)) {
    // French/Italian elision: "l atalante" (the apostrophe became a space).
    return first === 'l' ? folded.slice(space + 1) : folded;
  }
  return folded.slice(space + 1);
}

/** Splits a raw title into its matching key, its year and the edition text it carried. */
export function parseTitle(raw: string): ParsedTitle {
  let text = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  let year: number | null = null;
  const editions: string[] = [];

  // Years in brackets anywhere ("Blade Runner (1982) (Final Cut)"); the first one is the release year.
  text = text.replace(YEAR_GROUP, (_whole, found: string) => {
    year ??= Number(found);
    return ' ';
  });
  // Bracketed edition groups: "(Final Cut)", "[Remastered]", "(Live)", "(2011 Remaster)".
  text = text.replace(/[([]([^()[\]]*)[)\]]/g, (whole, inner: string) => {
    if (isEditionText(inner)) {
      editions.push(inner.trim());
      return ' ';
    }
    return whole;
  });
  // Tails after a dash or colon: "Song - 2011 Remaster", "Blade Runner: The Final Cut".
  for (;;) {
    const tail = /^(.*\S)\s*[-–—:]\s+(.+)$/.exec(text.trim());
    if (!tail || !isEditionText(tail[2] ?? '')) break;
    editions.push((tail[2] ?? '').trim());
    text = tail[1] ?? '';
  }
  // A bare trailing marker: "Blade Runner Final Cut", "Aliens Special Edition".
  const bare =
    /^(.*\S)\s+((?:the\s+)?(?:final|director'?s|theatrical|extended|special|collector'?s|deluxe|anniversary|unrated|ultimate)\s+(?:cut|edition|version)|remastered|\d{4}\s+remaster(?:ed)?)$/i.exec(
      text.trim(),
    );
  if (bare?.[1] && bare[2]) {
    editions.push(bare[2]);
    text = bare[1];
  }

  const looseFolded = foldText(moveTrailingArticle(raw.replace(YEAR_GROUP, ' ').replace(/\s+/g, ' ')));
  const folded = foldText(moveTrailingArticle(text.replace(/\s+/g, ' ')));
  const looseKey = dropLeadingArticle(looseFolded) || looseFolded;
  // Stripping may eat the whole title ("The Final Cut" is a film): then the edition words are the title.
  const reverted = folded === '' || LEADING_ARTICLES.includes(folded);
  const stripped = reverted ? looseFolded : folded;
  const key = dropLeadingArticle(stripped) || stripped;
  return {
    key: key || looseKey,
    looseKey,
    folded: stripped,
    year,
    edition: editions.length > 0 && !reverted ? editions.reverse().join(', ') : null,
  };
}

/** The matching key alone: `normaliseTitle("The Matrix (1999)") === "matrix"`. */
export function normaliseTitle(raw: string): string {
  return parseTitle(raw).key;
}
