// The erasure module: DELETE /api/v2/users/me and the admin erasure route. Registered after the
// connectors module, whose object storage holds the raw connector pages it deletes.
import type { RegisterModule } from '../module-context.js';
import { erasureRoutes } from './erasure.route.js';
import { ErasureRepository } from './erasure.repository.js';
import { deriveReceiptKey, ErasureService } from './erasure.service.js';

export const registerErasureModule: RegisterModule = async (app, { config, db, memberChanges }) => {
  const erasure = new ErasureService(
    db,
    new ErasureRepository(),
    app.objectStorage,
    memberChanges,
    deriveReceiptKey(config.secretsKey),
  );
  await app.register(erasureRoutes, { erasure });
};
