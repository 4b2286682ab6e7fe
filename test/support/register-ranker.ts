// Registers a LightGBM ranking model the way the API tests set one up: live at once (the first-model
// bootstrap) or as a candidate that the test then promotes itself.
import type { RegisterModelInput } from '../../server/models/model-registry.service.js';

export async function registerRanker(
  models: { register(input: RegisterModelInput): Promise<unknown> },
  id: string,
  artifact: string,
  status?: 'candidate' | 'live',
): Promise<void> {
  await models.register({ id, format: 'lightgbm', artifact, createdBy: 'test', ...(status ? { status } : {}) });
}
