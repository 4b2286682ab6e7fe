// Every job queue's name and payload schema in one place, so producers and workers in different
// modules agree: `jobs.send(queue, payload)` only compiles with the queue's payload type, and a worker
// receives a payload checked against the schema (a job whose payload fails it fails, naming the field).
// Delivery policies, schedules and handlers stay with the module that runs the queue.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TrainRankerBody } from '../../shared/schemas/ranking.js';

export const Queues = {
  /** Refresh `user_dwell_avg`; scheduled every 5 minutes. */
  dwellRefresh: 'dwell_refresh',
  /** Rebuild one member's taste vector after a profile, favorites or privacy change. */
  memberReembed: 'member_reembed',
  /** Fetch one catalogue work's metadata from its source and merge it. */
  metadataFetch: 'metadata_fetch',
  /** The nightly taste builder: refit item factors, rebuild every vector. */
  tasteRebuild: 'taste_rebuild',
  /** Write one member's large export to object storage. */
  memberExport: 'member_export',
  /** Page through one member's saved Spotify tracks. */
  spotifyIngest: 'spotify_ingest',
  /** Delete behavioural events of members past their opt-out's grace period; daily. */
  privacyBehaviouralPurge: 'privacy_behavioural_purge',
  /** Embed catalogue media that lack an embedding from the active text model. */
  mediaEmbed: 'media_embed',
  /** Train a ranking model on a window of labelled impressions. */
  rankerTrain: 'ranker_train',
  /** One online-learner cycle (rollback watch, promotion gate, training); every 30 minutes by default. */
  learnerRun: 'learner_run',
  /** Clear impressions' logged pair features past SDE_FEATURE_LOG_RETENTION_DAYS; daily. */
  featureLogRetention: 'feature_log_retention',
  /** Delete user_behavior events past the realtime retention window; hourly. */
  behaviorEventsPrune: 'behavior_events_prune',
} as const;

/** A queue's contract: its name and the schema every payload sent to it satisfies. */
export interface QueueContract<Payload extends TSchema = TSchema> {
  readonly name: string;
  readonly payload: Payload;
}

/** What a producer sends to (and a worker receives from) the queue. */
export type PayloadOf<Queue extends QueueContract> = Static<Queue['payload']>;

/** The engine's queues are named from `Queues`; the job queue's own tests define probe queues of their own. */
export function defineQueue<Payload extends TSchema>(name: string, payload: Payload): QueueContract<Payload> {
  return { name, payload };
}

/** Scheduled and batch queues: the job itself is the request, there is nothing to carry. */
const NoPayload = Type.Object({});
const MemberId = Type.String({ minLength: 1 });

export const ReembedReason = Type.Union([
  Type.Literal('profile_saved'),
  Type.Literal('favorites_changed'),
  Type.Literal('privacy_changed'),
]);
export type ReembedReason = Static<typeof ReembedReason>;

/** Every queue's contract, by the same keys as `Queues`. */
export const QueueContracts = {
  dwellRefresh: defineQueue(Queues.dwellRefresh, NoPayload),
  memberReembed: defineQueue(Queues.memberReembed, Type.Object({ memberId: MemberId, reason: ReembedReason })),
  metadataFetch: defineQueue(Queues.metadataFetch, Type.Object({ mediaId: Type.String() })),
  tasteRebuild: defineQueue(Queues.tasteRebuild, NoPayload),
  memberExport: defineQueue(Queues.memberExport, Type.Object({ memberId: Type.String(), exportId: Type.String() })),
  spotifyIngest: defineQueue(Queues.spotifyIngest, Type.Object({ memberId: MemberId })),
  privacyBehaviouralPurge: defineQueue(Queues.privacyBehaviouralPurge, NoPayload),
  mediaEmbed: defineQueue(Queues.mediaEmbed, NoPayload),
  rankerTrain: defineQueue(
    Queues.rankerTrain,
    Type.Object({
      /** Window bounds as ISO timestamps; the service's defaults fill what is absent. */
      from: Type.Optional(Type.String()),
      to: Type.Optional(Type.String()),
      /** Training parameters, as the training route accepts them. */
      params: Type.Optional(Type.Omit(TrainRankerBody, ['from', 'to', 'note'])),
      actor: Type.String(),
      note: Type.Optional(Type.String()),
      /** A fresh install's first model: registered live when no model is live yet. */
      bootstrap: Type.Optional(Type.Boolean()),
    }),
  ),
  learnerRun: defineQueue(Queues.learnerRun, NoPayload),
  featureLogRetention: defineQueue(Queues.featureLogRetention, NoPayload),
  behaviorEventsPrune: defineQueue(Queues.behaviorEventsPrune, NoPayload),
} satisfies Record<keyof typeof Queues, QueueContract>;
