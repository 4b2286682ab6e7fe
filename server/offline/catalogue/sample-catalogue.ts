// The sample catalogue behind `npm run seed:media`: the curated real works plus a deterministic,
// generated sample of plausible films, series, songs, albums, artists and books, so autocomplete,
// canonicalise and the benchmarks have a realistic 50k-work catalogue to run on. Generated ids sit in
// reserved ranges no real id uses (docs/media-catalogue.md), so the sample never collides with real data.
import type { Database, Queryable } from '../../db/database.js';
import type { MediaKind } from '../../../shared/schemas/media.js';
import { CURATED_EXTERNAL_IDS, CURATED_WORKS } from './curated-works.js';
import { MediaRepository, type MediaWork, type WriteCounts } from '../../media/media.repository.js';
import { seededRandom, type SeededRandom } from '../../lib/seeded-random.js';

/** How many generated works the default seed adds (on top of the curated ones). */
export const DEFAULT_GENERATED_WORKS = 50_000;

// Shares of the generated sample per kind.
const KIND_SHARES: ReadonlyArray<[MediaKind, number]> = [
  ['film', 0.32],
  ['tv', 0.08],
  ['recording', 0.3],
  ['release_group', 0.12],
  ['artist', 0.08],
  ['book', 0.1],
];

/** Reserved id ranges: IMDb ids have 7–8 digits, MusicBrainz ids are version-4 UUIDs, Open Library works ≤ 8 digits. */
export function generatedId(kind: MediaKind, serial: number): string {
  const hex = serial.toString(16).padStart(12, '0');
  // Version nibble 0: never a version-4 UUID, which is what MusicBrainz issues.
  const uuid = `5de00000-0000-0000-0000-${hex}`;
  switch (kind) {
    case 'film':
      return `tt90${String(serial).padStart(8, '0')}`;
    case 'tv':
      return `tt91${String(serial).padStart(8, '0')}`;
    case 'recording':
      return `mb:recording:${uuid}`;
    case 'release_group':
      return `mb:release-group:${uuid}`;
    case 'artist':
      return `mb:artist:${uuid}`;
    case 'book':
      return `ol:OL9${String(serial).padStart(9, '0')}W`;
  }
}

const ADJECTIVES = [
  'Silent',
  'Broken',
  'Golden',
  'Hidden',
  'Last',
  'Lost',
  'Midnight',
  'Crimson',
  'Distant',
  'Electric',
  'Frozen',
  'Wild',
  'Quiet',
  'Burning',
  'Hollow',
  'Secret',
  'Bitter',
  'Endless',
  'Northern',
  'Paper',
  'Velvet',
  'Iron',
  'Silver',
  'Restless',
  'Gentle',
  'Savage',
  'Little',
  'Long',
  'Dark',
  'Bright',
  'Forgotten',
  'Lonely',
  'Blue',
  'Scarlet',
  'Shallow',
  'Final',
  'Second',
  'Strange',
  'Sweet',
  'Cold',
  'Empty',
  'Falling',
  'Rising',
  'Wicked',
];
const NOUNS = [
  'Harbor',
  'River',
  'Garden',
  'Empire',
  'Winter',
  'Summer',
  'Shadow',
  'Mirror',
  'Road',
  'Kingdom',
  'Heart',
  'Storm',
  'City',
  'Island',
  'Letter',
  'Promise',
  'Station',
  'Horizon',
  'Machine',
  'Stranger',
  'Witness',
  'Daughter',
  'Soldier',
  'Orchard',
  'Lantern',
  'Frontier',
  'Signal',
  'Crown',
  'Tide',
  'Forest',
  'Valley',
  'Dream',
  'Fire',
  'Moon',
  'Star',
  'Ghost',
  'Echo',
  'Wolf',
  'Raven',
  'Bridge',
  'Tower',
  'Desert',
  'Ocean',
  'Night',
  'Morning',
  'Season',
  'Game',
  'Hour',
  'Song',
  'Line',
  'Circle',
  'House',
  'Room',
  'Window',
  'Door',
];
const PLACES = [
  'Lisbon',
  'Kyoto',
  'Marrakesh',
  'Oslo',
  'Havana',
  'Berlin',
  'Cairo',
  'Vienna',
  'Montana',
  'Patagonia',
  'Brooklyn',
  'Glasgow',
  'Naples',
  'Seoul',
  'Lagos',
  'Tbilisi',
  'Bombay',
  'Avalon',
  'Carthage',
  'Memphis',
];
const FIRST_NAMES = [
  'Anna',
  'Marco',
  'Sofia',
  'James',
  'Lena',
  'Omar',
  'Yuki',
  'Clara',
  'Diego',
  'Nadia',
  'Felix',
  'Ines',
  'Tomas',
  'Maya',
  'Oscar',
  'Leila',
  'Viktor',
  'Rosa',
  'Hugo',
  'Amara',
  'Jonas',
  'Elena',
  'Kofi',
  'Mira',
  'Pablo',
  'Freya',
];
const LAST_NAMES = [
  'Lindqvist',
  'Moreau',
  'Okafor',
  'Tanaka',
  'Rossi',
  'Novak',
  'Haddad',
  'Fischer',
  'Castillo',
  'Ivanova',
  'Brennan',
  'Kowalski',
  'Dubois',
  'Sato',
  'Mendes',
  'Larsen',
  'Petrov',
  'Amini',
  'Keller',
  'Silva',
  'Walsh',
];
const VERBS = ['Hold', 'Call', 'Take', 'Leave', 'Wake', 'Meet', 'Find', 'Save', 'Tell', 'Bring', 'Show', 'Keep'];
const ADVERBS = ['Tonight', 'Again', 'Slowly', 'Home', 'Now', 'Forever', 'Closer', 'Down', 'Away', 'Softly'];

function personName(random: SeededRandom): string {
  return `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
}

function bandName(random: SeededRandom): string {
  switch (random.int(4)) {
    case 0:
      return `The ${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}s`;
    case 1:
      return `${random.pick(NOUNS)} ${random.pick(NOUNS)}`;
    case 2:
      return personName(random);
    default:
      return `${random.pick(ADJECTIVES)} ${random.pick(PLACES)}`;
  }
}

function filmTitle(random: SeededRandom): string {
  switch (random.int(8)) {
    case 0:
      return `The ${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}`;
    case 1:
      return `${random.pick(NOUNS)} of the ${random.pick(NOUNS)}`;
    case 2:
      return `${random.pick(FIRST_NAMES)}'s ${random.pick(NOUNS)}`;
    case 3:
      return `${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}s`;
    case 4:
      return `${random.pick(NOUNS)} in ${random.pick(PLACES)}`;
    case 5:
      return `Return to ${random.pick(PLACES)}`;
    case 6:
      return `The ${random.pick(NOUNS)} ${2 + random.int(4)}`;
    default:
      return `${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}`;
  }
}

function songTitle(random: SeededRandom): string {
  switch (random.int(5)) {
    case 0:
      return `${random.pick(VERBS)} Me ${random.pick(ADVERBS)}`;
    case 1:
      return `${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}`;
    case 2:
      return `${random.pick(NOUNS)} ${random.pick(ADVERBS)}`;
    case 3:
      return `${random.pick(FIRST_NAMES)}`;
    default:
      return `${random.pick(VERBS)} the ${random.pick(NOUNS)}`;
  }
}

function generatedWork(kind: MediaKind, serial: number, random: SeededRandom): MediaWork {
  const id = generatedId(kind, serial);
  const popularity = Math.floor(random.next() ** 3 * 1000);
  switch (kind) {
    case 'film':
      return {
        id,
        kind,
        title: filmTitle(random),
        year: 1920 + random.int(105),
        credit: personName(random),
        popularity,
      };
    case 'tv':
      return {
        id,
        kind,
        title: random.int(2) === 0 ? `${random.pick(PLACES)} ${random.pick(NOUNS)}s` : filmTitle(random),
        year: 1955 + random.int(70),
        credit: personName(random),
        popularity,
      };
    case 'recording':
      return { id, kind, title: songTitle(random), year: 1950 + random.int(75), credit: bandName(random), popularity };
    case 'release_group':
      return {
        id,
        kind,
        title: random.int(3) === 0 ? `${random.pick(NOUNS)}s and ${random.pick(NOUNS)}s` : filmTitle(random),
        year: 1955 + random.int(70),
        credit: bandName(random),
        popularity,
      };
    case 'artist':
      return { id, kind, title: bandName(random), year: 1950 + random.int(74), popularity };
    case 'book':
      return {
        id,
        kind,
        title:
          random.int(2) === 0
            ? `The ${random.pick(NOUNS)} of ${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`
            : filmTitle(random),
        year: 1800 + random.int(225),
        credit: personName(random),
        popularity,
      };
  }
}

/** Pure and deterministic: the same `count` always gives the same works (ids are serials per kind). */
export function generateSampleWorks(count: number = DEFAULT_GENERATED_WORKS, seed = 1982): MediaWork[] {
  const random = seededRandom(seed);
  const works: MediaWork[] = [];
  let remaining = count;
  KIND_SHARES.forEach(([kind, share], index) => {
    const forKind = index === KIND_SHARES.length - 1 ? remaining : Math.round(count * share);
    remaining -= forKind;
    for (let serial = 1; serial <= forKind; serial++) works.push(generatedWork(kind, serial, random));
  });
  return works;
}

/** The whole sample: curated works first, then `generated` generated ones. */
export function sampleCatalogue(generated: number = DEFAULT_GENERATED_WORKS): MediaWork[] {
  return [...CURATED_WORKS, ...generateSampleWorks(generated)];
}

export interface SeedReport extends WriteCounts {
  total: number;
}

/** Loads the sample idempotently: works already present (by id) are left as they are. */
export async function seedSampleCatalogue(db: Database, options: { generated?: number } = {}): Promise<SeedReport> {
  return db.transaction((tx) => seedSampleCatalogueIn(tx, options));
}

/**
 * The same inside the caller's transaction, so a caller (the demo loader) can commit a "done" marker
 * together with the catalogue's last row: an interrupted seed then leaves nothing and is redone whole.
 */
export async function seedSampleCatalogueIn(tx: Queryable, options: { generated?: number } = {}): Promise<SeedReport> {
  const works = sampleCatalogue(options.generated ?? DEFAULT_GENERATED_WORKS);
  const repository = new MediaRepository(tx);
  const counts = await repository.insertMissing(works);
  await repository.addExternalIds(CURATED_EXTERNAL_IDS);
  return { ...counts, total: works.length };
}
