// Resolves a Spotify track to a catalogue recording: by ISRC when the catalogue knows it (exact), else
// by title + first artist + year through canonicalise. A track that resolves to nothing stays
// unmatched — the import never invents a catalogue entry.
import type { Queryable } from '../db/database.js';
import { canonicalise } from '../media/canonicalise.js';
import { MediaRepository } from '../media/media.repository.js';
import type { TrackLookup } from './spotify-tracks.js';

export interface TrackMatch {
  mediaId: string;
  by: 'isrc' | 'title';
}

export class TrackMatcher {
  private readonly media: MediaRepository;

  constructor(private readonly db: Queryable) {
    this.media = new MediaRepository(db);
  }

  async match(lookup: TrackLookup): Promise<TrackMatch | null> {
    if (lookup.isrc) {
      const record = await this.media.findByExternalId('isrc', lookup.isrc);
      if (record?.kind === 'recording') return { mediaId: record.id, by: 'isrc' };
    }
    const match = await canonicalise(this.db, lookup.title, {
      kind: 'recording',
      artist: lookup.artist ?? undefined,
      year: lookup.year ?? undefined,
    });
    return match?.kind === 'recording' ? { mediaId: match.id, by: 'title' } : null;
  }
}
