// The review queue module: flags raised from the console's slate review, and items opened by members'
// reports (filed by the feedback module's swipe transaction), resolved with an outcome.
import type { RegisterModule } from '../module-context.js';
import { ReviewRepository } from './review.repository.js';
import { reviewRoutes } from './review.route.js';
import { ReviewService } from './review.service.js';

export const registerReviewModule: RegisterModule = async (app, { db }) => {
  await app.register(reviewRoutes, { review: new ReviewService(new ReviewRepository(db)) });
};
