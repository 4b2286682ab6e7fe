// canonicalise: free text as people type it ("blade runner final cut", "Matrix, The (1999)") → the one
// catalogue work it names, with a confidence, or null when nothing is close enough. The title is
// normalised (shared/media/normalise-title.ts), candidates come from pg_trgm similarity over every
// title and alias, and year, kind and artist hints re-rank them.
import type { Queryable } from '../db/database.js';
import { MEDIA_KINDS, type MediaKind } from '../../shared/schemas/media.js';
import { parseTitle } from '../../shared/media/normalise-title.js';
import { trigramSimilarity } from '../../shared/media/trigram.js';
import { editSimilarity } from '../../shared/media/edit-distance.js';
import { MediaRepository, type TitleCandidate } from './media.repository.js';

export type { MediaKind } from '../../shared/schemas/media.js';

export interface CanonicaliseHints {
  kind?: MediaKind | MediaKind[];
  year?: number;
  /** The artist credit, for recordings and release groups (or the author, for books). */
  artist?: string;
}

export interface CanonicalMatch {
  id: string;
  confidence: number;
  kind: MediaKind;
  title: string;
  year: number | null;
}

/** Below this a match is more likely another work than this one (tuned with `npm run eval:canonicalise`). */
export const MIN_CONFIDENCE = 0.55;
const CANDIDATES = 40;
// "The Cure" typed: prefer the work titled with the article over "Cure"; small enough never to beat a better title.
const SAME_ARTICLE_BONUS = 0.02;

/**
 * How well a typed key matches a stored one: trigram similarity, or edit similarity when that is higher
 * (a typo in a short title leaves few shared trigrams but is still one edit).
 */
export function titleSimilarity(key: string, looseKey: string, stored: string, trigram: number): number {
  return Math.max(trigram, editSimilarity(key, stored), editSimilarity(looseKey, stored));
}

/** One entry per work: the best of its matching keys. */
function bestPerWork(key: string, looseKey: string, rows: readonly TitleCandidate[]): TitleCandidate[] {
  const byId = new Map<string, TitleCandidate>();
  for (const row of rows) {
    const similarity = titleSimilarity(key, looseKey, row.normalised, row.similarity);
    const known = byId.get(row.id);
    if (!known || similarity > known.similarity) byId.set(row.id, { ...row, similarity });
  }
  return [...byId.values()];
}

/** How a candidate's year agrees with the year asked for: a bonus for the same year, a cost for far ones. */
export function yearAdjustment(wanted: number | null, found: number | null): number {
  if (wanted === null || found === null) return 0;
  const gap = Math.abs(wanted - found);
  if (gap === 0) return 0.1;
  if (gap === 1) return 0.05;
  return -Math.min(0.3, 0.05 * gap);
}

/** A candidate's score: title similarity, then year and artist agreement. Pure, so it is unit-tested. */
export function scoreCandidate(
  candidate: Pick<TitleCandidate, 'similarity' | 'year' | 'credit'>,
  wantedYear: number | null,
  artist: string | undefined,
): number {
  let score = candidate.similarity + yearAdjustment(wantedYear, candidate.year);
  if (artist) {
    score =
      candidate.credit === null
        ? score - 0.05
        : 0.75 * score + 0.25 * Math.max(trigramSimilarity(artist, candidate.credit), 0);
  }
  return score;
}

/** Picks the best of scored candidates; equal scores go to the more popular work, then the older. */
export function pickBest<T extends { score: number; popularity: number; year: number | null }>(
  scored: readonly T[],
): T | null {
  let best: T | null = null;
  for (const candidate of scored) {
    if (
      !best ||
      candidate.score > best.score + 1e-9 ||
      (Math.abs(candidate.score - best.score) <= 1e-9 &&
        (candidate.popularity > best.popularity ||
          (candidate.popularity === best.popularity && (candidate.year ?? 9999) < (best.year ?? 9999))))
    ) {
      best = candidate;
    }
  }
  return best;
}

function kindsOf(hint: CanonicaliseHints['kind']): MediaKind[] | null {
  if (hint === undefined) return null;
  const kinds = (Array.isArray(hint) ? hint : [hint]).filter((kind) => MEDIA_KINDS.includes(kind));
  return kinds.length > 0 ? kinds : null;
}

export async function canonicalise(
  db: Queryable,
  title: string,
  hints: CanonicaliseHints = {},
): Promise<CanonicalMatch | null> {
  const parsed = parseTitle(title);
  if (!parsed.key) return null;
  const wantedYear = hints.year ?? parsed.year;
  const candidates = await new MediaRepository(db).titleCandidates(
    parsed.key,
    parsed.looseKey,
    kindsOf(hints.kind),
    CANDIDATES,
  );
  const best = pickBest(
    bestPerWork(parsed.key, parsed.looseKey, candidates).map((candidate) => ({
      ...candidate,
      score:
        scoreCandidate(candidate, wantedYear, hints.artist) +
        (parseTitle(candidate.title).folded === parsed.folded ? SAME_ARTICLE_BONUS : 0),
    })),
  );
  if (!best) return null;
  const confidence = Math.round(Math.min(1, Math.max(0, best.score)) * 1000) / 1000;
  if (confidence < MIN_CONFIDENCE) return null;
  return { id: best.id, confidence, kind: best.kind, title: best.title, year: best.year };
}
