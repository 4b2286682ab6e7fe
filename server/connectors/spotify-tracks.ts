// The parts of Spotify's saved-tracks page the import reads, checked loosely (Spotify adds fields
// freely), and what a track is looked up by: its ISRC, else title + first artist + release year.
import { parseJsonObject } from '../lib/json-object.js';

export interface SpotifyTrack {
  id: string | null;
  name: string;
  artists: Array<{ name: string }>;
  album?: { release_date?: string | null };
  external_ids?: { isrc?: string | null };
}

export interface SavedTracksPage {
  items: Array<{ added_at?: string; track: SpotifyTrack | null }>;
  next: string | null;
  total: number | null;
}

export interface TrackLookup {
  isrc: string | null;
  title: string;
  artist: string | null;
  year: number | null;
}

function isTrack(value: unknown): value is SpotifyTrack {
  if (!value || typeof value !== 'object') return false;
  const track = value as Record<string, unknown>;
  return typeof track.name === 'string' && Array.isArray(track.artists);
}

/** The page, or null when the body is not one (an HTML page, an error object, a truncated body). */
export function parseSavedTracksPage(body: string): SavedTracksPage | null {
  const page = parseJsonObject(body);
  if (!page) return null;
  if (!Array.isArray(page.items)) return null;
  if (page.next !== null && page.next !== undefined && typeof page.next !== 'string') return null;
  const items = page.items.map((item: unknown) => {
    const record = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>;
    return {
      added_at: typeof record.added_at === 'string' ? record.added_at : undefined,
      // Unavailable or removed tracks come back as null: they are counted, never guessed.
      track: isTrack(record.track) ? record.track : null,
    };
  });
  return { items, next: page.next ?? null, total: typeof page.total === 'number' ? page.total : null };
}

const ISRC = /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/;

/** What a track is matched by; null for tracks with nothing to match (no title). */
export function trackLookup(track: SpotifyTrack | null): TrackLookup | null {
  if (!track || track.name.trim().length === 0) return null;
  const isrc = track.external_ids?.isrc?.trim().toUpperCase().replace(/-/g, '') ?? '';
  const year = Number(track.album?.release_date?.slice(0, 4));
  const artist = track.artists.find((a) => typeof a?.name === 'string' && a.name.trim().length > 0)?.name.trim();
  return {
    isrc: ISRC.test(isrc) ? isrc : null,
    title: track.name.trim().slice(0, 500),
    artist: artist ?? null,
    year: Number.isInteger(year) && year >= 1000 && year <= 3000 ? year : null,
  };
}
