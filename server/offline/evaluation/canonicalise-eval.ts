// The canonicalisation accuracy evaluation behind `npm run eval:canonicalise`: imports the MovieLens
// catalogue, types each sampled title the ways people do (no year, an edition suffix, lower case, no
// leading article, one small typo) and counts how often canonicalise returns the right IMDb id first.
import path from 'node:path';
import type { Database } from '../../db/database.js';
import { canonicalise } from '../../media/canonicalise.js';
import { importCatalogue, type ImportReport } from '../catalogue/media-import.js';
import { seededRandom, type SeededRandom } from '../../lib/seeded-random.js';

// The five single changes of the brief, then `casual`: all at once (lower case, no year, one typo).
export const PERTURBATIONS = ['no_year', 'edition_suffix', 'lower_case', 'no_article', 'typo', 'casual'] as const;
export type Perturbation = (typeof PERTURBATIONS)[number];

const EDITION_SUFFIXES = [
  " (Director's Cut)",
  ' (Extended Edition)',
  ' - Remastered',
  ' (Special Edition)',
  ': Final Cut',
  ' (Theatrical Cut)',
  ' [4K Remaster]',
  ' (1080p Deluxe Edition)',
];

const LEADING_ARTICLE = /^(the|a|an|le|la|les|el|los|las|der|die|das|il)\s+/i;

/** One small typo in a word of four or more letters, never its first letter: a swap, a drop, a doubling or a neighbour key. */
export function addTypo(title: string, random: SeededRandom): string | null {
  const words = [...title.matchAll(/\p{L}{4,}/gu)];
  if (words.length === 0) return null;
  // Swapping two equal letters changes nothing: try again (a few times at most).
  for (let attempt = 0; attempt < 8; attempt++) {
    const typed = typoOnce(title, random.pick(words), random);
    if (typed !== title) return typed;
  }
  return null;
}

function typoOnce(title: string, word: RegExpExecArray, random: SeededRandom): string {
  const start = (word.index ?? 0) + 1 + random.int(word[0].length - 2);
  const chars = [...title];
  const keys = 'qwertyuiopasdfghjklzxcvbnm';
  switch (random.int(4)) {
    case 0: // transpose with the next letter
      [chars[start], chars[start + 1]] = [chars[start + 1] ?? '', chars[start] ?? ''];
      break;
    case 1: // drop a letter
      chars.splice(start, 1);
      break;
    case 2: // double a letter
      chars.splice(start, 0, chars[start] ?? '');
      break;
    default: {
      // the neighbouring key on the same row
      const at = keys.indexOf((chars[start] ?? '').toLowerCase());
      chars[start] = at < 0 ? 'e' : (keys[at + 1] ?? keys[at - 1] ?? 'e');
    }
  }
  return chars.join('');
}

/**
 * One change people make to a full title such as "The Matrix (1999)": drop the year, add an edition
 * suffix, type it in lower case, leave out the leading article, or slip one key. Null when the change
 * does not apply (no article to drop, no word long enough for a typo).
 */
export function perturb(
  title: string,
  year: number | null,
  perturbation: Perturbation,
  random: SeededRandom,
): string | null {
  const withYear = (text: string) => (year === null ? text : `${text} (${year})`);
  switch (perturbation) {
    case 'no_year':
      return title;
    case 'edition_suffix':
      return `${withYear(title)}${random.pick(EDITION_SUFFIXES)}`;
    case 'lower_case':
      return withYear(title).toLowerCase();
    case 'no_article':
      return LEADING_ARTICLE.test(title) ? withYear(title.replace(LEADING_ARTICLE, '')) : null;
    case 'typo': {
      const typed = addTypo(title, random);
      return typed === null ? null : withYear(typed);
    }
    case 'casual':
      return addTypo(title, random)?.toLowerCase() ?? null;
  }
}

export interface Accuracy {
  correct: number;
  total: number;
  accuracy: number;
}

export interface EvaluationReport {
  imported: ImportReport;
  titles: number;
  overall: Accuracy;
  byPerturbation: Record<Perturbation, Accuracy>;
  /** The first misses, to see what goes wrong. */
  misses: Array<{ perturbation: Perturbation; typed: string; expected: string; got: string | null }>;
  elapsedMs: number;
}

export interface EvaluationOptions {
  /** The MovieLens folder holding movies.csv and links.csv. */
  dataDir: string;
  /** How many catalogue titles to type (each under every perturbation); all when larger than the catalogue. */
  sample: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

function accuracy(correct: number, total: number): Accuracy {
  return { correct, total, accuracy: total === 0 ? 0 : correct / total };
}

/** Imports the catalogue into `db` (already migrated) and evaluates canonicalise on it. */
export async function evaluateCanonicalisation(db: Database, options: EvaluationOptions): Promise<EvaluationReport> {
  const imported = await importCatalogue(db, 'movielens', path.join(options.dataDir, 'movies.csv'));
  const random = seededRandom(options.seed ?? 20_151_001);
  const catalogue = (
    await db.query<{ id: string; title: string; year: number | null }>(
      `SELECT m.id, m.title, m.year::int AS year FROM media_external_ids x JOIN media m ON m.id = x.media_id
        WHERE x.scheme = 'movielens' ORDER BY m.id`,
    )
  ).rows;
  // A deterministic sample: a seeded shuffle of the catalogue, cut to size.
  for (let i = catalogue.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [catalogue[i], catalogue[j]] = [catalogue[j]!, catalogue[i]!];
  }
  const sample = catalogue.slice(0, options.sample);
  const started = performance.now();
  const tally = new Map<Perturbation, { correct: number; total: number }>(
    PERTURBATIONS.map((p) => [p, { correct: 0, total: 0 }]),
  );
  const misses: EvaluationReport['misses'] = [];
  let done = 0;
  for (const work of sample) {
    for (const perturbation of PERTURBATIONS) {
      const typed = perturb(work.title, work.year, perturbation, random);
      if (typed === null) continue;
      const match = await canonicalise(db, typed);
      const counts = tally.get(perturbation)!;
      counts.total++;
      if (match?.id === work.id) counts.correct++;
      else if (misses.length < 40)
        misses.push({
          perturbation,
          typed,
          expected: `${work.id} ${work.title} (${work.year ?? '?'})`,
          got: match ? `${match.id} ${match.title} (${match.year ?? '?'})` : null,
        });
    }
    options.onProgress?.(++done, sample.length);
  }
  const byPerturbation = Object.fromEntries(
    PERTURBATIONS.map((p) => {
      const counts = tally.get(p)!;
      return [p, accuracy(counts.correct, counts.total)];
    }),
  ) as Record<Perturbation, Accuracy>;
  const correct = [...tally.values()].reduce((sum, c) => sum + c.correct, 0);
  const total = [...tally.values()].reduce((sum, c) => sum + c.total, 0);
  return {
    imported,
    titles: sample.length,
    overall: accuracy(correct, total),
    byPerturbation,
    misses,
    elapsedMs: Math.round(performance.now() - started),
  };
}
