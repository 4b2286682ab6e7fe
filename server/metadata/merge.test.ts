// Merging keeps what other sources and modules wrote, extends name lists, and records each source.
import { describe, expect, it } from 'vitest';
import type { MetadataRecord } from '../../shared/schemas/metadata.js';
import { markNotFound, mergeMetadata, newAliases } from './merge.js';

const record: MetadataRecord = {
  source: 'tmdb',
  sourceId: '550',
  title: 'Fight Club',
  year: 1999,
  genres: ['Drama', 'thriller'],
  synopsis: 'Soap.',
  people: [{ name: 'David Fincher', role: 'director' }],
  language: 'en',
  runtimeMinutes: 139,
  aliases: ['Fight Club', 'El club de la lucha'],
  externalIds: { tmdb: '550', imdb: 'tt0137523' },
  fetchedAt: '2026-11-02T10:00:00.000Z',
};

describe('mergeMetadata', () => {
  it('keeps other keys, unions genres, merges external ids and records the source', () => {
    const existing = {
      genres: ['Thriller', 'Cult'],
      seededBy: 'seed',
      externalIds: { musicbrainz: 'x' },
      sources: { openlibrary: { outcome: 'not_found', fetchedAt: '2026-01-01T00:00:00.000Z' } },
    };
    expect(mergeMetadata(existing, record)).toEqual({
      genres: ['Thriller', 'Cult', 'Drama'],
      seededBy: 'seed',
      synopsis: 'Soap.',
      people: [{ name: 'David Fincher', role: 'director' }],
      language: 'en',
      runtimeMinutes: 139,
      externalIds: { musicbrainz: 'x', tmdb: '550', imdb: 'tt0137523' },
      sources: {
        openlibrary: { outcome: 'not_found', fetchedAt: '2026-01-01T00:00:00.000Z' },
        tmdb: { outcome: 'merged', fetchedAt: '2026-11-02T10:00:00.000Z', sourceId: '550' },
      },
    });
  });

  it('does not blank fields the source leaves empty', () => {
    const merged = mergeMetadata(
      { synopsis: 'kept', people: [{ name: 'A', role: 'author' }] },
      { ...record, synopsis: null, people: [], language: null, runtimeMinutes: undefined },
    );
    expect(merged.synopsis).toBe('kept');
    expect(merged.people).toEqual([{ name: 'A', role: 'author' }]);
    expect(merged).not.toHaveProperty('language');
  });

  it('records a not-found answer without touching the fields', () => {
    expect(markNotFound({ genres: ['x'] }, 'musicbrainz', '2026-11-02T10:00:00.000Z')).toEqual({
      genres: ['x'],
      sources: { musicbrainz: { outcome: 'not_found', fetchedAt: '2026-11-02T10:00:00.000Z' } },
    });
  });
});

describe('newAliases', () => {
  it('adds titles the row does not know, ignoring case and duplicates', () => {
    expect(newAliases('fight club', ['Fight Club (1999)'], record)).toEqual(['El club de la lucha']);
    expect(newAliases('Fight Club: The Film', [], record)).toEqual(['Fight Club', 'El club de la lucha']);
  });
});
