// The models the simulation puts into service through the registry API: the first model (trained by the
// engine's own trainer on the bootstrap days' feedback, kept with its file so populations can be
// compared) and, for the gate's check, a deliberately bad model — a
// real LambdaMART model trained on the engine's exported training data with its labels reversed, so it
// ranks what members pass on first.
import type { ModelVersion } from '../../../../shared/schemas/models.js';
import type { TrainingDataExport } from '../../../../shared/schemas/ranking.js';
import { PAIR_FEATURE_NAMES } from '../../../features/pair-feature-spec.js';
import { parseLibsvm, parseQueryFile } from '../../../lib/ranker/libsvm.js';
import { writeLightGbmModel } from '../../../lib/ranker/lightgbm-format.js';
import { trainInWorker } from '../../../lib/ranker/train-in-worker.js';
import { SIM_OPERATOR, type SimApp } from './sim-app.js';

/** The highest label the engine exports (superlike, or a like answered by a like). */
const MAX_LABEL = 2;

export interface ModelArtifact {
  id: string;
  artifact: string;
}

/** Trains a model with the engine's trainer on everything logged so far; returns its id and file. */
export async function trainFirstModel(sim: SimApp): Promise<ModelArtifact> {
  const version = await sim.app.engine.rankerTraining.train({ actor: SIM_OPERATOR, note: 'learning-sim first model' });
  return { id: version.id, artifact: await artifactOf(sim, version.id) };
}

/** Makes the registered `model` the live model, through the registry API. */
export async function putLive(sim: SimApp, model: ModelArtifact): Promise<void> {
  await promote(sim, model.id, 'live', 'learning-sim: the first model');
}

/**
 * The gate's adversary: trained on the engine's own training export with labels reversed (a pass becomes
 * the best outcome), registered and put in shadow, where the treatment arm serves it. Returns its id.
 */
export async function injectReversedModel(sim: SimApp, id: string): Promise<string> {
  const exported = await sim.call<TrainingDataExport>('ml_engineer', SIM_OPERATOR, {
    method: 'GET',
    url: '/api/v2/admin/training-data',
  });
  const data = parseLibsvm(exported.libsvm, { numFeatures: exported.featureNames.length, source: 'training export' });
  const labels = data.labels.map((label) => MAX_LABEL - label);
  const result = await trainInWorker(
    { ...data, labels, groups: parseQueryFile(exported.query), featureNames: [...PAIR_FEATURE_NAMES] },
    { seed: 42, minDataInLeaf: 20 },
  );
  await importModel(
    sim,
    { id, artifact: writeLightGbmModel(result.model) },
    'learning-sim: labels reversed on purpose',
  );
  await promote(sim, id, 'shadow', 'learning-sim: a bad model for the promotion gate to refuse');
  return id;
}

async function importModel(sim: SimApp, model: ModelArtifact, note: string): Promise<void> {
  await sim.call('ml_engineer', SIM_OPERATOR, {
    method: 'POST',
    url: '/api/v2/admin/models',
    payload: { id: model.id, format: 'lightgbm', artifact: model.artifact, note },
  });
}

async function promote(sim: SimApp, id: string, to: 'live' | 'shadow', note: string): Promise<void> {
  await sim.call('ml_engineer', SIM_OPERATOR, {
    method: 'POST',
    url: `/api/v2/admin/models/${encodeURIComponent(id)}/promote`,
    payload: { to, note },
  });
}

async function artifactOf(sim: SimApp, id: string): Promise<string> {
  const response = await sim.app.inject({
    method: 'GET',
    url: `/api/v2/admin/models/${encodeURIComponent(id)}/artifact`,
    headers: { authorization: `Bearer ${await sim.token('ml_engineer', SIM_OPERATOR)}` },
  });
  if (response.statusCode !== 200)
    throw new Error(`artifact of ${id} answered ${response.statusCode}: ${response.body}`);
  return response.body;
}

/** The live ranking model's id, or null. */
export async function liveModelId(sim: SimApp): Promise<string | null> {
  const live = await sim.call<{ models: ModelVersion[] }>('ml_engineer', SIM_OPERATOR, {
    method: 'GET',
    url: '/api/v2/admin/models?kind=ranker&status=live',
  });
  return live.models[0]?.id ?? null;
}
