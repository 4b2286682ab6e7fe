// Synthetic demo population: realistic-looking members and scroll behaviour, so a fresh install (or a
// test) has people to recommend. Generation is pure and seeded; loading is idempotent per database.
import type { Database, Queryable } from '../../db/database.js';
import type { Gender } from '../../../shared/schemas/attributes.js';
import { seededUniform } from '../../lib/seeded-random.js';

// ---------------------------------------------------------------------------------------------------
// Vocabularies. Kept as plain data so they are easy to read, extend and reuse in fixtures.
// ---------------------------------------------------------------------------------------------------

// prettier-ignore
const WOMEN_FIRST_NAMES = [
  'Emma', 'Olivia', 'Sofia', 'Mia', 'Amelia', 'Isabella', 'Chloe', 'Léa', 'Camille', 'Hannah',
  'Lena', 'Marta', 'Giulia', 'Lucía', 'Valentina', 'Ana', 'Ingrid', 'Freya', 'Aoife', 'Zoe',
  'Priya', 'Ananya', 'Aisha', 'Fatima', 'Yara', 'Nour', 'Mei', 'Yuki', 'Sakura', 'Ji-woo',
  'Amara', 'Zanele', 'Chiamaka', 'Naledi', 'Camila', 'Mariana', 'Gabriela', 'Daniela', 'Elif', 'Maya',
] as const;

// prettier-ignore
const MEN_FIRST_NAMES = [
  'Liam', 'Noah', 'Oliver', 'Lucas', 'Leon', 'Felix', 'Jonas', 'Hugo', 'Louis', 'Mateo',
  'Marco', 'Luca', 'Pablo', 'Javier', 'João', 'Tiago', 'Erik', 'Lars', 'Finn', 'Cian',
  'Arjun', 'Rohan', 'Omar', 'Yusuf', 'Karim', 'Wei', 'Hiroshi', 'Kenji', 'Min-jun', 'Daniel',
  'Kwame', 'Tendai', 'Chinedu', 'Sipho', 'Diego', 'Santiago', 'Rafael', 'Gabriel', 'Emre', 'Samuel',
] as const;

// Names commonly chosen across genders; nonbinary members draw from these most of the time.
// prettier-ignore
const NEUTRAL_FIRST_NAMES = [
  'Alex', 'Sam', 'Robin', 'Charlie', 'Jamie', 'Kai', 'River', 'Sasha', 'Noa', 'Ari',
  'Jordan', 'Quinn', 'Rowan', 'Sky', 'Eden', 'Toni', 'Luca', 'Nico', 'Ash', 'Remi',
] as const;

const LAST_INITIALS = [...'ABCDEFGHIJKLMNOPRSTVWZ'];

/** Real cities with their real coordinates; `weight` makes the big hubs denser, as in a real product. */
const CITIES = [
  { city: 'Berlin', country: 'Germany', lat: 52.52, lon: 13.405, weight: 3 },
  { city: 'Hamburg', country: 'Germany', lat: 53.5511, lon: 9.9937, weight: 1 },
  { city: 'Munich', country: 'Germany', lat: 48.1351, lon: 11.582, weight: 1 },
  { city: 'London', country: 'United Kingdom', lat: 51.5072, lon: -0.1276, weight: 3 },
  { city: 'Manchester', country: 'United Kingdom', lat: 53.4808, lon: -2.2426, weight: 1 },
  { city: 'Dublin', country: 'Ireland', lat: 53.3498, lon: -6.2603, weight: 1 },
  { city: 'Paris', country: 'France', lat: 48.8566, lon: 2.3522, weight: 3 },
  { city: 'Lyon', country: 'France', lat: 45.764, lon: 4.8357, weight: 1 },
  { city: 'Amsterdam', country: 'Netherlands', lat: 52.3676, lon: 4.9041, weight: 2 },
  { city: 'Brussels', country: 'Belgium', lat: 50.8503, lon: 4.3517, weight: 1 },
  { city: 'Copenhagen', country: 'Denmark', lat: 55.6761, lon: 12.5683, weight: 1 },
  { city: 'Stockholm', country: 'Sweden', lat: 59.3293, lon: 18.0686, weight: 1 },
  { city: 'Oslo', country: 'Norway', lat: 59.9139, lon: 10.7522, weight: 1 },
  { city: 'Helsinki', country: 'Finland', lat: 60.1699, lon: 24.9384, weight: 1 },
  { city: 'Warsaw', country: 'Poland', lat: 52.2297, lon: 21.0122, weight: 1 },
  { city: 'Prague', country: 'Czechia', lat: 50.0755, lon: 14.4378, weight: 1 },
  { city: 'Vienna', country: 'Austria', lat: 48.2082, lon: 16.3738, weight: 1 },
  { city: 'Zurich', country: 'Switzerland', lat: 47.3769, lon: 8.5417, weight: 1 },
  { city: 'Milan', country: 'Italy', lat: 45.4642, lon: 9.19, weight: 1 },
  { city: 'Rome', country: 'Italy', lat: 41.9028, lon: 12.4964, weight: 1 },
  { city: 'Madrid', country: 'Spain', lat: 40.4168, lon: -3.7038, weight: 2 },
  { city: 'Barcelona', country: 'Spain', lat: 41.3874, lon: 2.1686, weight: 2 },
  { city: 'Lisbon', country: 'Portugal', lat: 38.7223, lon: -9.1393, weight: 2 },
  { city: 'Athens', country: 'Greece', lat: 37.9838, lon: 23.7275, weight: 1 },
  { city: 'Istanbul', country: 'Türkiye', lat: 41.0082, lon: 28.9784, weight: 2 },
  { city: 'Tel Aviv', country: 'Israel', lat: 32.0853, lon: 34.7818, weight: 1 },
  { city: 'Dubai', country: 'United Arab Emirates', lat: 25.2048, lon: 55.2708, weight: 1 },
  { city: 'Cape Town', country: 'South Africa', lat: -33.9249, lon: 18.4241, weight: 1 },
  { city: 'Lagos', country: 'Nigeria', lat: 6.5244, lon: 3.3792, weight: 1 },
  { city: 'Nairobi', country: 'Kenya', lat: -1.2921, lon: 36.8219, weight: 1 },
  { city: 'Mumbai', country: 'India', lat: 19.076, lon: 72.8777, weight: 2 },
  { city: 'Bengaluru', country: 'India', lat: 12.9716, lon: 77.5946, weight: 1 },
  { city: 'Singapore', country: 'Singapore', lat: 1.3521, lon: 103.8198, weight: 1 },
  { city: 'Tokyo', country: 'Japan', lat: 35.6762, lon: 139.6503, weight: 2 },
  { city: 'Seoul', country: 'South Korea', lat: 37.5665, lon: 126.978, weight: 1 },
  { city: 'Sydney', country: 'Australia', lat: -33.8688, lon: 151.2093, weight: 1 },
  { city: 'Melbourne', country: 'Australia', lat: -37.8136, lon: 144.9631, weight: 1 },
  { city: 'New York', country: 'United States', lat: 40.7128, lon: -74.006, weight: 3 },
  { city: 'San Francisco', country: 'United States', lat: 37.7749, lon: -122.4194, weight: 2 },
  { city: 'Chicago', country: 'United States', lat: 41.8781, lon: -87.6298, weight: 1 },
  { city: 'Toronto', country: 'Canada', lat: 43.6532, lon: -79.3832, weight: 2 },
  { city: 'Mexico City', country: 'Mexico', lat: 19.4326, lon: -99.1332, weight: 2 },
  { city: 'São Paulo', country: 'Brazil', lat: -23.5558, lon: -46.6396, weight: 2 },
  { city: 'Buenos Aires', country: 'Argentina', lat: -34.6037, lon: -58.3816, weight: 1 },
] as const;
type City = (typeof CITIES)[number];
type CityName = City['city'];

/**
 * Hobbies grouped into clusters of things people tend to do together. A member picks one or two
 * clusters and draws most hobbies from them, so taste vectors have real structure to find.
 */
// prettier-ignore
const HOBBY_CLUSTERS = {
  outdoors: ['hiking', 'rock climbing', 'camping', 'trail running', 'kayaking', 'mountain biking', 'skiing', 'surfing'],
  fitness: ['running', 'yoga', 'weightlifting', 'swimming', 'cycling', 'boxing', 'pilates', 'bouldering'],
  music: ['guitar', 'piano', 'singing', 'DJing', 'live concerts', 'vinyl collecting', 'music festivals', 'techno'],
  arts: ['painting', 'photography', 'drawing', 'pottery', 'film photography', 'street art', 'calligraphy'],
  food: [
    'cooking', 'baking', 'wine tasting', 'specialty coffee', 'craft beer', 'vegan cooking', 'street food', 'fermenting',
  ],
  games: ['video games', 'board games', 'chess', 'tabletop RPGs', 'puzzles', 'escape rooms', 'coding'],
  culture: [
    'reading', 'creative writing', 'poetry', 'theatre', 'arthouse cinema', 'museums', 'podcasts',
    'learning languages', 'travel',
  ],
  home: ['gardening', 'houseplants', 'DIY', 'knitting', 'volunteering', 'dog walking', 'cats', 'thrifting'],
  dance: ['salsa', 'tango', 'swing dancing', 'contemporary dance', 'karaoke'],
} as const satisfies Record<string, readonly string[]>;
type HobbyCluster = keyof typeof HOBBY_CLUSTERS;
const CLUSTER_NAMES = Object.keys(HOBBY_CLUSTERS) as HobbyCluster[];

/** Every hobby once; exported so tests and fixtures can check membership. */
export const DEMO_HOBBIES: readonly string[] = CLUSTER_NAMES.flatMap((cluster) => HOBBY_CLUSTERS[cluster]);

/**
 * Communities members join. Each leans towards a hobby cluster; the ones with a `city` only exist
 * there, which gives the "same local scene" signal a real population has.
 */
const COMMUNITIES: ReadonlyArray<{ name: string; cluster: HobbyCluster; city?: CityName }> = [
  { name: 'Trail Runners', cluster: 'outdoors' },
  { name: 'Sunday Hikers', cluster: 'outdoors' },
  { name: 'Climbing Gym Crew', cluster: 'fitness' },
  { name: 'Morning Run Club', cluster: 'fitness' },
  { name: 'Yoga in the Park', cluster: 'fitness' },
  { name: 'Open Mic Night', cluster: 'music' },
  { name: 'Vinyl Swap', cluster: 'music' },
  { name: 'Photo Walks', cluster: 'arts' },
  { name: 'Life Drawing Sessions', cluster: 'arts' },
  { name: 'Supper Club', cluster: 'food' },
  { name: 'Vegan Potluck', cluster: 'food' },
  { name: 'Board Game Night', cluster: 'games' },
  { name: 'Chess in the Café', cluster: 'games' },
  { name: 'Hackerspace', cluster: 'games' },
  { name: 'Silent Book Club', cluster: 'culture' },
  { name: 'Indie Film Society', cluster: 'culture' },
  { name: 'Language Exchange', cluster: 'culture' },
  { name: 'Community Garden', cluster: 'home' },
  { name: 'Volunteers Network', cluster: 'home' },
  { name: 'Dog Owners Meetup', cluster: 'home' },
  { name: 'Salsa Social', cluster: 'dance' },
  { name: 'Berlin Techno', cluster: 'music', city: 'Berlin' },
  { name: 'London Jazz Collective', cluster: 'music', city: 'London' },
  { name: 'Paris Café Philo', cluster: 'culture', city: 'Paris' },
  { name: 'Lisbon Surf Crew', cluster: 'outdoors', city: 'Lisbon' },
  { name: 'Tokyo Ramen Hunters', cluster: 'food', city: 'Tokyo' },
  { name: 'NYC Rooftop Cinema', cluster: 'culture', city: 'New York' },
  { name: 'Bay Area Founders', cluster: 'games', city: 'San Francisco' },
  { name: 'Melbourne Coffee Crawl', cluster: 'food', city: 'Melbourne' },
  { name: 'Buenos Aires Milonga', cluster: 'dance', city: 'Buenos Aires' },
];

/** Roughly the target mix; nonbinary members are a small share, as in real sign-ups. */
const GENDER_WEIGHTS: ReadonlyArray<readonly [Gender, number]> = [
  ['woman', 48],
  ['man', 48],
  ['nonbinary', 4],
];

/** Who each gender seeks: mostly the opposite gender, with a realistic minority of other choices. */
const SEEKING_WEIGHTS: Readonly<Record<Gender, ReadonlyArray<readonly [Gender[], number]>>> = {
  woman: [
    [['man'], 85],
    [['woman'], 7],
    [['man', 'woman'], 5],
    [['man', 'woman', 'nonbinary'], 3],
  ],
  man: [
    [['woman'], 87],
    [['man'], 7],
    [['woman', 'man'], 4],
    [['woman', 'man', 'nonbinary'], 2],
  ],
  nonbinary: [
    [['woman', 'man', 'nonbinary'], 40],
    [['woman'], 20],
    [['man'], 20],
    [['nonbinary'], 10],
    [['woman', 'nonbinary'], 10],
  ],
};

const MIN_AGE = 18;
const MAX_AGE = 65;
const JITTER_KM = 15;
const SPOTIFY_SHARE = 0.3;
// Each privacy group is opted out of independently by this share of members.
const PRIVACY_OPT_OUT = 0.05;
const MAX_EVENTS_PER_MEMBER = 12;
const EVENT_SPREAD_DAYS = 10;
const MIN_DWELL_MS = 300;
const MAX_DWELL_MS = 20_000;
// Ids are `demo-` plus the member's number, zero-padded to five digits (benchmarks go past 99,999).
const MAX_DEMO_MEMBERS = 1_000_000;

// ---------------------------------------------------------------------------------------------------
// Types.
// ---------------------------------------------------------------------------------------------------

export interface DemoMember {
  id: string;
  displayName: string;
  gender: Gender;
  seeking: Gender[];
  /** YYYY-MM-DD. */
  birthday: string;
  lat: number;
  lon: number;
  /** "City, Country". */
  place: string;
  hobbies: string[];
  communities: string[];
  connectors: Record<string, { connected: boolean }>;
  shareInterests: boolean;
  shareBehavioural: boolean;
  shareConnectors: boolean;
  shareFavorites: boolean;
}

export interface DemoScrollEvent {
  /** The viewer. */
  userId: string;
  /** The member whose card was looked at. */
  targetId: string;
  kind: 'dwell' | 'scroll_pause';
  dwellMs: number;
  /** ISO 8601 timestamp. */
  occurredAt: string;
}

export interface DemoPopulation {
  seed: number;
  members: DemoMember[];
  scrollEvents: DemoScrollEvent[];
}

export interface DemoPopulationOptions {
  /** The date ages and event times are relative to; defaults to now. */
  today?: Date;
  /** Only these cities (by name), keeping their relative weights; defaults to every city. */
  cities?: readonly string[];
}

// ---------------------------------------------------------------------------------------------------
// Seeded randomness: the project's one PRNG, so a seed gives the same population on every machine and Node version.
// ---------------------------------------------------------------------------------------------------

class Random {
  constructor(private readonly next: () => number) {}

  float(): number {
    return this.next();
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    const last = entries[entries.length - 1];
    if (!last) throw new Error('weighted pick from an empty list');
    return last[0];
  }

  /** Standard normal via Box–Muller. */
  normal(): number {
    const u = 1 - this.next(); // (0, 1], so the log is finite
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

// ---------------------------------------------------------------------------------------------------
// Generation.
// ---------------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const CITY_WEIGHTS = CITIES.map((city) => [city, city.weight] as const);

function demoId(index: number): string {
  return `demo-${String(index + 1).padStart(5, '0')}`;
}

function displayNameFor(random: Random, gender: Gender): string {
  const names =
    gender === 'woman'
      ? WOMEN_FIRST_NAMES
      : gender === 'man'
        ? MEN_FIRST_NAMES
        : random.chance(0.75)
          ? NEUTRAL_FIRST_NAMES
          : random.pick([WOMEN_FIRST_NAMES, MEN_FIRST_NAMES]);
  return `${random.pick(names)} ${random.pick(LAST_INITIALS)}.`;
}

/** Ages 18–65, most between 22 and 40 — the shape of a dating app's active users. */
function ageFor(random: Random): number {
  const roll = random.float();
  if (roll < 0.1) return random.int(MIN_AGE, 21);
  if (roll < 0.8) {
    // Triangular-ish around 29 so the late twenties are the densest band.
    return Math.round(22 + ((random.float() + random.float()) / 2) * 18);
  }
  return random.int(41, MAX_AGE);
}

/**
 * A birthday giving exactly `age` on `today`: the date `age` years before today, minus 0–364 days.
 * Built from UTC calendar fields, like `ageOn`, so time zones cannot shift it by a day.
 */
function birthdayFor(random: Random, age: number, today: Date): string {
  const year = today.getUTCFullYear() - age;
  const month = today.getUTCMonth();
  // Clamp 29 February to the 28th in non-leap years, otherwise Date.UTC would roll into March.
  const lastDayOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const anniversary = Date.UTC(year, month, Math.min(today.getUTCDate(), lastDayOfMonth));
  const birthday = new Date(anniversary - random.int(0, 364) * DAY_MS);
  return birthday.toISOString().slice(0, 10);
}

/** A point up to `JITTER_KM` from the city centre, uniform over the disc, so members do not stack. */
function jitteredLocation(random: Random, city: City): { lat: number; lon: number } {
  const distanceKm = JITTER_KM * Math.sqrt(random.float());
  const bearing = 2 * Math.PI * random.float();
  const lat = city.lat + (distanceKm * Math.cos(bearing)) / 111.32;
  const lonScale = 111.32 * Math.cos((city.lat * Math.PI) / 180);
  let lon = city.lon + (distanceKm * Math.sin(bearing)) / lonScale;
  if (lon > 180) lon -= 360;
  if (lon < -180) lon += 360;
  return { lat: round6(lat), lon: round6(lon) };
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** 3–8 distinct hobbies, about three quarters from the member's own clusters, the rest from anywhere. */
function hobbiesFor(random: Random, clusters: readonly HobbyCluster[]): string[] {
  const target = random.int(3, 8);
  const own = clusters.flatMap((cluster) => HOBBY_CLUSTERS[cluster]);
  const chosen = new Set<string>();
  // Bounded loop: both pools are far larger than 8, so this ends quickly; the bound is only a guard.
  for (let attempt = 0; chosen.size < target && attempt < 100; attempt++) {
    chosen.add(random.chance(0.75) ? random.pick(own) : random.pick(DEMO_HOBBIES));
  }
  return [...chosen];
}

/** 1–4 communities: mostly ones matching the member's clusters, local scenes only in their city. */
function communitiesFor(random: Random, clusters: readonly HobbyCluster[], city: CityName): string[] {
  const available = COMMUNITIES.filter((community) => community.city === undefined || community.city === city);
  const matching = available.filter((community) => clusters.includes(community.cluster));
  const local = available.filter((community) => community.city === city);
  const target = random.int(1, 4);
  const chosen = new Set<string>();
  // Members of a city with its own scene usually belong to it: that is what makes it a local signal.
  for (const community of local) if (random.chance(0.6)) chosen.add(community.name);
  for (let attempt = 0; chosen.size < target && attempt < 100; attempt++) {
    const pool = matching.length > 0 && random.chance(0.7) ? matching : available;
    chosen.add(random.pick(pool).name);
  }
  return [...chosen].slice(0, Math.max(target, 1));
}

function memberAt(
  random: Random,
  index: number,
  today: Date,
  cityWeights: ReadonlyArray<readonly [City, number]>,
): DemoMember {
  const gender = random.weighted(GENDER_WEIGHTS);
  const city = random.weighted(cityWeights);
  // One or two hobby clusters guide this member's tags; they are not a stored attribute.
  const primary = random.pick(CLUSTER_NAMES);
  const secondary = random.pick(CLUSTER_NAMES);
  const clusters = primary === secondary ? [primary] : [primary, secondary];
  const { lat, lon } = jitteredLocation(random, city);
  return {
    id: demoId(index),
    displayName: displayNameFor(random, gender),
    gender,
    // Copy so callers that mutate one member's list cannot change another's.
    seeking: [...random.weighted(SEEKING_WEIGHTS[gender])],
    birthday: birthdayFor(random, ageFor(random), today),
    lat,
    lon,
    place: `${city.city}, ${city.country}`,
    hobbies: hobbiesFor(random, clusters),
    communities: communitiesFor(random, clusters, city.city),
    connectors: random.chance(SPOTIFY_SHARE) ? { spotify: { connected: true } } : {},
    shareInterests: !random.chance(PRIVACY_OPT_OUT),
    shareBehavioural: !random.chance(PRIVACY_OPT_OUT),
    shareConnectors: !random.chance(PRIVACY_OPT_OUT),
    shareFavorites: !random.chance(PRIVACY_OPT_OUT),
  };
}

/** Log-normal dwell: most glances are short, a few cards hold attention for many seconds. */
function dwellFor(random: Random, kind: DemoScrollEvent['kind'], sharedHobbies: number): number {
  const medianMs = kind === 'dwell' ? 2_500 : 900;
  // Shared hobbies make a card more interesting; this is the signal the behavioural features should find.
  const interest = 1 + 0.3 * sharedHobbies;
  const ms = medianMs * interest * Math.exp(0.9 * random.normal());
  return Math.round(Math.min(MAX_DWELL_MS, Math.max(MIN_DWELL_MS, ms)));
}

function scrollEventsFor(random: Random, members: readonly DemoMember[], today: Date): DemoScrollEvent[] {
  const byGender = new Map<Gender, DemoMember[]>();
  for (const member of members) {
    const list = byGender.get(member.gender);
    if (list) list.push(member);
    else byGender.set(member.gender, [member]);
  }
  // Viewers share a handful of `seeking` combinations; build each candidate pool once, not per viewer.
  const soughtPools = new Map<string, DemoMember[]>();
  const soughtBy = (seeking: readonly Gender[]): DemoMember[] => {
    const key = seeking.join(',');
    let pool = soughtPools.get(key);
    if (!pool) {
      pool = seeking.flatMap((gender) => byGender.get(gender) ?? []);
      soughtPools.set(key, pool);
    }
    return pool;
  };
  const events: DemoScrollEvent[] = [];
  if (members.length < 2) return events;
  for (const viewer of members) {
    const sought = soughtBy(viewer.seeking);
    const viewerHobbies = new Set(viewer.hobbies);
    const count = random.int(0, MAX_EVENTS_PER_MEMBER);
    for (let n = 0; n < count; n++) {
      // Viewers mostly see the genders they seek (that is what the slate serves), sometimes anyone.
      const pool = sought.length > 1 && random.chance(0.8) ? sought : members;
      let target = random.pick(pool);
      if (target.id === viewer.id) target = random.pick(members.filter((member) => member.id !== viewer.id));
      const kind = random.chance(0.7) ? 'dwell' : 'scroll_pause';
      const shared = target.hobbies.filter((hobby) => viewerHobbies.has(hobby)).length;
      // Spread over the last 10 days so roughly 30 % fall outside user_dwell_avg's 7-day window.
      const ageMs = Math.floor(random.float() * EVENT_SPREAD_DAYS * DAY_MS);
      events.push({
        userId: viewer.id,
        targetId: target.id,
        kind,
        dwellMs: dwellFor(random, kind, shared),
        occurredAt: new Date(today.getTime() - ageMs).toISOString(),
      });
    }
  }
  return events;
}

/** The weighted city list a population draws from: every city, or the named ones (unknown names refused). */
function cityWeightsFor(names: readonly string[] | undefined): ReadonlyArray<readonly [City, number]> {
  if (names === undefined) return CITY_WEIGHTS;
  const unknown = names.filter((name) => !CITIES.some((city) => city.city === name));
  if (unknown.length > 0 || names.length === 0) {
    throw new RangeError(`demo population cities must be known city names, got ${JSON.stringify(names)}`);
  }
  return CITY_WEIGHTS.filter(([city]) => names.includes(city.city));
}

function assertCount(count: number): void {
  if (!Number.isInteger(count) || count < 0 || count > MAX_DEMO_MEMBERS) {
    throw new RangeError(`demo population count must be an integer from 0 to ${MAX_DEMO_MEMBERS}, got ${count}`);
  }
}

/**
 * A deterministic synthetic population: the same `count`, `seed` and `today` always give the same
 * members and events. Members are drawn before any event, so the first N members of a larger
 * population equal a population of N (their events differ).
 */
export function generateDemoPopulation(count: number, seed = 42, options: DemoPopulationOptions = {}): DemoPopulation {
  assertCount(count);
  if (!Number.isInteger(seed)) throw new RangeError(`demo population seed must be an integer, got ${seed}`);
  const today = options.today ?? new Date();
  const cityWeights = cityWeightsFor(options.cities);
  const random = new Random(seededUniform(seed));
  const members: DemoMember[] = [];
  for (let index = 0; index < count; index++) members.push(memberAt(random, index, today, cityWeights));
  // Members who keep behavioural data private produce none (the database would drop it anyway); the
  // filter comes after generation so the seeded sequence, and so the rest of the population, is unchanged.
  const sharing = new Set(members.filter((member) => member.shareBehavioural).map((member) => member.id));
  const scrollEvents = scrollEventsFor(random, members, today).filter((event) => sharing.has(event.userId));
  return { seed, members, scrollEvents };
}

// ---------------------------------------------------------------------------------------------------
// Loading.
// ---------------------------------------------------------------------------------------------------

/** engine_settings key whose presence means "the demo population is loaded". */
export const DEMO_POPULATION_SETTING = 'demo_population';
// Any constant works; it must differ from the migration lock and be the same for every replica.
const DEMO_LOCK_KEY = 4_242_002;
const MEMBER_BATCH = 500;
const EVENT_BATCH = 5_000;

export interface DemoLoadResult {
  /** False when the population was already there (or count was 0): nothing was written. */
  loaded: boolean;
  members: number;
  scrollEvents: number;
}

interface DemoMarker {
  count: number;
  seed: number;
  scrollEvents?: number;
  loadedAt: string;
}

/**
 * Loads the demo population once per database. Concurrent callers (replicas starting together)
 * serialise on an advisory lock, and the marker row is written in the same transaction as the data,
 * so a database holds either the whole population or none of it.
 */
export async function loadDemoPopulation(
  db: Database,
  count: number,
  options: { seed?: number } & DemoPopulationOptions = {},
): Promise<DemoLoadResult> {
  assertCount(count);
  if (count === 0) return { loaded: false, members: 0, scrollEvents: 0 };
  const seed = options.seed ?? 42;

  const result = await db.transaction(async (tx): Promise<DemoLoadResult> => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [DEMO_LOCK_KEY]);
    const existing = await tx.query<{ value: DemoMarker }>(`SELECT value FROM engine_settings WHERE key = $1`, [
      DEMO_POPULATION_SETTING,
    ]);
    const marker = existing.rows[0]?.value;
    if (marker) return { loaded: false, members: marker.count, scrollEvents: marker.scrollEvents ?? 0 };

    // Generate only once we know we will write: it is the expensive part for large counts.
    const population = generateDemoPopulation(count, seed, {
      ...(options.today ? { today: options.today } : {}),
      ...(options.cities ? { cities: options.cities } : {}),
    });
    const members = await insertMembers(tx, population.members);
    const scrollEvents = await insertScrollEvents(tx, population.scrollEvents);
    await tx.query(
      `INSERT INTO engine_settings (key, value) VALUES ($1, $2::jsonb || jsonb_build_object('loadedAt', now()))`,
      [DEMO_POPULATION_SETTING, JSON.stringify({ count: members, seed, scrollEvents })],
    );
    return { loaded: true, members, scrollEvents };
  });

  // Outside the transaction so the view sees the committed events; a plain refresh is fine for a one-off.
  if (result.loaded) await db.query('REFRESH MATERIALIZED VIEW user_dwell_avg');
  return result;
}

/**
 * Members go in as one JSON document per batch: their tag lists are ragged arrays, which `unnest` of
 * parallel arrays cannot carry, while `jsonb_to_recordset` turns JSON arrays into text[] directly.
 * One text parameter behaves the same on PGlite and node-postgres.
 */
async function insertMembers(tx: Queryable, members: readonly DemoMember[]): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < members.length; start += MEMBER_BATCH) {
    const rows = members.slice(start, start + MEMBER_BATCH).map((member) => ({
      id: member.id,
      display_name: member.displayName,
      gender: member.gender,
      seeking: member.seeking,
      birthday: member.birthday,
      lat: member.lat,
      lon: member.lon,
      place: member.place,
      hobbies: member.hobbies,
      communities: member.communities,
      connectors: member.connectors,
      share_interests: member.shareInterests,
      share_behavioural: member.shareBehavioural,
      share_connectors: member.shareConnectors,
      share_favorites: member.shareFavorites,
    }));
    const result = await tx.query(
      `INSERT INTO members (id, display_name, gender, seeking, birthday, lat, lon, place, hobbies, communities,
                            connectors, share_interests, share_behavioural, share_connectors, share_favorites, is_demo)
       SELECT id, display_name, gender, seeking, birthday, lat, lon, place, hobbies, communities,
              connectors, share_interests, share_behavioural, share_connectors, share_favorites, true
         FROM jsonb_to_recordset($1::jsonb) AS r(
           id text, display_name text, gender text, seeking text[], birthday date, lat double precision,
           lon double precision, place text, hobbies text[], communities text[], connectors jsonb,
           share_interests boolean, share_behavioural boolean, share_connectors boolean, share_favorites boolean)`,
      [JSON.stringify(rows)],
    );
    inserted += result.rowCount;
  }
  return inserted;
}

/** Events are flat, so parallel typed arrays through `unnest` are the cheapest bulk insert. */
async function insertScrollEvents(tx: Queryable, events: readonly DemoScrollEvent[]): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < events.length; start += EVENT_BATCH) {
    const batch = events.slice(start, start + EVENT_BATCH);
    const result = await tx.query(
      `INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms, occurred_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::timestamptz[])`,
      [
        batch.map((event) => event.userId),
        batch.map((event) => event.targetId),
        batch.map((event) => event.kind),
        batch.map((event) => event.dwellMs),
        batch.map((event) => event.occurredAt),
      ],
    );
    inserted += result.rowCount;
  }
  return inserted;
}
