// Offline evaluation of taste retrieval on the MovieLens sample (`npm run eval:retrieval`): members are
// MovieLens users, their ≥ 4.0 ratings their favorites; 20 % of each member's favorites are held out
// (seeded), taste vectors are built by the product's own builder from the rest, and for each viewer the
// 10 nearest members by taste (cosine ANN over `user_taste_vectors`) are scored by the Jaccard similarity
// of the viewer's held-out favorites with each candidate's favorites — beside 10 random members and the
// 10 most active members. The ANN is queried directly (not through GET /candidates), so distance,
// gender/seeking and block exclusions play no part: this measures the taste vectors alone.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { loadConfig } from '../../config/config.js';
import type { Database } from '../../db/database.js';
import { EmbeddingsService } from '../../embeddings/embeddings.service.js';
import { buildRepositories } from '../../composition/repositories.js';
import { FlagsService } from '../../flags/flags.service.js';
import { JobQueue } from '../../jobs/job-queue.js';
import { FavoritesRepository } from '../../media/favorites.repository.js';
import { importCatalogue, parseMovieLens, type ImportReport } from '../catalogue/media-import.js';
import { seededRandom, type SeededRandom } from '../../lib/seeded-random.js';
import { AttributesRepository } from '../../profiles/attributes.repository.js';
import { GENDERS } from '../../../shared/schemas/attributes.js';
import type { TasteQualityCheck } from '../../../shared/schemas/taste.js';
import { TasteBuilderService } from '../../taste/taste-builder.service.js';
import { TasteService } from '../../taste/taste.service.js';
import { TasteRepository } from '../../taste/taste.repository.js';

/** A rating at or above this makes the movie one of the member's favorites. */
export const FAVORITE_RATING = 4.0;
export const HOLDOUT_FRACTION = 0.2;
/** Members with fewer favorites than this are candidates but not evaluated as viewers (nothing to hold out). */
export const MIN_FAVORITES_TO_EVALUATE = 5;
export const CANDIDATES_PER_VIEWER = 10;
export const DEFAULT_SEED = 20150101;
const MEMBER_ID_PREFIX = 'ml-';

export interface Rating {
  userId: string;
  movieId: string;
  rating: number;
}

/** `userId,movieId,rating,timestamp` lines (no header in this sample; CRLF or LF); a header line is skipped. */
export function parseRatings(text: string): Rating[] {
  const ratings: Rating[] = [];
  for (const line of text.split(/\r?\n/)) {
    const [userId = '', movieId = '', rating = ''] = line.split(',').map((field) => field.trim());
    if (!/^\d+$/.test(userId) || !/^\d+$/.test(movieId)) continue;
    const value = Number(rating);
    if (rating === '' || !Number.isFinite(value)) continue;
    ratings.push({ userId, movieId, rating: value });
  }
  return ratings;
}

/** links.csv (`movieId,imdbId,tmdbId`): movieId → media id `tt` + imdbId zero-padded to 7 digits. */
export function parseLinks(text: string): Map<string, string> {
  const mediaByMovie = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const [movieId = '', imdbId = ''] = line.split(',').map((field) => field.trim());
    if (/^\d+$/.test(movieId) && /^\d+$/.test(imdbId)) mediaByMovie.set(movieId, `tt${imdbId.padStart(7, '0')}`);
  }
  return mediaByMovie;
}

/**
 * Each user's favorites as media ids (ratings ≥ FAVORITE_RATING whose movie maps to a known media id),
 * users in numeric id order, favorites in rating-file order without repeats.
 */
export function favoritesByUser(
  ratings: readonly Rating[],
  mediaByMovie: ReadonlyMap<string, string>,
  knownMedia: ReadonlySet<string>,
): Map<string, string[]> {
  const byUser = new Map<string, Set<string>>();
  for (const { userId, movieId, rating } of ratings) {
    if (rating < FAVORITE_RATING) continue;
    const mediaId = mediaByMovie.get(movieId);
    if (!mediaId || !knownMedia.has(mediaId)) continue;
    let favorites = byUser.get(userId);
    if (!favorites) byUser.set(userId, (favorites = new Set()));
    favorites.add(mediaId);
  }
  const users = [...byUser.keys()].sort((a, b) => Number(a) - Number(b));
  return new Map(users.map((userId) => [userId, [...byUser.get(userId)!]]));
}

/** Fisher–Yates with the given generator; returns a new array. */
export function shuffled<T>(items: readonly T[], random: SeededRandom): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Splits favorites into the part the model sees and the held-out part (round(20 %), at least one);
 * members with fewer than MIN_FAVORITES_TO_EVALUATE favorites keep everything and hold nothing out.
 */
export function splitHoldout(
  favorites: readonly string[],
  random: SeededRandom,
  fraction = HOLDOUT_FRACTION,
): { kept: string[]; heldOut: string[] } {
  if (favorites.length < MIN_FAVORITES_TO_EVALUATE) return { kept: [...favorites], heldOut: [] };
  const order = shuffled(favorites, random);
  const count = Math.max(1, Math.round(favorites.length * fraction));
  return { kept: order.slice(count), heldOut: order.slice(0, count) };
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const item of small) if (large.has(item)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Mean Jaccard of the viewer's held-out favorites with each candidate's favorites; 0 for no candidates. */
export function meanJaccard(
  heldOut: ReadonlySet<string>,
  candidates: readonly string[],
  favoritesOf: ReadonlyMap<string, ReadonlySet<string>>,
): number {
  if (candidates.length === 0) return 0;
  let sum = 0;
  for (const candidate of candidates) sum += jaccard(heldOut, favoritesOf.get(candidate) ?? new Set());
  return sum / candidates.length;
}

/** `count` members other than `viewer`, drawn without replacement. */
export function randomOthers(
  members: readonly string[],
  viewer: string,
  count: number,
  random: SeededRandom,
): string[] {
  const picked = new Set<string>();
  const others = members.length - (members.includes(viewer) ? 1 : 0);
  while (picked.size < Math.min(count, others)) {
    const member = members[random.int(members.length)]!;
    if (member !== viewer) picked.add(member);
  }
  return [...picked];
}

/** The `count + 1` members with the most favorites (ties by id), so any viewer can be excluded from them. */
export function mostActive(favoritesOf: ReadonlyMap<string, ReadonlySet<string>>, count: number): string[] {
  return [...favoritesOf.entries()]
    .sort(([a, x], [b, y]) => y.size - x.size || a.localeCompare(b))
    .slice(0, count + 1)
    .map(([member]) => member);
}

export interface MethodScore {
  method: string;
  meanJaccard: number;
  ratioVsRandom: number;
}

/** The readable table the command prints. */
export function formatScores(scores: readonly MethodScore[]): string {
  const lines = [`${'method'.padEnd(28)} ${'mean Jaccard'.padStart(12)}  ${'× random'.padStart(8)}`];
  for (const score of scores) {
    lines.push(
      `${score.method.padEnd(28)} ${score.meanJaccard.toFixed(5).padStart(12)}  ${score.ratioVsRandom.toFixed(2).padStart(8)}`,
    );
  }
  return lines.join('\n');
}

export interface RetrievalEvalOptions {
  dataDir: string;
  /** Evaluate on this many members (a seeded sample of the users); all when absent. */
  members?: number;
  seed?: number;
  /** Progress lines (the command prints them; tests pass nothing). */
  progress?: (message: string) => void;
}

export interface RetrievalEvalReport {
  imported: ImportReport;
  members: number;
  favorites: number;
  heldOut: number;
  viewers: number;
  quality: TasteQualityCheck;
  scores: MethodScore[];
  /** Mean Jaccard of taste ANN ÷ mean Jaccard of random members. */
  ratioVsRandom: number;
  timingsMs: { setup: number; build: number; retrieve: number; total: number };
}

/** The evaluation needs no logs; the builder and embeddings service only log fallbacks. */
const silentLogger: FastifyBaseLogger = {
  level: 'silent',
  fatal: () => undefined,
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
  trace: () => undefined,
  silent: () => undefined,
  child: () => silentLogger,
};

/** Runs the whole evaluation on a migrated, empty database. */
export async function evaluateRetrieval(db: Database, options: RetrievalEvalOptions): Promise<RetrievalEvalReport> {
  const progress = options.progress ?? (() => undefined);
  const seed = options.seed ?? DEFAULT_SEED;
  const started = Date.now();
  const moviesFile = path.join(options.dataDir, 'movies.csv');

  const imported = await importCatalogue(db, 'movielens', moviesFile);
  const knownMedia = new Set((await parseMovieLens(moviesFile)).works.map((work) => work.id));
  const ratings = parseRatings(readFileSync(path.join(options.dataDir, 'ratings.csv'), 'utf8'));
  const links = parseLinks(readFileSync(path.join(options.dataDir, 'links.csv'), 'utf8'));
  let users = favoritesByUser(ratings, links, knownMedia);
  if (options.members !== undefined && options.members < users.size) {
    const sample = new Set(shuffled([...users.keys()], seededRandom(seed ^ 0x5a5a)).slice(0, options.members));
    users = new Map([...users].filter(([userId]) => sample.has(userId)));
  }
  progress(`catalogue: ${imported.added} media added; ${users.size} members with favorites`);

  const holdoutRandom = seededRandom(seed);
  const favoritesOf = new Map<string, Set<string>>();
  const heldOutOf = new Map<string, Set<string>>();
  const attributes = new AttributesRepository(db);
  let favoritesStored = 0;
  let heldOutCount = 0;
  for (const [userId, favorites] of users) {
    const memberId = `${MEMBER_ID_PREFIX}${userId}`;
    const { kept, heldOut } = splitHoldout(favorites, holdoutRandom);
    favoritesOf.set(memberId, new Set(favorites));
    if (heldOut.length > 0) heldOutOf.set(memberId, new Set(heldOut));
    heldOutCount += heldOut.length;
    await db.transaction(async (tx) => {
      // Everyone at one place, seeking every gender: nothing but taste could separate them.
      await attributes.upsert(
        memberId,
        {
          location: { lat: 52.52, lon: 13.405, place: 'Berlin, Germany' },
          birthday: '1990-01-01',
          hobbies: [],
          communities: [],
          connectors: {},
          gender: 'nonbinary',
          seeking: [...GENDERS],
        },
        tx,
      );
      const favoritesRepository = new FavoritesRepository(tx);
      for (const mediaId of kept) if (await favoritesRepository.add(memberId, mediaId, 'manual')) favoritesStored++;
    });
  }
  const setupDone = Date.now();
  progress(`members stored: ${users.size}, favorites stored: ${favoritesStored}, held out: ${heldOutCount}`);

  // The nightly builder, run inline: embeds favorited media, refits item factors, rebuilds every vector.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sde-retrieval-eval-'));
  let quality: TasteQualityCheck;
  try {
    const config = loadConfig({ SDE_DATA_DIR: dataDir, LOG_LEVEL: 'silent', SDE_JOBS: 'off' });
    const repositories = buildRepositories(db);
    const embeddings = new EmbeddingsService(
      config,
      repositories.costLedger,
      new FlagsService(db, silentLogger),
      silentLogger,
    );
    const taste = new TasteService(db, repositories.taste, embeddings);
    // The queue is never started: the builder only uses it to enqueue runs, which this does not do.
    const jobs = new JobQueue(db, { runWorkers: false, cronCheckSeconds: 30, pollingSeconds: 2 }, silentLogger);
    quality = await new TasteBuilderService(
      repositories.taste,
      repositories.mediaEmbeddings,
      jobs,
      embeddings,
      taste,
    ).run('retrieval-eval');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const buildDone = Date.now();
  progress(
    `taste vectors built: ${quality.membersRebuilt} (model ${quality.modelId}, coverage ${(quality.coverage * 100).toFixed(1)} %)`,
  );

  const members = [...favoritesOf.keys()];
  const active = mostActive(favoritesOf, CANDIDATES_PER_VIEWER);
  const baselineRandom = seededRandom(seed ^ 0x1234);
  const tasteRepository = new TasteRepository(db);
  const sums = { taste: 0, random: 0, active: 0 };
  let viewers = 0;
  for (const [viewer, heldOut] of heldOutOf) {
    const nearest = await tasteRepository.nearestByTaste(viewer, CANDIDATES_PER_VIEWER);
    if (nearest.length === 0) continue; // no vector (every favorite unplaceable): not a fair viewer for any method
    viewers++;
    sums.taste += meanJaccard(heldOut, nearest, favoritesOf);
    sums.random += meanJaccard(
      heldOut,
      randomOthers(members, viewer, CANDIDATES_PER_VIEWER, baselineRandom),
      favoritesOf,
    );
    sums.active += meanJaccard(
      heldOut,
      active.filter((member) => member !== viewer).slice(0, CANDIDATES_PER_VIEWER),
      favoritesOf,
    );
  }
  const retrieveDone = Date.now();
  const mean = (sum: number) => (viewers === 0 ? 0 : sum / viewers);
  const randomMean = mean(sums.random);
  const ratio = (value: number) => (randomMean === 0 ? 0 : value / randomMean);
  const scores: MethodScore[] = [
    { method: 'taste ANN (product vectors)', meanJaccard: mean(sums.taste), ratioVsRandom: ratio(mean(sums.taste)) },
    { method: 'most active members', meanJaccard: mean(sums.active), ratioVsRandom: ratio(mean(sums.active)) },
    { method: 'random members', meanJaccard: randomMean, ratioVsRandom: randomMean === 0 ? 0 : 1 },
  ];
  return {
    imported,
    members: users.size,
    favorites: favoritesStored,
    heldOut: heldOutCount,
    viewers,
    quality,
    scores,
    ratioVsRandom: scores[0]!.ratioVsRandom,
    timingsMs: {
      setup: setupDone - started,
      build: buildDone - setupDone,
      retrieve: retrieveDone - buildDone,
      total: retrieveDone - started,
    },
  };
}

/**
 * The `count` members nearest the viewer by cosine distance of taste vectors (the HNSW index), self
 * excluded; null when the viewer has no vector. Queried here rather than through a repository because
 * it is the evaluation's own probe of the feature store, deliberately without retrieval's exclusions.
 */
