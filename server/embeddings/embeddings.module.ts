// ISSUE-3 SCAFFOLD: the embeddings module's registration; its owner replaces this body.
import type { RegisterModule } from '../module-context.js';

export const registerEmbeddingsModule: RegisterModule = async () => undefined;
