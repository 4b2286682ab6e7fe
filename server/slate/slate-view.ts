// What a member sees of their own slate. Ranker scores are left out: the live model is a function of
// the pair features (distance and age gap among them), so a member who moves their own location and
// watches a candidate's score change could solve for the candidate's distance. Members keep the order,
// the sources and the retrieval score (taste cosine and shared tags; no location, no age). Built field by
// field, so a field added to the staff slate later is not shown to members by accident.
import type { CandidateTrace, SlateResponse } from '../../shared/schemas/slate.js';

/** The member view of a slate whose trace already holds only the served candidates. */
export function memberSlateView(slate: SlateResponse): SlateResponse {
  return {
    ...slate,
    slate: slate.slate.map((entry) => ({ userId: entry.userId, position: entry.position, sources: entry.sources })),
    trace: slate.trace.map((entry): CandidateTrace => ({
      userId: entry.userId,
      sources: entry.sources,
      retrievalScore: entry.retrievalScore,
      ranks: entry.ranks,
      removed: null,
      unscored: entry.unscored,
    })),
  };
}
