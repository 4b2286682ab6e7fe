// The review queue as the console sees it (shapes from shared/schemas/review.ts): the bodies that file
// and resolve a flag, and the grouping of a flag list by flagged member for the queue page.
// Pure so the shaping is unit-tested apart from the components.
import {
  REVIEW_OUTCOMES,
  type CreateReviewFlagInput,
  type ResolveReviewFlagInput,
  type ReviewFlag,
  type ReviewFlagEvent,
  type ReviewOutcome,
} from '../../../../shared/schemas/review.js';

export { REVIEW_OUTCOMES, type ReviewFlag, type ReviewFlagEvent, type ReviewOutcome };

export const FLAG_STATUSES = ['open', 'resolved'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

/** The POST body for a flag: the whole slate when there is no candidate (the key is left out then). */
export function flagRequestBody(input: {
  viewerId: string;
  slateId: string | null;
  note: string;
  candidateId?: string | null;
}): CreateReviewFlagInput {
  return {
    viewerId: input.viewerId,
    ...(input.candidateId ? { candidateId: input.candidateId } : {}),
    ...(input.slateId ? { slateId: input.slateId } : {}),
    note: input.note.trim(),
  };
}

/** The POST body for a resolution: the note only when there is one (the API refuses an empty note). */
export function resolveRequestBody(outcome: ReviewOutcome, note: string): ResolveReviewFlagInput {
  const trimmed = note.trim();
  return trimmed === '' ? { outcome } : { outcome, note: trimmed };
}

export interface FlagGroup {
  viewerId: string;
  viewerName: string | null;
  flags: ReviewFlag[];
}

function newestFirst(a: ReviewFlag, b: ReviewFlag): number {
  return Date.parse(b.createdAt) - Date.parse(a.createdAt) || a.id - b.id;
}

/**
 * Flags grouped by the flagged member: each group's flags newest first, groups ordered by their newest
 * flag — so a member flagged several times is reviewed in one place.
 */
export function groupFlagsByMember(flags: readonly ReviewFlag[]): FlagGroup[] {
  const groups = new Map<string, FlagGroup>();
  for (const flag of [...flags].sort(newestFirst)) {
    const group = groups.get(flag.viewerId);
    if (group) {
      group.flags.push(flag);
      group.viewerName ??= flag.viewerName ?? null;
    } else {
      groups.set(flag.viewerId, { viewerId: flag.viewerId, viewerName: flag.viewerName ?? null, flags: [flag] });
    }
  }
  return [...groups.values()];
}

/** History oldest first, as a timeline reads. */
export function historyInOrder(history: readonly ReviewFlagEvent[]): ReviewFlagEvent[] {
  return history
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => Date.parse(a.entry.at) - Date.parse(b.entry.at) || a.index - b.index)
    .map(({ entry }) => entry);
}

/** A member shown by name when the API knows it, with the id kept visible (ids are what reviewers search). */
export function memberLabel(id: string, name?: string | null): string {
  return name ? `${name} (${id})` : id;
}
