// The EmbedBatch request check: batch size, the REST limits per item, and messages naming the field.
import { describe, expect, it } from 'vitest';
import { checkEmbedBatch, type ProfileToEmbed } from './embed-batch-request.js';

function profile(fields: Partial<ProfileToEmbed> = {}): ProfileToEmbed {
  return { id: 'p', interests: [], hobbies: ['chess'], communities: [], favorites: [], ...fields };
}

function problemOf(items: ProfileToEmbed[] | undefined): string {
  const check = checkEmbedBatch(items);
  return check.ok ? 'ok' : check.message;
}

describe('checkEmbedBatch', () => {
  it('turns valid items into embed bodies, in order', () => {
    const check = checkEmbedBatch([profile({ id: 'x' }), profile({ id: 'y', favorites: ['tt0083658'] })]);
    expect(check).toEqual({
      ok: true,
      profiles: [
        { id: 'x', body: { interests: [], hobbies: ['chess'], communities: [], favorites: [] } },
        { id: 'y', body: { interests: [], hobbies: ['chess'], communities: [], favorites: ['tt0083658'] } },
      ],
    });
  });

  it('accepts exactly 256 items and the longest allowed values', () => {
    expect(problemOf(Array.from({ length: 256 }, () => profile()))).toBe('ok');
    expect(problemOf([profile({ hobbies: ['x'.repeat(200)], favorites: ['y'.repeat(500)] })])).toBe('ok');
  });

  it('counts characters as code points, like the HTTP validator', () => {
    expect(problemOf([profile({ hobbies: ['🎹'.repeat(200)] })])).toBe('ok');
    expect(problemOf([profile({ hobbies: ['🎹'.repeat(201)] })])).toBe(
      'items[0].hobbies[0]: 201 characters; at most 200',
    );
  });

  it.each([
    { name: 'no items', items: undefined, message: /^items: give at least one/ },
    { name: 'an empty list', items: [], message: /^items: give at least one/ },
    { name: '257 items', items: Array.from({ length: 257 }, () => profile()), message: /^items: 257 profiles/ },
    { name: 'an empty id', items: [profile(), profile({ id: '' })], message: /^items\[1\]\.id: must not be empty/ },
    { name: 'a long id', items: [profile({ id: 'i'.repeat(201) })], message: /^items\[0\]\.id: 201 characters/ },
    {
      name: '51 communities',
      items: [profile({ communities: Array.from({ length: 51 }, (_, i) => `c${i}`) })],
      message: /^items\[0\]\.communities: 51 entries; at most 50$/,
    },
    {
      name: '201 favorites',
      items: [profile({ favorites: Array.from({ length: 201 }, (_, i) => `f${i}`) })],
      message: /^items\[0\]\.favorites: 201 entries; at most 200$/,
    },
    {
      name: 'a favorite too long',
      items: [profile({ favorites: ['f'.repeat(501)] })],
      message: /^items\[0\]\.favorites\[0\]: 501 characters; at most 500$/,
    },
    {
      name: 'an empty interest',
      items: [profile({ interests: ['jazz', ''] })],
      message: /^items\[0\]\.interests\[1\]: must not be empty$/,
    },
    {
      name: 'nothing to embed',
      items: [profile({ hobbies: [] })],
      message: /^items\[0\]: nothing to embed; give at least one of interests, hobbies, communities, favorites$/,
    },
  ])('refuses $name', ({ items, message }) => {
    expect(problemOf(items)).toMatch(message);
  });
});
