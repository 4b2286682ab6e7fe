// Autocomplete over the catalogue: the typed text is normalised like every stored title (case,
// accents, punctuation, a leading article), then matched by prefix and trigram similarity.
import type { MediaKind, MediaSearchHit } from '../../shared/schemas/media.js';
import { parseTitle } from '../../shared/media/normalise-title.js';
import { type MediaRepository } from './media.repository.js';

export class MediaSearchService {
  constructor(private readonly media: MediaRepository) {}

  async search(q: string, kind: MediaKind | undefined, limit: number): Promise<MediaSearchHit[]> {
    const key = parseTitle(q).key;
    // Nothing searchable left ("!!!"): no match rather than every title.
    if (!key) return [];
    return this.media.search(key, kind ?? null, limit);
  }
}
