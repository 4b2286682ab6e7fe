// ISSUE-3 SCAFFOLD: the metadata module's registration; its owner replaces this body.
import type { RegisterModule } from '../module-context.js';

export const registerMetadataModule: RegisterModule = async () => undefined;
