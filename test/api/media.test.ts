// The media catalogue on real databases: autocomplete through the API, canonicalise, the idempotent
// sample seed and the catalogue importer (CSV and MovieLens layouts, upsert semantics, rejections).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kindsForMediaId } from '../../shared/schemas/media.js';
import { canonicalise } from '../../server/media/canonicalise.js';
import { importCatalogue } from '../../server/offline/catalogue/media-import.js';
import { MediaRepository } from '../../server/media/media.repository.js';
import { sampleCatalogue, seedSampleCatalogue } from '../../server/offline/catalogue/sample-catalogue.js';
import { databaseKinds } from '../support/databases.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

const SEARCH = '/api/v2/media/search';

describe('the sample catalogue (pure generation)', () => {
  it('holds at least 50,000 distinct, valid ids, curated real ones included', () => {
    const works = sampleCatalogue();
    const ids = new Set(works.map((work) => work.id));
    expect(ids.size).toBe(works.length);
    expect(ids.size).toBeGreaterThanOrEqual(50_000);
    for (const id of ['tt0083658', 'tt0133093', 'tt0110912', 'ol:OL27448W']) expect(ids.has(id)).toBe(true);
    const invalid = works.filter((work) => !kindsForMediaId(work.id)?.includes(work.kind));
    expect(invalid).toEqual([]);
    const kinds = new Set(works.map((work) => work.kind));
    expect([...kinds].sort()).toEqual(['artist', 'book', 'film', 'recording', 'release_group', 'tv']);
  });

  it('is deterministic', () => {
    expect(sampleCatalogue(500)).toEqual(sampleCatalogue(500));
  });
});

describe.each(databaseKinds)('media catalogue [%s]', (kind) => {
  let t: TestApp;
  let headers: Record<string, string>;
  let seeded: Awaited<ReturnType<typeof seedSampleCatalogue>>;
  let folder: string;
  beforeAll(async () => {
    t = await startTestApp(kind);
    seeded = await seedSampleCatalogue(t.scratch.db, { generated: 2_000 });
    headers = bearer(await t.token('member', 'searcher'));
    folder = mkdtempSync(path.join(tmpdir(), 'sde-media-import-'));
  });
  afterAll(async () => {
    await t?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('seeds idempotently: a second run adds nothing and collides on nothing', async () => {
    expect(seeded.added).toBe(seeded.total);
    const again = await seedSampleCatalogue(t.scratch.db, { generated: 2_000 });
    expect(again).toEqual({ added: 0, updated: 0, unchanged: seeded.total, total: seeded.total });
    expect(await new MediaRepository(t.scratch.db).count()).toBe(seeded.total);
  });

  it('finds a title by prefix, best first', async () => {
    const response = await t.app.inject({ method: 'GET', url: `${SEARCH}?q=blade%20ru`, headers });
    expect(response.statusCode).toBe(200);
    const hits = response.json();
    expect(hits[0]).toEqual({
      id: 'tt0083658',
      kind: 'film',
      title: 'Blade Runner',
      year: 1982,
      score: expect.any(Number),
    });
    expect(hits.length).toBeLessThanOrEqual(10);
  });

  it('ranks the whole title first and ignores case, accents and the article', async () => {
    const response = await t.app.inject({ method: 'GET', url: `${SEARCH}?q=THE%20MATRIX`, headers });
    const hits = response.json();
    expect(hits[0]).toMatchObject({ id: 'tt0133093', score: 1 });
    expect(hits.map((hit: { id: string }) => hit.id)).toContain('tt0234215'); // The Matrix Reloaded
    const amelie = await t.app.inject({ method: 'GET', url: `${SEARCH}?q=amelie`, headers });
    expect(amelie.json()[0]).toMatchObject({ id: 'tt0211915', title: 'Amélie' });
  });

  it('tolerates a typo and filters by kind', async () => {
    const typo = await t.app.inject({ method: 'GET', url: `${SEARCH}?q=pulp%20fictoin`, headers });
    expect(typo.json()[0]).toMatchObject({ id: 'tt0110912' });
    const books = await t.app.inject({ method: 'GET', url: `${SEARCH}?q=lord%20of%20the%20rings&kind=book`, headers });
    expect(books.json().length).toBeGreaterThan(0);
    expect(books.json().every((hit: { kind: string }) => hit.kind === 'book')).toBe(true);
    expect(books.json()[0]).toMatchObject({ id: 'ol:OL27448W' });
  });

  it('returns at most `limit` results, sorted by score', async () => {
    const response = await t.app.inject({ method: 'GET', url: `${SEARCH}?q=the&limit=20`, headers });
    const hits = response.json();
    expect(hits.length).toBe(20);
    const scores = hits.map((hit: { score: number }) => hit.score);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
  });

  it('answers an empty list when nothing is searchable or nothing matches', async () => {
    for (const q of ['%21%21%21', 'zzqxjv']) {
      const response = await t.app.inject({ method: 'GET', url: `${SEARCH}?q=${q}`, headers });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual([]);
    }
  });

  it.each([
    ['no q', '', /^querystring\.q is required/],
    ['an empty q', '?q=', /^querystring\.q must NOT have fewer than 1 characters/],
    ['a 201-character q', `?q=${'a'.repeat(201)}`, /^querystring\.q must NOT have more than 200/],
    ['limit 0', '?q=blade&limit=0', /^querystring\.limit must be >= 1/],
    ['limit 21', '?q=blade&limit=21', /^querystring\.limit must be <= 20/],
    ['an unsupported kind', '?q=blade&kind=podcast', /^querystring\.kind/],
    ['an unknown parameter', '?q=blade&sort=year', /^querystring\.sort is not a known field/],
  ])('answers 400 naming the parameter for %s', async (_name, query, message) => {
    const response = await t.app.inject({ method: 'GET', url: `${SEARCH}${query}`, headers });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(message);
  });

  describe('canonicalise', () => {
    it.each([
      ['Blade Runner (Final Cut)', 'tt0083658'],
      ["Blade Runner - Director's Cut", 'tt0083658'],
      ['blade runer', 'tt0083658'],
      ['Matrix, The (1999)', 'tt0133093'],
      ['matrix', 'tt0133093'],
      ['Le Fabuleux Destin d’Amélie Poulain', 'tt0211915'],
      ['Seven', 'tt0114369'],
      ['Star Wars: Episode IV - A New Hope (Special Edition)', 'tt0076759'],
    ])('%s → %s', async (title, id) => {
      expect(await canonicalise(t.scratch.db, title)).toMatchObject({ id, confidence: expect.any(Number) });
    });

    it('uses the year to choose between works of the same title', async () => {
      const media = new MediaRepository(t.scratch.db);
      await media.upsert([
        { id: 'tt9900000001', kind: 'film', title: 'Solaris', year: 1972 },
        { id: 'tt9900000002', kind: 'film', title: 'Solaris', year: 2002 },
      ]);
      expect((await canonicalise(t.scratch.db, 'Solaris (2002)'))?.id).toBe('tt9900000002');
      expect((await canonicalise(t.scratch.db, 'Solaris', { year: 1972 }))?.id).toBe('tt9900000001');
    });

    it('uses kind and artist hints for recordings', async () => {
      const media = new MediaRepository(t.scratch.db);
      const cover = 'mb:recording:5de00000-0000-0000-0000-0000000f0001';
      await media.upsert([
        { id: cover, kind: 'recording', title: 'Thinking Out Loud', year: 2015, credit: 'Piano Covers Club' },
      ]);
      const original = 'mb:recording:cb2cc207-8125-445c-9ef9-6ea44eee959a';
      expect(
        (
          await canonicalise(t.scratch.db, 'Thinking Out Loud - Remastered', {
            kind: 'recording',
            artist: 'Ed Sheeran',
          })
        )?.id,
      ).toBe(original);
      expect(
        (await canonicalise(t.scratch.db, 'Thinking Out Loud', { kind: ['recording'], artist: 'piano covers club' }))
          ?.id,
      ).toBe(cover);
      expect(await canonicalise(t.scratch.db, 'Thinking Out Loud', { kind: 'book' })).toBeNull();
    });

    it('returns null below the confidence threshold', async () => {
      expect(await canonicalise(t.scratch.db, 'qzxv wplkj vvvq')).toBeNull();
      expect(await canonicalise(t.scratch.db, '!!!')).toBeNull();
    });

    it('finds a recording by its ISRC', async () => {
      const found = await new MediaRepository(t.scratch.db).findByExternalId('isrc', 'GBAHS1400099');
      expect(found).toMatchObject({ id: 'mb:recording:cb2cc207-8125-445c-9ef9-6ea44eee959a', kind: 'recording' });
      expect(await new MediaRepository(t.scratch.db).findByExternalId('isrc', 'XX0000000000')).toBeNull();
    });
  });

  describe('import', () => {
    it('upserts a CSV catalogue, keeps metadata, and reports rejected rows with line and reason', async () => {
      const file = path.join(folder, 'catalogue.csv');
      writeFileSync(
        file,
        [
          'id,kind,title,year,aliases',
          'tt9800000001,film,Harbor Lights,1961,Lumières du port|Harbour Lights',
          'tt9800000002,tv,Harbor Nights,,',
          'tt9800000001,film,Repeated,1961,',
          'mb:artist:not-a-uuid,artist,Broken,,',
          'ol:OL9800000001W,film,Book id as film,2001,',
          'tt9800000003,podcast,Wrong kind,2001,',
          'tt9800000004,film,Bad year,19x1,',
          'tt9800000005,film,,2001,',
        ].join('\n'),
      );
      const first = await importCatalogue(t.scratch.db, 'csv', file);
      expect(first).toMatchObject({ added: 2, updated: 0, unchanged: 0 });
      expect(first.rejected).toEqual([
        { line: 4, reason: 'id "tt9800000001" already given on line 2' },
        { line: 5, reason: expect.stringContaining('is not a media id') },
        { line: 6, reason: 'id "ol:OL9800000001W" names a book, not a film' },
        { line: 7, reason: expect.stringContaining('kind "podcast"') },
        { line: 8, reason: expect.stringContaining('year "19x1"') },
        { line: 9, reason: 'title is empty' },
      ]);
      expect((await canonicalise(t.scratch.db, 'lumieres du port'))?.id).toBe('tt9800000001');

      await t.scratch.db.query(`UPDATE media SET metadata = '{"genres":["noir"]}' WHERE id = 'tt9800000001'`);
      writeFileSync(
        file,
        'id,kind,title,year,aliases\ntt9800000001,film,Harbour Lights,1962,\ntt9800000002,tv,Harbor Nights,,\n',
      );
      const second = await importCatalogue(t.scratch.db, 'csv', file);
      expect(second).toMatchObject({ added: 0, updated: 1, unchanged: 1, rejected: [] });
      const updated = await new MediaRepository(t.scratch.db).findById('tt9800000001');
      expect(updated).toMatchObject({
        title: 'Harbour Lights',
        year: 1962,
        aliases: [],
        metadata: { genres: ['noir'] },
      });
      // The old alias no longer matches.
      expect((await canonicalise(t.scratch.db, 'lumieres du port'))?.id).not.toBe('tt9800000001');
    });

    it('imports the MovieLens layout: no header, CRLF, links to IMDb ids, trailing articles and years', async () => {
      const movielens = path.join(folder, 'movielens');
      rmSync(movielens, { recursive: true, force: true });
      writeFileSync(path.join(folder, 'placeholder'), '');
      const { mkdirSync } = await import('node:fs');
      mkdirSync(movielens);
      writeFileSync(
        path.join(movielens, 'movies.csv'),
        [
          '900001,"Harbor, The (1971)",Drama',
          '900002,"Lighthouse Keepers, The (Gardiens du phare, Les) (1929)",Drama',
          '900003,Unlinked Film (1990),Drama',
          '900004,Harbor Series (1975-1979),Comedy',
        ].join('\r\n') + '\r\n',
      );
      writeFileSync(
        path.join(movielens, 'links.csv'),
        'movieId,imdbId,tmdbId\r\n900001,9700001,1\r\n900002,9700002,\r\n900004,9700004,4\r\n',
      );
      const report = await importCatalogue(t.scratch.db, 'movielens', path.join(movielens, 'movies.csv'));
      expect(report).toMatchObject({ added: 3, updated: 0 });
      expect(report.rejected).toEqual([{ line: 3, reason: 'movieId 900003 has no imdbId in links.csv' }]);
      const media = new MediaRepository(t.scratch.db);
      expect(await media.findById('tt9700001')).toMatchObject({ title: 'The Harbor', year: 1971, kind: 'film' });
      expect(await media.findById('tt9700002')).toMatchObject({
        title: 'The Lighthouse Keepers',
        year: 1929,
        aliases: ['Les Gardiens du phare'],
      });
      expect(await media.findById('tt9700004')).toMatchObject({ title: 'Harbor Series', year: 1975 });
      expect(await media.findByExternalId('movielens', '900001')).toMatchObject({ id: 'tt9700001' });
      expect(await media.findByExternalId('tmdb_movie', '4')).toMatchObject({ id: 'tt9700004' });
      const again = await importCatalogue(t.scratch.db, 'movielens', path.join(movielens, 'movies.csv'));
      expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 3 });
    });

    it('fails only on unreadable input', async () => {
      await expect(importCatalogue(t.scratch.db, 'csv', path.join(folder, 'missing.csv'))).rejects.toThrow(/not found/);
      const headerless = path.join(folder, 'headerless.csv');
      writeFileSync(headerless, 'tt0083658,film,Blade Runner,1982,\n');
      await expect(importCatalogue(t.scratch.db, 'csv', headerless)).rejects.toThrow(
        /header must name id, kind and title/,
      );
    });
  });
});
