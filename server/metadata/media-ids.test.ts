// Media ids route to the right source with the source's own id; anything else is refused.
import { describe, expect, it } from 'vitest';
import { metadataTargetOf } from './media-ids.js';

describe('metadataTargetOf', () => {
  it.each([
    ['tt0137523', { source: 'tmdb', imdbId: 'tt0137523' }],
    [
      'mb:recording:CB2CC207-8125-445c-9ef9-6ea44eee959a',
      { source: 'musicbrainz', entity: 'recording', mbid: 'cb2cc207-8125-445c-9ef9-6ea44eee959a' },
    ],
    [
      'mb:release-group:f5093c06-23e3-404f-aeaa-40f72885ee3a',
      { source: 'musicbrainz', entity: 'release-group', mbid: 'f5093c06-23e3-404f-aeaa-40f72885ee3a' },
    ],
    ['ol:OL3616800W', { source: 'openlibrary', workId: 'OL3616800W' }],
  ])('routes %s', (id, target) => {
    expect(metadataTargetOf(id)).toEqual(target);
  });

  it.each(['tt123', 'tt0137523x', 'mb:work:cb2cc207-8125-445c-9ef9-6ea44eee959a', 'mb:recording:nope', 'ol:OL1M', ''])(
    'refuses %j',
    (id) => {
      expect(metadataTargetOf(id)).toBeNull();
    },
  );
});
