// Checks a GrowthBook feature definition before it is stored: shapes the SDK would silently ignore
// (weights that do not match variations, an experiment without variations) and, for the re-ranker
// flag, values that name no arm — each answered with the field named instead of a flag that never works.
import type { FeatureDefinitionBody } from '../../shared/schemas/experiments.js';
import { invalid, type DomainError } from '../errors/domain-errors.js';
import { RERANKER_ARMS, RERANKER_FLAG } from './reranker-arms.js';

/** The first problem with the definition (its field a path into the definition), or null when it is usable. */
export function definitionProblem(key: string, definition: FeatureDefinitionBody): DomainError | null {
  const allowed = key === RERANKER_FLAG ? (RERANKER_ARMS as readonly unknown[]) : null;
  const notAnArm = (value: unknown) => allowed !== null && !allowed.includes(value);
  if (notAnArm(definition.defaultValue)) {
    return invalid('defaultValue', `must be one of ${RERANKER_ARMS.join(', ')} for ${RERANKER_FLAG}`);
  }
  for (const [index, rule] of (definition.rules ?? []).entries()) {
    const at = `rules[${index}]`;
    const isExperiment = rule.variations !== undefined;
    if (isExperiment === 'force' in rule)
      return invalid(at, 'needs either "force" or "variations", not both or neither');
    if (!isExperiment) {
      if (notAnArm(rule.force))
        return invalid(`${at}.force`, `must be one of ${RERANKER_ARMS.join(', ')} for ${RERANKER_FLAG}`);
      continue;
    }
    const variations = rule.variations!;
    if (!rule.key) return invalid(`${at}.key`, 'an experiment rule needs a key (exposures are logged under it)');
    if (rule.weights && rule.weights.length !== variations.length) {
      return invalid(`${at}.weights`, `${rule.weights.length} weights for ${variations.length} variations`);
    }
    if (rule.weights && Math.abs(rule.weights.reduce((sum, weight) => sum + weight, 0) - 1) > 1e-6) {
      return invalid(`${at}.weights`, 'must add up to 1');
    }
    const bad = variations.findIndex(notAnArm);
    if (bad >= 0) {
      return invalid(`${at}.variations[${bad}]`, `must be one of ${RERANKER_ARMS.join(', ')} for ${RERANKER_FLAG}`);
    }
  }
  return null;
}
