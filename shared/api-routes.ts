// The HTTP routes the console calls, as one typed map from "METHOD /path/:param" to the route's query,
// body and reply, all taken from the TypeBox schemas the server validates with (shared/schemas). A
// client typed by this map (renderer/src/api/api-client.ts) gets its reply type from the path it calls,
// and a path that is not in the map does not compile. Only types live here: nothing runs.
import type { Static } from '@sinclair/typebox';
import type { UserAttributes, UserAttributesInput } from './schemas/attributes.js';
import type { ConnectorStatusList } from './schemas/connectors.js';
import type { Overview, PreviewToken, PreviewTokenInput, SessionInfo } from './schemas/console.js';
import type { ErasureReceipt, ErasureRequestBody } from './schemas/erasure.js';
import type { WhyQuery, WhyResponse } from './schemas/explanations.js';
import type { ExportJob, MemberExport } from './schemas/export.js';
import type { FeedbackInput, FeedbackResult } from './schemas/feedback.js';
import type { BehaviourEventBatch, BehaviourEventsResult } from './schemas/behaviour-events.js';
import type {
  LearnerRunResult,
  LearnerState,
  LearnerStatus,
  LearnerStatusQuery,
  PatchLearnerBody,
} from './schemas/learning.js';
import type { Favorite, FavoriteAdded, FavoriteInput, MediaSearchHit, MediaSearchQuery } from './schemas/media.js';
import type {
  ModelDetail,
  ModelList,
  ModelListQuery,
  PromoteBody,
  PromoteResult,
  RollbackBody,
  RollbackResult,
} from './schemas/models.js';
import type { PrivacyPatch, PrivacyResponse } from './schemas/privacy.js';
import type { TrainRankerAccepted, TrainRankerBody } from './schemas/ranking.js';
import type {
  CreateReviewFlagInput,
  ResolveReviewFlagInput,
  ReviewFlag,
  ReviewFlagListQuery,
  ReviewFlagPage,
  ReviewFlagWithHistory,
} from './schemas/review.js';
import type { SlateQuery, SlateResponse } from './schemas/slate.js';

/**
 * Every route the console calls, each with its `reply` and, where the route takes them, its `query` and
 * `body`. A `:name` segment is a path parameter.
 */
export interface ApiRoutes {
  'GET /api/v2/session': { reply: SessionInfo };
  'GET /api/v2/admin/overview': { reply: Overview };
  'POST /api/v2/admin/preview-tokens': { body: PreviewTokenInput; reply: PreviewToken };
  'POST /api/v2/admin/erasures': { body: ErasureRequestBody; reply: ErasureReceipt };

  'GET /api/v2/discovery/slate': { query: SlateQuery; reply: SlateResponse };
  'GET /api/v2/discovery/why/:targetId': { query: WhyQuery; reply: WhyResponse };
  'POST /api/v2/discovery/feedback': { body: FeedbackInput; reply: FeedbackResult };
  'POST /api/v2/events': { body: BehaviourEventBatch; reply: BehaviourEventsResult };
  'GET /api/v2/discovery/privacy': { reply: PrivacyResponse };
  'PATCH /api/v2/discovery/privacy': { body: PrivacyPatch; reply: PrivacyResponse };

  'GET /api/v2/review/flags': { query: Static<typeof ReviewFlagListQuery>; reply: ReviewFlagPage };
  'POST /api/v2/review/flags': { body: CreateReviewFlagInput; reply: ReviewFlag };
  'GET /api/v2/review/flags/:id': { reply: ReviewFlagWithHistory };
  'POST /api/v2/review/flags/:id/resolve': { body: ResolveReviewFlagInput; reply: ReviewFlagWithHistory };

  'GET /api/v2/admin/models': { query: ModelListQuery; reply: ModelList };
  'GET /api/v2/admin/models/:id': { reply: ModelDetail };
  'POST /api/v2/admin/models/:id/promote': { body: PromoteBody; reply: PromoteResult };
  'POST /api/v2/admin/models/rollback': { body: RollbackBody; reply: RollbackResult };
  'POST /api/v2/admin/models/train': { body: TrainRankerBody; reply: Static<typeof TrainRankerAccepted> };
  'GET /api/v2/admin/learner': { query: LearnerStatusQuery; reply: LearnerStatus };
  'PATCH /api/v2/admin/learner': { body: PatchLearnerBody; reply: LearnerState };
  'POST /api/v2/admin/learner/run': { body: Record<string, never>; reply: LearnerRunResult };

  'GET /api/v2/users/me/attributes': { reply: UserAttributes };
  'PUT /api/v2/users/me/attributes': { body: UserAttributesInput; reply: UserAttributes };
  /** 200 with the export when it is small, else 202 with a job to poll at its `statusUrl`. */
  'GET /api/v2/users/me/export': { reply: MemberExport | ExportJob };
  'GET /api/v2/users/me/export/:exportId': { reply: MemberExport | ExportJob };

  'GET /api/v2/favorites': { reply: Favorite[] };
  'POST /api/v2/favorites': { body: FavoriteInput; reply: FavoriteAdded };
  'DELETE /api/v2/favorites/:mediaId': { reply: null };
  'GET /api/v2/favorites/status': { reply: ConnectorStatusList };
  'GET /api/v2/media/search': { query: MediaSearchQuery; reply: MediaSearchHit[] };
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A route pattern as the paths that fill it: `/flags/:id/resolve` → `/flags/${string}/resolve`. */
export type PathPattern<Pattern extends string> = Pattern extends `${infer Head}:${string}/${infer Tail}`
  ? `${Head}${string}/${PathPattern<Tail>}`
  : Pattern extends `${infer Head}:${string}`
    ? `${Head}${string}`
    : Pattern;

/** The routes of one method keyed by the paths that reach them (a `:name` pattern as a template). */
export type RoutesOf<M extends HttpMethod> = {
  [K in keyof ApiRoutes as K extends `${M} ${infer Pattern}` ? PathPattern<Pattern> : never]: ApiRoutes[K];
};

/** Every path `method` may be called with. */
export type ApiPath<M extends HttpMethod> = keyof RoutesOf<M>;

type Field<Route, Name extends string> = Route extends { [K in Name]: infer Value } ? Value : never;

export type ReplyOf<M extends HttpMethod, P extends ApiPath<M>> = Field<RoutesOf<M>[P], 'reply'>;
/** Partial: a query field the caller leaves out takes the schema's default on the server. */
export type QueryOf<M extends HttpMethod, P extends ApiPath<M>> = Partial<Field<RoutesOf<M>[P], 'query'>>;
/** undefined for a route that takes no body. */
export type BodyOf<M extends HttpMethod, P extends ApiPath<M>> = RoutesOf<M>[P] extends { body: infer Body }
  ? Body
  : undefined;
