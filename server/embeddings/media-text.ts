// The text a media item is embedded from: title, year, kind and whatever descriptive metadata the
// catalogue holds (genres, synopsis, people). `metadata` is filled by the metadata fetchers in shapes
// that vary by source, so every field is read defensively and anything unexpected is ignored.

export interface MediaForText {
  title: string;
  year: number | null;
  kind: string;
  aliases?: string[];
  metadata: unknown;
}

const KIND_WORDS: Record<string, string> = {
  film: 'film',
  tv: 'tv series',
  recording: 'song recording',
  release_group: 'music album',
  artist: 'music artist',
  book: 'book',
};

export const MAX_MEDIA_TEXT_CHARS = 2000;

/** Strings from a string, an array of strings, or an array of `{ name }` objects. */
function names(value: unknown, limit: number): string[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const out: string[] = [];
  for (const item of items) {
    const name =
      typeof item === 'string'
        ? item
        : item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string'
          ? (item as { name: string }).name
          : undefined;
    if (name && name.trim()) out.push(name.trim());
    if (out.length >= limit) break;
  }
  return out;
}

function firstString(record: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return undefined;
}

export function mediaText(media: MediaForText): string {
  const metadata =
    media.metadata && typeof media.metadata === 'object' && !Array.isArray(media.metadata)
      ? (media.metadata as Record<string, unknown>)
      : {};
  const parts: string[] = [media.year ? `${media.title} (${media.year})` : media.title];
  parts.push(KIND_WORDS[media.kind] ?? media.kind);
  const genres = names(metadata.genres ?? metadata.tags, 10);
  if (genres.length) parts.push(`Genres: ${genres.join(', ')}`);
  const people = names(metadata.people ?? metadata.artists ?? metadata.authors ?? metadata.cast, 10);
  if (people.length) parts.push(`People: ${people.join(', ')}`);
  const synopsis = firstString(metadata, ['synopsis', 'overview', 'description']);
  if (synopsis) parts.push(synopsis);
  return parts.join('. ').slice(0, MAX_MEDIA_TEXT_CHARS);
}
