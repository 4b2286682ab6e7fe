// Issue 11: no member-facing response carries another member's exact location, birthday, distance or
// age gap. A member with a distinctive location and birthday is planted next to the viewer, served to
// them in a slate (so every route that may talk about her does), and then every route a member may call
// (the route catalog with its examples, plus the ones about her: why, slate, candidates, rank, feedback,
// matches, GraphQL `me`) is called with the viewer's member token. No body may contain her coordinates,
// her birthday, the exact viewer–member distance (the haversine the features use) or the exact age gap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDistance } from '../../server/explain/reasons.js';
import { distanceKm } from '../../server/lib/great-circle.js';
import type { SlateResponse } from '../../shared/schemas/slate.js';
import { databaseKinds } from '../support/databases.js';
import { profileRankerModel } from '../support/profile-ranker-model.js';
import { exampleFor, startAppForRouteWalk } from '../support/route-walk.js';
import { bearer, validAttributes, type TestApp } from '../support/test-app.js';
import { registerRanker } from '../support/register-ranker.js';

const PLANTED = 'leak-planted-member';
const PLANTED_LAT = 48.137154;
const PLANTED_LON = 11.576124;
const PLANTED_BIRTHDAY = '1987-06-23';
/** The viewer (the walk's member subject) moves close to the planted member, so she is served. */
const VIEWER = 'member-1';
const VIEWER_NEAR = { lat: 48.2, lon: 11.7, place: 'Unterföhring' };
const DAY_MS = 86_400_000;

/** The age gap exactly as pair features compute it (years of 365.2425 days). */
function ageGapYears(a: string, b: string): number {
  return Math.abs(Date.parse(a) - Date.parse(b)) / (365.2425 * DAY_MS);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A number printed with 1–3 decimals, rounded or cut, not inside a longer number. */
function numberPatterns(value: number): RegExp[] {
  const patterns: RegExp[] = [];
  for (const decimals of [1, 2, 3]) {
    const rounded = value.toFixed(decimals);
    const cut = (Math.trunc(value * 10 ** decimals) / 10 ** decimals).toFixed(decimals);
    patterns.push(new RegExp(`(?<![\\d.])${escape(rounded)}(?!\\d)`));
    patterns.push(new RegExp(`(?<![\\d.])${escape(cut)}`));
  }
  return patterns;
}

/**
 * The text searched: the body without values that can collide with a needle by chance and say nothing
 * about a member — uuids (hex may contain "1987"), ISO timestamps (seconds.millis) and stopwatch timings.
 */
function searchable(body: string): string {
  let text = body;
  try {
    text = JSON.stringify(JSON.parse(body), (key, value: unknown) => (key === 'timings' ? undefined : value));
  } catch {
    // Not JSON (the docs' static files): searched as is.
  }
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?/g, '<time>');
}

describe.each(databaseKinds)('member-facing responses never leak another member’s location or age [%s]', (kind) => {
  let t: TestApp;
  let token: string;
  const bodies: Array<{ route: string; status: number; body: string }> = [];

  async function call(route: string, method: string, url: string, payload?: unknown) {
    const response = await t.app.inject({
      method: method as 'GET',
      url,
      headers: bearer(token),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    bodies.push({ route, status: response.statusCode, body: response.body });
    return response;
  }

  beforeAll(async () => {
    t = await startAppForRouteWalk(kind);
    token = await t.token('member', VIEWER);
    // A live model whose top reasons are distance and age gap: an explanation would name their values.
    await registerRanker(t.app.engine.models, 'leak-profile-model', profileRankerModel());
    await t.app.engine.models.promote('leak-profile-model', 'live', 'test');
    await t.scratch.db.query(
      `INSERT INTO members (id, display_name, gender, seeking, birthday, lat, lon, place, hobbies, last_active_at)
       VALUES ($1, 'Planted', 'man', ARRAY['woman'], $2, $3, $4, 'Marienplatz', ARRAY['climbing'], now())`,
      [PLANTED, PLANTED_BIRTHDAY, PLANTED_LAT, PLANTED_LON],
    );
    const moved = await t.app.inject({
      method: 'PUT',
      url: '/api/v2/users/me/attributes',
      headers: bearer(token),
      payload: { ...validAttributes(), location: VIEWER_NEAR },
    });
    expect(moved.statusCode, moved.body).toBeLessThan(300);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('slate: a member’s own slate carries no ranker score (it could be solved for distance or age gap)', async () => {
    const response = await call('slate', 'GET', '/api/v2/discovery/slate?limit=50');
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<SlateResponse>();
    const planted = body.slate.find((entry) => entry.userId === PLANTED);
    expect(planted).toBeDefined();
    expect(planted).not.toHaveProperty('score');
    expect(body.trace.find((entry) => entry.userId === PLANTED)).not.toHaveProperty('rankerScore');
  });

  it('never shows a member the planted member’s coordinates, birthday, exact distance or exact age gap', async () => {
    // She is served to the viewer: the slate is what entitles the viewer to ask about her.
    const slate = await call('slate', 'GET', '/api/v2/discovery/slate?limit=50');
    expect(slate.statusCode, slate.body).toBe(200);
    const served = slate.json<SlateResponse>();
    expect(served.slate.map((entry) => entry.userId)).toContain(PLANTED);

    const why = await call('why', 'GET', `/api/v2/discovery/why/${PLANTED}`);
    expect(why.statusCode, why.body).toBe(200);
    expect(why.json<{ features: Array<{ name: string }> }>().features.map((f) => f.name)).toContain('distance_km');
    await call('candidates', 'GET', '/api/v2/discovery/candidates?k=50');
    await call('rank', 'POST', '/api/v2/discovery/rank', { viewerId: VIEWER, candidateIds: [PLANTED] });
    // She liked the viewer; the viewer's like makes a match, which the matches list then shows.
    await t.scratch.db.query(`INSERT INTO swipes (viewer_id, target_id, action) VALUES ($1, $2, 'like')`, [
      PLANTED,
      VIEWER,
    ]);
    const liked = await call('feedback', 'POST', '/api/v2/discovery/feedback', {
      targetId: PLANTED,
      action: 'like',
      slateId: served.slateId,
    });
    expect(liked.statusCode, liked.body).toBe(201);
    const matches = await call('matches', 'GET', '/api/v2/discovery/matches');
    expect(matches.json<Array<{ userId: string }>>().map((match) => match.userId)).toContain(PLANTED);
    await call('graphql me', 'POST', '/graphql', {
      query: '{ me { memberId birthday hobbies location { lat lon place } connectors seeking } }',
    });

    // Then every route a member may call, with its example request.
    for (const route of t.app.routeCatalog) {
      if (route.access !== 'public' && !route.access.includes('member')) continue;
      const example = exampleFor(route.method, route.url);
      if (example.unavailable) continue;
      const url = typeof example.url === 'function' ? example.url('member') : (example.url ?? route.url);
      const payload = example.payloadFor ? example.payloadFor('member') : example.payload;
      const response = await t.app.inject({
        method: route.method as 'GET',
        url,
        headers: { ...example.headers, ...bearer(token) },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      bodies.push({ route: `${route.method} ${route.url}`, status: response.statusCode, body: response.body });
    }
    // The walk's attribute example moves the viewer back to Berlin: explain her again from there.
    await call('why after the walk', 'GET', `/api/v2/discovery/why/${PLANTED}`);

    const berlin = validAttributes().location as { lat: number; lon: number };
    const needles: Array<[string, RegExp]> = [
      ...['48.137', '48.1371', '11.576', '11.5761'].map(
        (digits) => [`coordinate ${digits}`, new RegExp(`(?<!\\d)${escape(digits)}`)] as [string, RegExp],
      ),
      ...['1987-06-23', '1987-06', '23.06.1987', '06/23/1987', '23/06/1987', '19870623'].map(
        (text) => [`birthday ${text}`, new RegExp(escape(text))] as [string, RegExp],
      ),
      ['birth year 1987', /(?<![\w.-])1987(?![\w.])/],
      ...[VIEWER_NEAR, berlin].flatMap(({ lat, lon }) => {
        const km = distanceKm(lat, lon, PLANTED_LAT, PLANTED_LON);
        return [
          ...numberPatterns(km),
          // The staff wording ("12 km away"): whole kilometres are enough to trilaterate.
          new RegExp(`(?<![\\d.])${escape(formatDistance(km))}`),
        ].map((pattern) => [`distance from ${lat},${lon} (${pattern.source})`, pattern] as [string, RegExp]);
      }),
      ...numberPatterns(ageGapYears(validAttributes().birthday as string, PLANTED_BIRTHDAY)).map(
        (pattern) => [`age gap (${pattern.source})`, pattern] as [string, RegExp],
      ),
    ];
    const leaks: string[] = [];
    for (const { route, status, body } of bodies) {
      const text = searchable(body);
      for (const [name, pattern] of needles) {
        const found = pattern.exec(text);
        if (found) {
          const around = text.slice(Math.max(0, found.index - 60), found.index + 40);
          leaks.push(`${route} (${status}) shows the ${name}: …${around}…`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });
});
