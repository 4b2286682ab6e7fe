// The models module: the model registry (`app.models`, used in-process by ranking and training) and its
// admin API under /api/v2/admin/models.
import type { RegisterModule } from '../module-context.js';
import { ModelRegistry } from './model-registry.service.js';
import { modelsRoutes } from './models.route.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The model registry: live/shadow model lookup for ranking, registration for training. */
    models: ModelRegistry;
  }
}

export const registerModelsModule: RegisterModule = async (app, { db }) => {
  const models = new ModelRegistry(db);
  app.decorate('models', models);
  await app.register(modelsRoutes, { models });
};
