// A registered model made ready to serve: the artifact parsed into a tree ensemble, compiled into the
// allocation-free scorer, with a TreeSHAP explainer. Parsing and compiling cost milliseconds per request
// they would otherwise be repeated on, and artifacts never change once stored, so the parsed form is kept
// in a small bounded map by model id. Status is not cached: it changes, and callers read it fresh.
import type { ModelFormat, ModelStatus } from '../../shared/schemas/models.js';
import { LruCache } from '../lib/lru-cache.js';
import { importXgboostJson } from '../lib/ranker/xgboost-json.js';
import { parseLightGbmModel } from '../lib/ranker/lightgbm-format.js';
import { compileScorer, type CompiledScorer } from '../lib/ranker/scorer.js';
import { createTreeShapExplainer, type TreeShapExplainer } from '../lib/ranker/tree-shap.js';
import type { TreeEnsemble } from '../lib/ranker/tree-model.js';

/** The immutable, parsed part of a model version. */
export interface ParsedModel {
  id: string;
  ensemble: TreeEnsemble;
  scorer: CompiledScorer;
  explainer: TreeShapExplainer;
  featureNames: readonly string[];
}

export interface LoadedModel extends ParsedModel {
  /** The status when it was looked up. */
  status: ModelStatus;
}

/** Parses an artifact in either stored format; throws ModelFormatError naming the line, tree or field. */
export function parseArtifact(format: ModelFormat, text: string): TreeEnsemble {
  return format === 'lightgbm' ? parseLightGbmModel(text) : importXgboostJson(text);
}

export function prepareModel(id: string, format: ModelFormat, text: string): ParsedModel {
  const ensemble = parseArtifact(format, text);
  return {
    id,
    ensemble,
    scorer: compileScorer(ensemble),
    explainer: createTreeShapExplainer(ensemble),
    featureNames: ensemble.featureNames,
  };
}

/**
 * Why a model's feature columns cannot be served with the given spec, or null when they match:
 * the counts when they differ, otherwise the first column whose name differs.
 */
export function featureMismatch(modelFeatures: readonly string[], expected: readonly string[]): string | null {
  if (modelFeatures.length !== expected.length) {
    return `the model has ${modelFeatures.length} features but the pair-feature spec has ${expected.length}`;
  }
  for (let i = 0; i < expected.length; i++) {
    if (modelFeatures[i] !== expected[i]) {
      return `feature column ${i} is "${modelFeatures[i]}" in the model but "${expected[i]}" in the pair-feature spec`;
    }
  }
  return null;
}

/** Least-recently-used map of parsed models; a handful is enough (live, shadow, a few being inspected). */
export class ParsedModelCache {
  private readonly entries: LruCache<string, ParsedModel>;

  constructor(maxEntries: number) {
    this.entries = new LruCache({ maxEntries });
  }

  get size(): number {
    return this.entries.size;
  }

  get(id: string): ParsedModel | undefined {
    return this.entries.get(id);
  }

  set(model: ParsedModel): void {
    this.entries.set(model.id, model);
  }
}
