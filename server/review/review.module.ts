// The review queue module: flags raised from the console's slate review, and items opened by members'
// reports (filed by the feedback module's swipe transaction), resolved with an outcome.
import type { RegisterModule } from '../module-context.js';
import { reviewRoutes } from './review.route.js';

export const registerReviewModule: RegisterModule<'review'> = async (app, { review }) => {
  await app.register(reviewRoutes, { review });
};
