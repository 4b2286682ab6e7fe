// Global feature importance of a tree ensemble, as LightGBM and XGBoost report it: 'split' counts how many
// splits use a feature, 'gain' sums the loss reduction of those splits (LightGBM's "gain", XGBoost's
// "total_gain"). Every feature is listed, most important first.
import type { TreeEnsemble } from './tree-model.js';

export function featureImportance(
  model: TreeEnsemble,
  kind: 'gain' | 'split',
): Array<{ feature: string; importance: number }> {
  const totals = new Float64Array(model.featureNames.length);
  for (const tree of model.trees) {
    for (let i = 0; i < tree.splitFeature.length; i++) {
      const feature = tree.splitFeature[i]!;
      if (feature >= 0 && feature < totals.length) totals[feature]! += kind === 'gain' ? tree.splitGain[i]! : 1;
    }
  }
  return model.featureNames
    .map((feature, index) => ({ feature, importance: totals[index]!, index }))
    .sort((a, b) => b.importance - a.importance || a.index - b.index)
    .map(({ feature, importance }) => ({ feature, importance }));
}
