// Checks an EmbedBatch request against the limits of POST /api/v2/embed (shared/schemas/taste.ts), so a
// profile is accepted or refused the same way over gRPC as over HTTP. Pure: the server maps a returned
// problem to INVALID_ARGUMENT; the message names the field (`items[3].hobbies: ...`).
import { TASTE_LIMITS, type EmbedProfileBody } from '../../shared/schemas/taste.js';

/** Most profiles one call may carry: enough for a bulk job, small enough to answer within a deadline. */
export const MAX_BATCH_ITEMS = 256;
export const MAX_ID_LENGTH = 200;

/** One item as proto-loader decodes it (`arrays: true`, so absent lists are empty). */
export interface ProfileToEmbed {
  id: string;
  interests: string[];
  hobbies: string[];
  communities: string[];
  favorites: string[];
}

export interface ValidProfile {
  id: string;
  body: EmbedProfileBody;
}

export type BatchCheck = { ok: true; profiles: ValidProfile[] } | { ok: false; message: string };

const TEXT_LISTS = ['interests', 'hobbies', 'communities'] as const;

export function checkEmbedBatch(items: readonly ProfileToEmbed[] | undefined): BatchCheck {
  if (!items || items.length === 0) return { ok: false, message: 'items: give at least one profile to embed' };
  if (items.length > MAX_BATCH_ITEMS) {
    return { ok: false, message: `items: ${items.length} profiles; at most ${MAX_BATCH_ITEMS} per call` };
  }
  const profiles: ValidProfile[] = [];
  for (const [index, item] of items.entries()) {
    const problem = itemProblem(item);
    if (problem) return { ok: false, message: `items[${index}]${problem}` };
    profiles.push({
      id: item.id,
      body: {
        interests: item.interests,
        hobbies: item.hobbies,
        communities: item.communities,
        favorites: item.favorites,
      },
    });
  }
  return { ok: true, profiles };
}

/** The first problem of one item, as a field suffix and message (`.hobbies[0]: ...`), or null. */
function itemProblem(item: ProfileToEmbed): string | null {
  if (item.id.length === 0) return '.id: must not be empty; give the key to echo back';
  const idLength = characters(item.id);
  if (idLength > MAX_ID_LENGTH) return `.id: ${idLength} characters; at most ${MAX_ID_LENGTH}`;
  for (const field of TEXT_LISTS) {
    const problem = listProblem(field, item[field], TASTE_LIMITS.textItems, TASTE_LIMITS.textLength);
    if (problem) return problem;
  }
  const favorites = listProblem('favorites', item.favorites, TASTE_LIMITS.favoriteItems, TASTE_LIMITS.favoriteLength);
  if (favorites) return favorites;
  if (TEXT_LISTS.every((field) => item[field].length === 0) && item.favorites.length === 0) {
    return ': nothing to embed; give at least one of interests, hobbies, communities, favorites';
  }
  return null;
}

function listProblem(field: string, values: readonly string[], maxItems: number, maxLength: number): string | null {
  if (values.length > maxItems) return `.${field}: ${values.length} entries; at most ${maxItems}`;
  for (const [index, value] of values.entries()) {
    if (value.length === 0) return `.${field}[${index}]: must not be empty`;
    const length = characters(value);
    if (length > maxLength) return `.${field}[${index}]: ${length} characters; at most ${maxLength}`;
  }
  return null;
}

/** Code points, as the HTTP validator counts `maxLength` (an emoji is one character, not two). */
function characters(value: string): number {
  return Array.from(value).length;
}
