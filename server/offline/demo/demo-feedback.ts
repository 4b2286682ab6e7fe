// Demo feedback: slates the demo members were "shown" over the past three weeks and how they swiped,
// so a fresh install has impressions and labels to train its first ranking model on, and the console
// has swipes to chart. Who likes whom follows a hidden preference — shared hobbies and communities,
// closeness, a similar age, and each member's appeal — plus noise, the way real swipes depend on the
// pair and on the person; the ranker has to learn that from pair features, as it would in production.
import type { Queryable } from '../../db/database.js';
import { seededRandom, type SeededRandom } from '../../lib/seeded-random.js';
import { discoverableMember } from '../../db/active-members.js';
import { distanceKm } from '../../lib/great-circle.js';
import { writePastImpressions } from './past-impressions.js';

const SLATE_SIZE = 20;
/** Share of demo members who were shown a slate (benchmarks with large populations ask for fewer). */
const DEFAULT_VIEWER_SHARE = 0.6;
/** Share of shown candidates the viewer swiped on; the rest were left unanswered. */
const ANSWERED_SHARE = 0.85;
/** Utility quantiles: the top 6 % are superlikes, the next 26 % likes, the rest passes. */
const SUPERLIKE_QUANTILE = 0.94;
const LIKE_QUANTILE = 0.68;
const HISTORY_DAYS = 21;
const DAY_MS = 86_400_000;
const INSERT_BATCH = 2_000;

interface DemoProfile {
  id: string;
  gender: string;
  seeking: string[];
  birthday: string;
  lat: number;
  lon: number;
  hobbies: string[];
  communities: string[];
}

interface Impression {
  slateId: string;
  position: number;
  viewerId: string;
  candidateId: string;
  servedAt: Date;
  utility: number;
}

export interface DemoFeedbackReport {
  slates: number;
  impressions: number;
  swipes: number;
}

/** Writes demo impressions and swipes for the demo members present; deterministic for a seed and date. */
export async function loadDemoFeedback(
  db: Queryable,
  options: { seed?: number; today?: Date; viewerShare?: number } = {},
): Promise<DemoFeedbackReport> {
  const seed = options.seed ?? 42;
  const today = options.today ?? new Date();
  const viewerShare = options.viewerShare ?? DEFAULT_VIEWER_SHARE;
  const { rows: members } = await db.query<DemoProfile>(
    `SELECT id, gender, seeking, to_char(birthday, 'YYYY-MM-DD') AS birthday, lat, lon, hobbies, communities
       FROM members WHERE is_demo AND ${discoverableMember()} AND lat IS NOT NULL
      ORDER BY id`,
  );
  const random = seededRandom(seed ^ 0xfeed);
  const appeal = new Map(members.map((member) => [member.id, random.normal()]));
  const utility = (viewer: DemoProfile, candidate: DemoProfile) =>
    2.5 * overlap(viewer.hobbies, candidate.hobbies) +
    1.5 * overlap(viewer.communities, candidate.communities) -
    distanceKm(viewer.lat, viewer.lon, candidate.lat, candidate.lon) / 40 -
    Math.abs(years(viewer.birthday) - years(candidate.birthday)) / 6 +
    0.8 * appeal.get(candidate.id)! +
    0.5 * random.normal();

  const byCity = groupByCity(members);
  const impressions: Impression[] = [];
  let slates = 0;
  for (const viewer of members) {
    if (random.next() >= viewerShare) continue;
    const pool = (byCity.get(cityKey(viewer)) ?? []).filter((candidate) => compatible(viewer, candidate));
    if (pool.length < 2) continue;
    const shown = sample(random, pool, SLATE_SIZE);
    const slateId = uuidFrom(random);
    const servedAt = new Date(today.getTime() - (1 + random.next() * HISTORY_DAYS) * DAY_MS);
    slates++;
    shown.forEach((candidate, position) =>
      impressions.push({
        slateId,
        position,
        viewerId: viewer.id,
        candidateId: candidate.id,
        servedAt,
        utility: utility(viewer, candidate),
      }),
    );
  }
  const sorted = impressions.map((impression) => impression.utility).sort((a, b) => a - b);
  const likeAbove = sorted[Math.floor(LIKE_QUANTILE * sorted.length)] ?? Infinity;
  const superlikeAbove = sorted[Math.floor(SUPERLIKE_QUANTILE * sorted.length)] ?? Infinity;

  const swipes: Array<{ viewerId: string; targetId: string; action: string; slateId: string | null; at: Date }> = [];
  const profiles = new Map(members.map((member) => [member.id, member]));
  for (const impression of impressions) {
    if (random.next() >= ANSWERED_SHARE) continue;
    const action = impression.utility > superlikeAbove ? 'superlike' : impression.utility > likeAbove ? 'like' : 'pass';
    const at = new Date(impression.servedAt.getTime() + (1 + random.next() * 600) * 1000);
    swipes.push({
      viewerId: impression.viewerId,
      targetId: impression.candidateId,
      action,
      slateId: impression.slateId,
      at,
    });
    // Some likes are answered: the other member liked back, from a slate of their own.
    if (action !== 'pass') {
      const back = utility(profiles.get(impression.candidateId)!, profiles.get(impression.viewerId)!);
      if (back > likeAbove) {
        swipes.push({
          viewerId: impression.candidateId,
          targetId: impression.viewerId,
          action: 'like',
          slateId: null,
          at: new Date(at.getTime() + 3_600_000),
        });
      }
    }
  }

  for (let start = 0; start < swipes.length; start += INSERT_BATCH) {
    const batch = swipes.slice(start, start + INSERT_BATCH);
    await db.query(
      `INSERT INTO swipes (viewer_id, target_id, action, slate_id, created_at)
       SELECT v, t, a, s, c FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::timestamptz[]) AS x (v, t, a, s, c)`,
      [
        batch.map((row) => row.viewerId),
        batch.map((row) => row.targetId),
        batch.map((row) => row.action),
        batch.map((row) => row.slateId),
        batch.map((row) => row.at.toISOString()),
      ],
    );
  }
  // The impressions last, with the features serving computes for each pair (the pair's own swipes are
  // never among them): the first model trains on logged features, as every later one does.
  await writePastImpressions(db, impressions, 'demo');
  return { slates, impressions: impressions.length, swipes: swipes.length };
}

function compatible(viewer: DemoProfile, candidate: DemoProfile): boolean {
  return (
    viewer.id !== candidate.id && viewer.seeking.includes(candidate.gender) && candidate.seeking.includes(viewer.gender)
  );
}

/** Demo members are scattered around their city's centre; whole degrees keep a city together. */
function cityKey(member: DemoProfile): string {
  return `${Math.round(member.lat)}:${Math.round(member.lon)}`;
}

function groupByCity(members: DemoProfile[]): Map<string, DemoProfile[]> {
  const cities = new Map<string, DemoProfile[]>();
  for (const member of members) {
    const key = cityKey(member);
    const city = cities.get(key);
    if (city) city.push(member);
    else cities.set(key, [member]);
  }
  return cities;
}

function overlap(a: readonly string[], b: readonly string[]): number {
  const shared = a.filter((item) => b.includes(item)).length;
  const union = new Set([...a, ...b]).size;
  return union === 0 ? 0 : shared / union;
}

function years(birthday: string): number {
  return Date.parse(birthday) / (365.2425 * DAY_MS);
}

function sample<T>(random: SeededRandom, items: readonly T[], count: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, count);
}

function uuidFrom(random: SeededRandom): string {
  const hex = Array.from({ length: 32 }, () => random.int(16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
