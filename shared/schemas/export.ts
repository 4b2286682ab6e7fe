// The member data export (GET /api/v2/users/me/export): everything the engine holds about the caller.
// Other members appear only as ids in the caller's own swipes, matches, slates and events; what others did
// about the caller (swipes, impressions, dwell) appears as counts only. The response schema is also the
// export's allow-list: the serializer drops any field not named here, so a column added later (a token,
// another member's coordinates) cannot leak through a `SELECT *`.
import { Type, type Static } from '@sinclair/typebox';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });
const NullableTimestamp = Nullable(Timestamp);
const MemberId = Type.String({ minLength: 1, maxLength: 128 });

export const EXPORT_FORMAT = 'sde-member-export';
export const EXPORT_FORMAT_VERSION = 1;

export const ExportProfile = Type.Object(
  {
    displayName: Type.Union([Type.String(), Type.Null()]),
    location: Type.Union([
      Type.Object(
        { lat: Type.Number(), lon: Type.Number(), place: Type.Union([Type.String(), Type.Null()]) },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    birthday: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
    hobbies: Type.Array(Type.String()),
    communities: Type.Array(Type.String()),
    gender: Type.Union([Type.String(), Type.Null()]),
    seeking: Type.Array(Type.String()),
    connectors: Type.Record(Type.String(), Type.Unknown(), { description: 'The connectors JSON of the profile' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    lastActiveAt: NullableTimestamp,
  },
  { additionalProperties: false },
);

export const ExportPrivacy = Type.Object(
  {
    interests: Type.Boolean(),
    behavioural: Type.Boolean(),
    connectors: Type.Boolean(),
    favorites: Type.Boolean(),
    changedAt: Type.Optional(
      Type.Object(
        {
          interests: Type.Optional(NullableTimestamp),
          behavioural: Type.Optional(NullableTimestamp),
          connectors: Type.Optional(NullableTimestamp),
          favorites: Type.Optional(NullableTimestamp),
        },
        {
          additionalProperties: false,
          description: 'When each group last changed; present once the server records it',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ExportFavorite = Type.Object(
  {
    mediaId: Type.String(),
    kind: Type.String(),
    title: Type.String(),
    year: Type.Union([Type.Integer(), Type.Null()]),
    source: Type.String(),
    addedAt: Timestamp,
  },
  { additionalProperties: false },
);

export const ExportSwipe = Type.Object(
  {
    id: Type.String({ description: 'bigint as a string' }),
    targetId: MemberId,
    action: Type.String(),
    reason: Type.Union([Type.String(), Type.Null()]),
    slateId: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
  },
  { additionalProperties: false },
);

export const ExportMatch = Type.Object(
  { memberId: MemberId, matchedAt: Timestamp },
  { additionalProperties: false, description: 'The other member of the match, by id only' },
);

export const ExportSlateImpression = Type.Object(
  {
    slateId: Type.String(),
    position: Type.Integer(),
    candidateId: MemberId,
    modelVersion: Type.Union([Type.String(), Type.Null()]),
    arm: Type.Union([Type.String(), Type.Null()]),
    servedAt: Timestamp,
  },
  { additionalProperties: false },
);

export const ExportScrollEvent = Type.Object(
  {
    id: Type.String(),
    targetId: MemberId,
    kind: Type.String(),
    dwellMs: Type.Integer(),
    slateId: Type.Union([Type.String(), Type.Null()]),
    /** The card's 1-based position in that slate, as POST /api/v2/events took it; null for older events. */
    position: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    clientEventId: Type.Union([Type.String(), Type.Null()]),
    occurredAt: Timestamp,
  },
  { additionalProperties: false },
);

export const ExportExperimentExposure = Type.Object(
  { experimentKey: Type.String(), arm: Type.String(), exposedAt: Timestamp },
  { additionalProperties: false },
);

/** What others did about the caller, as counts: never who. */
export const ExportAboutYou = Type.Object(
  {
    swipesReceived: Type.Record(Type.String(), Type.Integer(), { description: 'Swipes by others, per action' }),
    impressions: Type.Object(
      {
        total: Type.Integer({ description: 'Times you were shown on someone’s slate' }),
        slates: Type.Integer({ description: 'Distinct slates you were shown on' }),
        lastShownAt: NullableTimestamp,
      },
      { additionalProperties: false },
    ),
    scrollEventsReceived: Type.Record(Type.String(), Type.Integer(), {
      description: 'Scroll and dwell events others made on your profile, per kind',
    }),
  },
  { additionalProperties: false },
);

export const ExportConnector = Type.Object(
  {
    connector: Type.String(),
    state: Type.String(),
    scopes: Type.Array(Type.String()),
    counts: Type.Record(Type.String(), Type.Unknown()),
    lastSyncAt: NullableTimestamp,
    lastError: Type.Union([Type.String(), Type.Null()]),
    tokensStored: Type.Boolean({ description: 'Whether encrypted tokens are held (the tokens are never exported)' }),
    connectedAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);

export const ExportExplanation = Type.Object(
  {
    targetId: MemberId,
    modelVersion: Type.String(),
    explanation: Type.Unknown({ description: 'The member view of the explanation, as it was served to you' }),
  },
  { additionalProperties: false },
);

export const ExportTaste = Type.Object(
  {
    modelVersion: Type.String(),
    updatedAt: Timestamp,
    vector: Type.Array(Type.Number()),
    traits: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);

export const ExportSafetyScore = Type.Object(
  {
    harassmentScore: Type.Number(),
    source: Type.String(),
    updatedAt: Timestamp,
    note: Type.String(),
  },
  { additionalProperties: false },
);

export const ExportReviewRecord = Type.Object(
  {
    id: Type.String(),
    about: Type.Union([
      Type.Literal('you_as_candidate'),
      Type.Literal('reports_about_you'),
      Type.Literal('your_slate'),
    ]),
    status: Type.String(),
    outcome: Type.Union([Type.String(), Type.Null()]),
    reportCount: Type.Integer(),
    createdAt: Timestamp,
    resolvedAt: NullableTimestamp,
  },
  {
    additionalProperties: false,
    description: 'Review records naming you: no reporters, reviewers, notes or other members',
  },
);

export const ExportPreviewAudit = Type.Object(
  {
    reviewerId: Type.String(),
    event: Type.String(),
    writable: Type.Boolean(),
    method: Type.Union([Type.String(), Type.Null()]),
    route: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Integer(), Type.Null()]),
    at: Timestamp,
  },
  { additionalProperties: false, description: 'A staff member previewed the engine as you' },
);

export const MemberExport = Type.Object(
  {
    format: Type.Literal(EXPORT_FORMAT),
    formatVersion: Type.Literal(EXPORT_FORMAT_VERSION),
    generatedAt: Timestamp,
    memberId: MemberId,
    profile: Type.Union([ExportProfile, Type.Null()]),
    privacy: Type.Union([ExportPrivacy, Type.Null()]),
    favorites: Type.Array(ExportFavorite),
    swipesMade: Type.Array(ExportSwipe),
    matches: Type.Array(ExportMatch),
    slateImpressions: Type.Array(ExportSlateImpression, { description: 'Who you were shown' }),
    scrollEvents: Type.Array(ExportScrollEvent, { description: 'Scroll and dwell events you made' }),
    experimentExposures: Type.Array(ExportExperimentExposure),
    aboutYou: ExportAboutYou,
    connectors: Type.Array(ExportConnector),
    explanations: Type.Array(ExportExplanation),
    taste: Type.Union([ExportTaste, Type.Null()]),
    safetyScore: Type.Union([ExportSafetyScore, Type.Null()]),
    reviewRecords: Type.Array(ExportReviewRecord),
    previewAudit: Type.Array(ExportPreviewAudit),
  },
  { $id: 'MemberExport', additionalProperties: false },
);
export type MemberExport = Static<typeof MemberExport>;

export const EXPORT_JOB_STATES = ['queued', 'running'] as const;

/** A large export is written by a job; this says where it stands. */
export const ExportJob = Type.Object(
  {
    exportId: Type.String({ format: 'uuid' }),
    status: Type.Union(EXPORT_JOB_STATES.map((state) => Type.Literal(state))),
    requestedAt: Timestamp,
    statusUrl: Type.String({ description: 'GET it until it answers 200 with the export' }),
  },
  { $id: 'ExportJob', additionalProperties: false },
);
export type ExportJob = Static<typeof ExportJob>;

export const ExportParams = Type.Object(
  { exportId: Type.String({ format: 'uuid', description: 'The id a 202 from GET /api/v2/users/me/export gave' }) },
  { additionalProperties: false },
);
