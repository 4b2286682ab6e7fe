// The realtime user_behavior channel as clients see it (docs/realtime.md): the stream's query (filters and
// the resume point) and the two shapes of an event's `data` — staff see who did what to whom, a member
// sees only the other member's id.
import { Type, type Static } from '@sinclair/typebox';

export const BEHAVIOR_EVENT_KINDS = ['like', 'superlike', 'pass', 'block', 'report', 'match'] as const;
export type BehaviorEventKind = (typeof BEHAVIOR_EVENT_KINDS)[number];

/** What a member is told about: likes received and matches, never passes, blocks or reports. */
export const MEMBER_VISIBLE_KINDS: readonly BehaviorEventKind[] = ['like', 'superlike', 'match'];

/** An event id: the decimal of a Postgres bigint. */
const EVENT_ID_PATTERN = '^[0-9]{1,18}$';

export const UserBehaviorQuery = Type.Object(
  {
    kinds: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: `comma-separated event kinds to receive (${BEHAVIOR_EVENT_KINDS.join(', ')}); default all the caller may see`,
      }),
    ),
    memberId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        description: 'staff only: events whose actor or target is this member',
      }),
    ),
    lastEventId: Type.Optional(
      Type.String({
        pattern: EVENT_ID_PATTERN,
        description: 'resume after this event id (the Last-Event-ID header wins when both are sent)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type UserBehaviorQuery = Static<typeof UserBehaviorQuery>;

export const UserBehaviorHeaders = Type.Object({
  'last-event-id': Type.Optional(
    Type.String({ pattern: EVENT_ID_PATTERN, description: 'the id of the last event received; resumes after it' }),
  ),
});

/** `data` of an event on a staff stream. */
export const StaffBehaviorEvent = Type.Object({
  id: Type.String(),
  kind: Type.Union(BEHAVIOR_EVENT_KINDS.map((kind) => Type.Literal(kind))),
  /** Who swiped; for a match, the member whose like completed it. */
  actorId: Type.String(),
  targetId: Type.String(),
  slateId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export type StaffBehaviorEvent = Static<typeof StaffBehaviorEvent>;

/** `data` of an event on a member's stream: a like or superlike received, or a match. */
export const MemberBehaviorEvent = Type.Object({
  id: Type.String(),
  kind: Type.Union(MEMBER_VISIBLE_KINDS.map((kind) => Type.Literal(kind))),
  /** The other member: who liked the caller, or whom the caller matched with. */
  memberId: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type MemberBehaviorEvent = Static<typeof MemberBehaviorEvent>;
