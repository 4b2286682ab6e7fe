// Autocomplete over the catalogue: the typed text is normalised like every stored title (case,
// accents, punctuation, a leading article), then matched by prefix and trigram similarity.
import type { MediaKind, MediaSearchHit } from '../../shared/schemas/media.js';
import { parseTitle } from '../../shared/media/normalise-title.js';
import type { Queryable } from '../db/database.js';
import { MediaRepository } from './media.repository.js';

export class MediaSearchService {
  private readonly media: MediaRepository;

  constructor(db: Queryable) {
    this.media = new MediaRepository(db);
  }

  async search(q: string, kind: MediaKind | undefined, limit: number): Promise<MediaSearchHit[]> {
    const key = parseTitle(q).key;
    // Nothing searchable left ("!!!"): no match rather than every title.
    if (!key) return [];
    return this.media.search(key, kind ?? null, limit);
  }
}
