// A member's privacy settings as GET/PATCH /api/v2/discovery/privacy and the GraphQL `privacy` field see
// them: one switch per feature group, when it last changed, and what a change set in motion.
import { Type, type Static } from '@sinclair/typebox';

/** The feature groups a member can withhold (the same list the pair features mask by). */
export const PRIVACY_GROUPS = ['interests', 'behavioural', 'connectors', 'favorites'] as const;
export type PrivacyGroup = (typeof PRIVACY_GROUPS)[number];

export const PrivacyPatch = Type.Object(
  {
    interests: Type.Optional(Type.Boolean({ description: 'hobbies and communities' })),
    behavioural: Type.Optional(Type.Boolean({ description: 'scroll and dwell events, swipe-derived features' })),
    connectors: Type.Optional(Type.Boolean({ description: 'connected accounts (Spotify) and what they import' })),
    favorites: Type.Optional(Type.Boolean({ description: 'favorites and the taste vector built from them' })),
  },
  { $id: 'PrivacyPatch', additionalProperties: false },
);
export type PrivacyPatch = Static<typeof PrivacyPatch>;

export const PrivacySetting = Type.Object(
  {
    enabled: Type.Boolean(),
    changedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'when the member last switched it; null: never (the default applies)',
    }),
  },
  { additionalProperties: false },
);
export type PrivacySetting = Static<typeof PrivacySetting>;

export const PrivacySettings = Type.Object(
  {
    interests: PrivacySetting,
    behavioural: PrivacySetting,
    connectors: PrivacySetting,
    favorites: PrivacySetting,
  },
  { additionalProperties: false },
);
export type PrivacySettings = Static<typeof PrivacySettings>;

export const PRIVACY_EFFECTS = [
  /** A rebuild of the member's taste vector without the withheld groups is queued. */
  'reembed_queued',
  /** Favorites were turned back on: the taste vector is rebuilt from them. */
  'rebuild_queued',
  /** Candidates memo and explanations cache entries for the member are dropped. */
  'caches_invalidated',
  /** The member's stored scroll and dwell events were deleted (`count`). */
  'behavioural_events_deleted',
  /** The member's stored events will be deleted at `at` (SDE_BEHAVIOURAL_GRACE_DAYS). */
  'behavioural_events_deletion_scheduled',
  /** Connector syncs no longer run for the member. */
  'connector_syncs_stopped',
  /** Stored connector tokens were deleted (`count` accounts). */
  'connector_tokens_revoked',
  /** The taste vector and its traits were deleted. */
  'taste_vector_deleted',
] as const;
export type PrivacyEffectName = (typeof PRIVACY_EFFECTS)[number];

export const PrivacyEffect = Type.Object(
  {
    effect: Type.Union(PRIVACY_EFFECTS.map((name) => Type.Literal(name))),
    group: Type.Optional(Type.Union(PRIVACY_GROUPS.map((name) => Type.Literal(name)))),
    count: Type.Optional(Type.Integer({ minimum: 0 })),
    at: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type PrivacyEffect = Static<typeof PrivacyEffect>;

export const PrivacyResponse = Type.Object(
  {
    settings: PrivacySettings,
    effects: Type.Array(PrivacyEffect, { description: 'what this request set in motion; empty for GET and no-ops' }),
  },
  { $id: 'PrivacyResponse', additionalProperties: false },
);
export type PrivacyResponse = Static<typeof PrivacyResponse>;
