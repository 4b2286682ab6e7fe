// Behaviour events as a member's client posts them (POST /api/v2/events): scroll pauses and dwell times
// on the cards of a slate it was served, in batches, each with the client's own id so a retry is harmless.
import { Type, type Static } from '@sinclair/typebox';
import { SLATE_LIMITS } from './slate.js';

export const BEHAVIOUR_EVENT_TYPES = ['scroll_pause', 'dwell_time'] as const;
export type BehaviourEventType = (typeof BEHAVIOUR_EVENT_TYPES)[number];

export const BEHAVIOUR_EVENT_LIMITS = {
  maxEvents: 100,
  maxClientEventIdLength: 128,
  /** An hour: longer is a tab left open, not attention. The scroll_events check says the same. */
  maxDurationMs: 3_600_000,
} as const;

export const BehaviourEvent = Type.Object(
  {
    clientEventId: Type.String({
      minLength: 1,
      maxLength: BEHAVIOUR_EVENT_LIMITS.maxClientEventIdLength,
      description: 'the client’s id for this event, unique per member: a retried event with it is stored once',
    }),
    // An enum rather than a union of literals, so a bad value reads "must be equal to one of the allowed values".
    type: Type.Unsafe<BehaviourEventType>({
      type: 'string',
      enum: [...BEHAVIOUR_EVENT_TYPES],
      description: 'scroll_pause (the card held the view) or dwell_time (how long it was in view)',
    }),
    // The pattern refuses the `urn:uuid:` prefix the uuid format allows and Postgres does not.
    slateId: Type.String({
      format: 'uuid',
      pattern: '^[0-9a-fA-F-]{36}$',
      description: 'a slate served to the caller',
    }),
    position: Type.Integer({
      minimum: 1,
      maximum: SLATE_LIMITS.maxLimit,
      description: 'the card’s `position` in that slate’s response (1-based, as the slate shows it)',
    }),
    durationMs: Type.Integer({ minimum: 0, maximum: BEHAVIOUR_EVENT_LIMITS.maxDurationMs }),
    occurredAt: Type.String({ format: 'date-time', description: 'when it happened, by the client’s clock' }),
  },
  { additionalProperties: false },
);
export type BehaviourEvent = Static<typeof BehaviourEvent>;

export const BehaviourEventBatch = Type.Object(
  { events: Type.Array(BehaviourEvent, { minItems: 1, maxItems: BEHAVIOUR_EVENT_LIMITS.maxEvents }) },
  { additionalProperties: false },
);
export type BehaviourEventBatch = Static<typeof BehaviourEventBatch>;

/** Why events of an accepted batch were not stored. */
export const BEHAVIOUR_SKIP_REASONS = ['behavioural_sharing_off'] as const;

export const BehaviourEventsResult = Type.Object(
  {
    received: Type.Integer({ minimum: 0 }),
    stored: Type.Integer({ minimum: 0, description: 'events stored now' }),
    duplicates: Type.Integer({ minimum: 0, description: 'events whose clientEventId was stored before' }),
    skipped: Type.Integer({ minimum: 0, description: 'events not stored because of a privacy setting' }),
    reason: Type.Union(
      [
        Type.Unsafe<(typeof BEHAVIOUR_SKIP_REASONS)[number]>({ type: 'string', enum: [...BEHAVIOUR_SKIP_REASONS] }),
        Type.Null(),
      ],
      {
        description: 'why events were skipped; null when none were',
      },
    ),
  },
  { additionalProperties: false },
);
export type BehaviourEventsResult = Static<typeof BehaviourEventsResult>;
