// Who may see which behaviour event, and in what shape — one rule for the live feed and for replays.
// Staff see every member's swipes and matches (narrowed by their filters). A member sees only what is
// about them and theirs to know: likes and superlikes they received and their matches, naming the other
// member by id alone; never passes, blocks or reports, never another pair's events, and nothing between a
// pair a block or report separates (either way) or that involves a deleted member.
import {
  BEHAVIOR_EVENT_KINDS,
  MEMBER_VISIBLE_KINDS,
  type BehaviorEventKind,
  type MemberBehaviorEvent,
  type StaffBehaviorEvent,
} from '../../shared/schemas/realtime.js';
import type { BehaviorEvent } from './behavior-events.repository.js';

export type BehaviorAudience =
  | { role: 'staff'; kinds: readonly BehaviorEventKind[]; memberId?: string }
  | { role: 'member'; kinds: readonly BehaviorEventKind[]; memberId: string };

export type VisibleBehaviorEvent = StaffBehaviorEvent | MemberBehaviorEvent;

/** The event as `audience` may see it, or null when it may not. */
export function visibleTo(audience: BehaviorAudience, event: BehaviorEvent): VisibleBehaviorEvent | null {
  if (!audience.kinds.includes(event.kind)) return null;
  if (audience.role === 'staff') {
    if (audience.memberId !== undefined && audience.memberId !== event.actorId && audience.memberId !== event.targetId)
      return null;
    return {
      id: event.id.toString(),
      kind: event.kind,
      actorId: event.actorId,
      targetId: event.targetId,
      slateId: event.slateId,
      createdAt: event.createdAt,
    };
  }
  if (event.hiddenFromMembers) return null;
  const me = audience.memberId;
  let other: string;
  if (event.kind === 'match' && (event.actorId === me || event.targetId === me)) {
    other = event.actorId === me ? event.targetId : event.actorId;
  } else if ((event.kind === 'like' || event.kind === 'superlike') && event.targetId === me) {
    other = event.actorId;
  } else {
    return null;
  }
  return { id: event.id.toString(), kind: event.kind, memberId: other, createdAt: event.createdAt };
}

/** Every kind the audience's role may receive: the default when the caller names none. */
export function kindsVisibleTo(role: BehaviorAudience['role']): readonly BehaviorEventKind[] {
  return role === 'staff' ? BEHAVIOR_EVENT_KINDS : MEMBER_VISIBLE_KINDS;
}
