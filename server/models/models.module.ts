// The models module: the admin API of the model registry under /api/v2/admin/models (the registry
// itself serves ranking and training in-process).
import type { RegisterModule } from '../module-context.js';
import { modelsRoutes } from './models.route.js';

export const registerModelsModule: RegisterModule<'models'> = async (app, { models }) => {
  await app.register(modelsRoutes, { models });
};
