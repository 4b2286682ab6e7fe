import { describe, expect, it } from 'vitest';
import { MAX_MEDIA_TEXT_CHARS, mediaText } from './media-text.js';

describe('media text', () => {
  it('joins title, year, kind, genres, people and synopsis', () => {
    expect(
      mediaText({
        title: 'Blade Runner',
        year: 1982,
        kind: 'film',
        metadata: {
          genres: ['Sci-Fi', { name: 'Thriller' }],
          people: [{ name: 'Ridley Scott' }],
          synopsis: 'Androids.',
        },
      }),
    ).toBe('Blade Runner (1982). film. Genres: Sci-Fi, Thriller. People: Ridley Scott. Androids.');
  });

  it('ignores metadata of unexpected shapes', () => {
    expect(mediaText({ title: 'X', year: null, kind: 'release_group', metadata: 'oops' })).toBe('X. music album');
    expect(
      mediaText({ title: 'X', year: null, kind: 'book', metadata: { genres: [1, null, { name: 2 }], synopsis: 7 } }),
    ).toBe('X. book');
  });

  it('caps the text length', () => {
    const text = mediaText({ title: 'X', year: 2000, kind: 'film', metadata: { synopsis: 'word '.repeat(5000) } });
    expect(text.length).toBe(MAX_MEDIA_TEXT_CHARS);
  });
});
