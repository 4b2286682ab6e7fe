// ISSUE-3 SCAFFOLD: the connectors module's registration; its owner replaces this body.
import type { RegisterModule } from '../module-context.js';

export const registerConnectorsModule: RegisterModule = async () => undefined;
