// The console module: the built React console at /console, sign-in and member-preview tokens, and
// the operators' overview. The review queue the console also uses is its own module (server/review).
import type { RegisterModule } from '../module-context.js';
import { consoleStaticRoutes, defaultRendererDir } from './console-static.js';
import { overviewRoutes } from './overview.route.js';
import { sessionRoutes } from './session.route.js';

export interface ConsoleModuleOptions {
  /** The built renderer; defaults to out/renderer under the project root (tests pass a folder of their own). */
  rendererDir?: string;
}

export function createConsoleModule(options: ConsoleModuleOptions = {}): RegisterModule<'previewTokens' | 'overview'> {
  return async (app, { previewTokens, overview }) => {
    await app.register(consoleStaticRoutes, { rendererDir: options.rendererDir ?? defaultRendererDir() });
    await app.register(sessionRoutes, { previews: previewTokens });
    await app.register(overviewRoutes, { overview });
  };
}

export const registerConsoleModule = createConsoleModule();
