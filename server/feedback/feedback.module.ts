// The feedback module: swipes (with matches, idempotent retries and a per-member rate limit shared by
// all replicas through Postgres, declared on the route) and the caller's matches. A committed swipe is published as a member
// change so the candidates memo forgets the swiped member at once.
import type { RegisterModule } from '../module-context.js';
import { feedbackRoutes } from './feedback.route.js';

export const registerFeedbackModule: RegisterModule<'feedback'> = async (app, { feedback }) => {
  await app.register(feedbackRoutes, { feedback });
};
