// The erasure module: DELETE /api/v2/users/me and the admin erasure route. The service deletes the
// raw connector pages from object storage too (server/composition/services.ts gives it the storage).
import type { RegisterModule } from '../module-context.js';
import { erasureRoutes } from './erasure.route.js';

export const registerErasureModule: RegisterModule<'erasure'> = async (app, { erasure }) => {
  await app.register(erasureRoutes, { erasure });
};
