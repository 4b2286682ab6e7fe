// The console module: the built React console at /console, sign-in and member-preview tokens, and
// the operators' overview. The review queue the console also uses is its own module (server/review).
import { PreviewAuditRepository } from '../auth/preview-audit.repository.js';
import type { RegisterModule } from '../module-context.js';
import { consoleStaticRoutes, defaultRendererDir } from './console-static.js';
import { OverviewRepository } from './overview.repository.js';
import { overviewRoutes } from './overview.route.js';
import { OverviewService } from './overview.service.js';
import { PreviewTokensRepository } from './preview-tokens.repository.js';
import { PreviewTokensService } from './preview-tokens.service.js';
import { sessionRoutes } from './session.route.js';

export interface ConsoleModuleOptions {
  /** The built renderer; defaults to out/renderer under the project root (tests pass a folder of their own). */
  rendererDir?: string;
}

export function createConsoleModule(options: ConsoleModuleOptions = {}): RegisterModule {
  return async (app, { config, db, jobs }) => {
    await app.register(consoleStaticRoutes, { rendererDir: options.rendererDir ?? defaultRendererDir() });
    const previews = new PreviewTokensService(
      config.auth,
      new PreviewTokensRepository(db),
      new PreviewAuditRepository(db),
    );
    await app.register(sessionRoutes, { previews });
    await app.register(overviewRoutes, { overview: new OverviewService(new OverviewRepository(db), jobs) });
  };
}

export const registerConsoleModule: RegisterModule = createConsoleModule();
