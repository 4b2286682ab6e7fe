// Review flags for the review pages' tests: an open flag a reviewer filed that nobody has resolved or
// reported; each test names the member, the time and whatever else it is about.
import type { ReviewFlag } from './review-data.js';

export function openFlag(fields: Pick<ReviewFlag, 'id' | 'viewerId' | 'createdAt'> & Partial<ReviewFlag>): ReviewFlag {
  return {
    viewerName: null,
    candidateId: null,
    candidateName: null,
    slateId: null,
    note: '',
    status: 'open',
    outcome: null,
    createdBy: 'reviewer-1',
    resolvedBy: null,
    resolvedAt: null,
    resolutionNote: null,
    source: 'reviewer',
    reportCount: 0,
    reporterIds: [],
    ...fields,
  };
}
