// The viewer rule every discovery call shares (slate, candidates, rank, explanations): staff may act for
// any viewer by naming them; a member acts only as itself. Kept in one place so the four entry points
// cannot drift, and so a composed call (the slate retrieves candidates) checks it once, at its entry.
import { STAFF } from '../../shared/schemas/roles.js';
import type { Principal } from '../auth/tokens.js';
import { forbidden } from '../errors/domain-errors.js';

export interface ViewerAccess {
  /** The viewer the call is for: the one named, else the caller. */
  viewerId: string;
  /** Staff see scores, traces and other viewers; members see their own view only. */
  isStaff: boolean;
}

export interface ViewerAccessRule {
  /** The input that names the viewer, as the service's callers send it (the edge places it). */
  field: string;
  /** What a member may only do for itself, as the refusal says it: "see its own slate". */
  action: string;
}

/** The viewer the caller may act for, or a `forbidden` error on `field` when a member names someone else. */
export function requireViewerAccess(
  caller: Principal,
  requestedViewerId: string | undefined,
  { field, action }: ViewerAccessRule,
): ViewerAccess {
  const isStaff = STAFF.includes(caller.role);
  const viewerId = requestedViewerId ?? caller.subject;
  if (viewerId !== caller.subject && !isStaff) {
    throw forbidden(field, `role "${caller.role}" may only ${action}`);
  }
  return { viewerId, isStaff };
}
