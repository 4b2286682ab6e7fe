// The demo population: deterministic generation that respects the attribute rules, and an idempotent
// load into a real (in-memory) PGlite with the project's migrations applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/database.js';
import { migrate } from '../../db/migrations.js';
import { openPglite } from '../../db/pglite-driver.js';
import { ATTRIBUTE_LIMITS, GENDERS, ageOn } from '../../../shared/schemas/attributes.js';
import { DEMO_POPULATION_SETTING, generateDemoPopulation, loadDemoPopulation } from './demo-population.js';

const COUNT = 500;
const TODAY = new Date('2026-03-15T12:00:00Z');

describe('generateDemoPopulation', () => {
  const population = generateDemoPopulation(COUNT, 42, { today: TODAY });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateDemoPopulation(COUNT, 42, { today: TODAY })).toEqual(population);
    const other = generateDemoPopulation(COUNT, 7, { today: TODAY });
    expect(other.members).not.toEqual(population.members);
    expect(other.scrollEvents).not.toEqual(population.scrollEvents);
  });

  it('numbers members demo-00001 onwards', () => {
    expect(population.members).toHaveLength(COUNT);
    expect(population.members[0]?.id).toBe('demo-00001');
    expect(population.members[COUNT - 1]?.id).toBe('demo-00500');
    expect(new Set(population.members.map((member) => member.id)).size).toBe(COUNT);
  });

  it('gives every member valid attributes', () => {
    for (const member of population.members) {
      const age = ageOn(member.birthday, TODAY);
      expect(member.birthday).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(age).toBeGreaterThanOrEqual(18);
      expect(age).toBeLessThanOrEqual(65);
      expect(member.lat).toBeGreaterThanOrEqual(-90);
      expect(member.lat).toBeLessThanOrEqual(90);
      expect(member.lon).toBeGreaterThanOrEqual(-180);
      expect(member.lon).toBeLessThanOrEqual(180);
      expect(member.place).toMatch(/^[^,]+, .+$/);
      expect(member.place.length).toBeLessThanOrEqual(ATTRIBUTE_LIMITS.maxPlaceLength);
      expect(member.displayName.length).toBeLessThanOrEqual(80);
      expect(GENDERS).toContain(member.gender);
      expect(member.seeking.length).toBeGreaterThan(0);
      expect(new Set(member.seeking).size).toBe(member.seeking.length);
      for (const gender of member.seeking) expect(GENDERS).toContain(gender);
      for (const tags of [member.hobbies, member.communities]) {
        expect(tags.length).toBeLessThanOrEqual(ATTRIBUTE_LIMITS.maxTags);
        expect(new Set(tags).size).toBe(tags.length);
        for (const tag of tags) {
          expect(tag.trim().length).toBeGreaterThan(0);
          expect(tag.length).toBeLessThanOrEqual(ATTRIBUTE_LIMITS.maxTagLength);
        }
      }
      expect(member.hobbies.length).toBeGreaterThanOrEqual(3);
      expect(member.hobbies.length).toBeLessThanOrEqual(8);
      expect(member.communities.length).toBeGreaterThanOrEqual(1);
      expect(member.communities.length).toBeLessThanOrEqual(4);
      expect(typeof member.connectors).toBe('object');
      expect(Array.isArray(member.connectors)).toBe(false);
    }
  });

  it('mixes genders, ages and opt-outs close to the targets', () => {
    const share = (predicate: (member: (typeof population.members)[number]) => boolean) =>
      population.members.filter(predicate).length / COUNT;
    expect(share((member) => member.gender === 'woman')).toBeCloseTo(0.48, 1);
    expect(share((member) => member.gender === 'man')).toBeCloseTo(0.48, 1);
    expect(share((member) => member.gender === 'nonbinary')).toBeGreaterThan(0.01);
    expect(share((member) => member.gender === 'nonbinary')).toBeLessThan(0.08);
    const core = share((member) => {
      const age = ageOn(member.birthday, TODAY);
      return age >= 22 && age <= 40;
    });
    expect(core).toBeGreaterThan(0.6);
    expect(share((member) => 'spotify' in member.connectors)).toBeGreaterThan(0.2);
    expect(share((member) => 'spotify' in member.connectors)).toBeLessThan(0.4);
    expect(share((member) => !member.shareInterests)).toBeLessThan(0.1);
    expect(share((member) => member.seeking.length === 1)).toBeGreaterThan(0.8);
  });

  it('creates scroll events between distinct demo members over the last 10 days', () => {
    const ids = new Set(population.members.map((member) => member.id));
    expect(population.scrollEvents.length).toBeGreaterThan(COUNT * 3);
    expect(population.scrollEvents.length).toBeLessThanOrEqual(COUNT * 12);
    const tenDaysAgo = TODAY.getTime() - 10 * 86_400_000;
    const sevenDaysAgo = TODAY.getTime() - 7 * 86_400_000;
    for (const event of population.scrollEvents) {
      expect(ids.has(event.userId) && ids.has(event.targetId)).toBe(true);
      expect(event.userId).not.toBe(event.targetId);
      expect(['dwell', 'scroll_pause']).toContain(event.kind);
      expect(event.dwellMs).toBeGreaterThanOrEqual(300);
      expect(event.dwellMs).toBeLessThanOrEqual(20_000);
      const at = Date.parse(event.occurredAt);
      expect(at).toBeGreaterThanOrEqual(tenDaysAgo);
      expect(at).toBeLessThanOrEqual(TODAY.getTime());
    }
    // Some events must fall outside user_dwell_avg's 7-day window.
    expect(population.scrollEvents.some((event) => Date.parse(event.occurredAt) < sevenDaysAgo)).toBe(true);
  });

  it('handles tiny and invalid counts', () => {
    expect(generateDemoPopulation(0, 42, { today: TODAY })).toEqual({ seed: 42, members: [], scrollEvents: [] });
    expect(generateDemoPopulation(1, 42, { today: TODAY }).scrollEvents).toEqual([]);
    expect(() => generateDemoPopulation(-1)).toThrow(RangeError);
    expect(() => generateDemoPopulation(1.5)).toThrow(RangeError);
  });

  it('places members only in the cities asked for, and refuses unknown ones', () => {
    const cities = ['London', 'Paris'];
    const members = generateDemoPopulation(200, 42, { today: TODAY, cities }).members;
    expect(new Set(members.map((member) => member.place.split(',')[0]))).toEqual(new Set(cities));
    expect(() => generateDemoPopulation(10, 42, { today: TODAY, cities: ['Atlantis'] })).toThrow(RangeError);
    expect(() => generateDemoPopulation(10, 42, { today: TODAY, cities: [] })).toThrow(RangeError);
  });
});

describe('loadDemoPopulation', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openPglite(undefined);
    await migrate(db);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
  });

  async function counts(): Promise<{ members: number; events: number; dwellRows: number }> {
    const result = await db.query<{ members: number; events: number; dwell_rows: number }>(
      `SELECT (SELECT count(*) FROM members WHERE is_demo)::int AS members,
              (SELECT count(*) FROM scroll_events)::int AS events,
              (SELECT count(*) FROM user_dwell_avg)::int AS dwell_rows`,
    );
    const row = result.rows[0];
    if (!row) throw new Error('no counts');
    return { members: row.members, events: row.events, dwellRows: row.dwell_rows };
  }

  it('does nothing for count 0', async () => {
    expect(await loadDemoPopulation(db, 0)).toEqual({ loaded: false, members: 0, scrollEvents: 0 });
    expect((await counts()).members).toBe(0);
  });

  it('loads the population once and refreshes user_dwell_avg', async () => {
    // Event times are relative to the real now, so the view's 7-day window holds some of them.
    const first = await loadDemoPopulation(db, COUNT, { seed: 42 });
    const expected = generateDemoPopulation(COUNT, 42);
    expect(first).toEqual({ loaded: true, members: COUNT, scrollEvents: expected.scrollEvents.length });

    const after = await counts();
    expect(after.members).toBe(COUNT);
    expect(after.events).toBe(first.scrollEvents);
    expect(after.dwellRows).toBeGreaterThan(0);

    const stored = await db.query<{ value: { count: number; seed: number; loadedAt: string } }>(
      `SELECT value FROM engine_settings WHERE key = $1`,
      [DEMO_POPULATION_SETTING],
    );
    expect(stored.rows[0]?.value).toMatchObject({ count: COUNT, seed: 42 });
    expect(Number.isNaN(Date.parse(stored.rows[0]?.value.loadedAt ?? ''))).toBe(false);

    // The stored rows are the generated ones, arrays and JSON included.
    const member = expected.members[0];
    const row = await db.query(
      `SELECT display_name, gender, seeking, birthday, lat, lon, place, hobbies, communities, connectors,
              share_interests, share_behavioural, share_connectors, share_favorites
         FROM members WHERE id = $1`,
      [member?.id],
    );
    expect(row.rows[0]).toEqual({
      display_name: member?.displayName,
      gender: member?.gender,
      seeking: member?.seeking,
      birthday: member?.birthday,
      lat: member?.lat,
      lon: member?.lon,
      place: member?.place,
      hobbies: member?.hobbies,
      communities: member?.communities,
      connectors: member?.connectors,
      share_interests: member?.shareInterests,
      share_behavioural: member?.shareBehavioural,
      share_connectors: member?.shareConnectors,
      share_favorites: member?.shareFavorites,
    });

    const second = await loadDemoPopulation(db, COUNT, { seed: 42 });
    expect(second).toEqual({ loaded: false, members: COUNT, scrollEvents: first.scrollEvents });
    expect(await counts()).toEqual(after);

    // A different count or seed does not load a second population either: the marker is per database.
    expect((await loadDemoPopulation(db, COUNT * 2, { seed: 7 })).loaded).toBe(false);
    expect(await counts()).toEqual(after);
  }, 60_000);
});
