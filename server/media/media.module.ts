// ISSUE-3 SCAFFOLD: the media module's registration; its owner replaces this body.
import type { RegisterModule } from '../module-context.js';

export const registerMediaModule: RegisterModule = async () => undefined;
