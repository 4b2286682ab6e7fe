// Imports an XGBoost JSON model (`Booster.save_model('m.json')`, XGBoost 1.0 and later) into the shared
// TreeEnsemble, producing margins exactly as XGBoost's `predict(output_margin=True)`: float32 thresholds and
// leaf values, `x < threshold` on float32 features, NaN taking the default branch. Only single-output
// gbtree models with numerical splits are supported (dart only when no tree is re-weighted).
import { ModelFormatError } from './model-errors.js';
import type { MissingType, Tree, TreeEnsemble } from './tree-model.js';

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(parent: Json, key: string, where: string): Record<string, Json> {
  const value = isObject(parent) ? parent[key] : undefined;
  if (!isObject(value)) throw new ModelFormatError(`${where}.${key}: missing or not an object`);
  return value;
}

function arrayAt(parent: Record<string, Json>, key: string, where: string): Json[] {
  const value = parent[key];
  if (!Array.isArray(value)) throw new ModelFormatError(`${where}.${key}: missing or not an array`);
  return value;
}

/** XGBoost writes parameters as strings ("5E-1"); XGBoost 2 wraps base_score in brackets ("[5E-1]"). */
function numberParam(value: Json, where: string): number {
  const text =
    typeof value === 'number' ? String(value) : typeof value === 'string' ? value.replace(/^\[(.*)\]$/, '$1') : '';
  const parsed = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(parsed)) throw new ModelFormatError(`${where}: expected a number, got ${JSON.stringify(value)}`);
  return parsed;
}

function numberArray(tree: Record<string, Json>, key: string, length: number, where: string): Float64Array {
  const values = arrayAt(tree, key, where);
  if (values.length !== length) {
    throw new ModelFormatError(`${where}.${key}: has ${values.length} entries but the tree has ${length} nodes`);
  }
  const out = new Float64Array(length);
  values.forEach((value, i) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ModelFormatError(`${where}.${key}[${i}]: expected a finite number, got ${JSON.stringify(value)}`);
    }
    out[i] = value;
  });
  return out;
}

/** Margin-space base score from XGBoost's probability-space `base_score`, per objective (ProbToMargin). */
function baseMargin(objective: string, baseScore: number): number {
  if (['binary:logistic', 'reg:logistic', 'binary:logitraw'].includes(objective)) {
    if (!(baseScore > 0 && baseScore < 1))
      throw new ModelFormatError(`base_score ${baseScore} must lie in (0, 1) for ${objective}`);
    return Math.log(baseScore / (1 - baseScore));
  }
  if (['count:poisson', 'reg:gamma', 'reg:tweedie', 'survival:cox', 'survival:aft'].includes(objective)) {
    if (!(baseScore > 0)) throw new ModelFormatError(`base_score ${baseScore} must be positive for ${objective}`);
    return Math.log(baseScore);
  }
  if (objective.startsWith('rank:') || objective.startsWith('reg:') || objective === 'binary:hinge') return baseScore;
  throw new ModelFormatError(`objective ${objective || '(none)'} is not supported (binary:*, reg:*, rank:* are)`);
}

function importTree(raw: Json, treeIndex: number, numFeatures: number): Tree {
  const where = `trees[${treeIndex}]`;
  if (!isObject(raw)) throw new ModelFormatError(`${where}: not an object`);
  const left = numberArray(raw, 'left_children', arrayAt(raw, 'left_children', where).length, where);
  const numNodes = left.length;
  if (numNodes === 0) throw new ModelFormatError(`${where}: has no nodes`);
  const right = numberArray(raw, 'right_children', numNodes, where);
  const splitIndex = numberArray(raw, 'split_indices', numNodes, where);
  const splitCondition = numberArray(raw, 'split_conditions', numNodes, where);
  const sumHessian = numberArray(raw, 'sum_hessian', numNodes, where);
  const lossChange = numberArray(raw, 'loss_changes', numNodes, where);
  const defaultLeftRaw = arrayAt(raw, 'default_left', where);
  if (defaultLeftRaw.length !== numNodes) {
    throw new ModelFormatError(
      `${where}.default_left: has ${defaultLeftRaw.length} entries but the tree has ${numNodes} nodes`,
    );
  }
  const splitType = raw.split_type;
  if (Array.isArray(splitType) && splitType.some((kind) => kind !== 0)) {
    throw new ModelFormatError(`${where}: has categorical splits (split_type 1), which are not supported`);
  }
  const categoriesNodes = raw.categories_nodes;
  if (Array.isArray(categoriesNodes) && categoriesNodes.length > 0) {
    throw new ModelFormatError(`${where}: has categorical splits (categories_nodes), which are not supported`);
  }

  // XGBoost node ids are arbitrary: number internal nodes in preorder and leaves in the order reached.
  const internalOf = new Int32Array(numNodes).fill(-1);
  const leafOf = new Int32Array(numNodes).fill(-1);
  const internalNodes: number[] = [];
  const leafNodes: number[] = [];
  const stack = [0];
  const visited = new Uint8Array(numNodes);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (visited[id]) throw new ModelFormatError(`${where}: node ${id} is reached twice (not a tree)`);
    visited[id] = 1;
    const l = left[id]!;
    const r = right[id]!;
    if (l === -1 && r === -1) {
      leafOf[id] = leafNodes.length;
      leafNodes.push(id);
      continue;
    }
    for (const child of [l, r]) {
      if (!Number.isInteger(child) || child <= 0 || child >= numNodes) {
        throw new ModelFormatError(`${where}: node ${id} has child ${child}, outside 1..${numNodes - 1}`);
      }
    }
    const feature = splitIndex[id]!;
    if (!Number.isInteger(feature) || feature < 0 || feature >= numFeatures) {
      throw new ModelFormatError(
        `${where}: node ${id} splits on feature ${feature}, but the model has ${numFeatures} features`,
      );
    }
    internalOf[id] = internalNodes.length;
    internalNodes.push(id);
    stack.push(r, l);
  }

  const numInternal = internalNodes.length;
  const childRef = (id: number): number => (internalOf[id]! >= 0 ? internalOf[id]! : ~leafOf[id]!);
  const tree: Tree = {
    splitFeature: new Int32Array(numInternal),
    threshold: new Float64Array(numInternal),
    defaultLeft: new Uint8Array(numInternal),
    missingType: new Array<MissingType>(numInternal).fill('nan'),
    leftChild: new Int32Array(numInternal),
    rightChild: new Int32Array(numInternal),
    splitGain: new Float64Array(numInternal),
    internalCover: new Float64Array(numInternal),
    leafValue: new Float64Array(leafNodes.length),
    leafCover: new Float64Array(leafNodes.length),
    shrinkage: 1,
  };
  internalNodes.forEach((id, i) => {
    tree.splitFeature[i] = splitIndex[id]!;
    // XGBoost stores float32 conditions; the text is a decimal rendering, so round back to the float.
    tree.threshold[i] = Math.fround(splitCondition[id]!);
    const defaultLeft = defaultLeftRaw[id];
    if (typeof defaultLeft !== 'boolean' && defaultLeft !== 0 && defaultLeft !== 1) {
      throw new ModelFormatError(
        `${where}.default_left[${id}]: expected a boolean, got ${JSON.stringify(defaultLeft)}`,
      );
    }
    tree.defaultLeft[i] = defaultLeft === true || defaultLeft === 1 ? 1 : 0;
    tree.leftChild[i] = childRef(left[id]!);
    tree.rightChild[i] = childRef(right[id]!);
    tree.splitGain[i] = lossChange[id]!;
    tree.internalCover[i] = sumHessian[id]!;
  });
  leafNodes.forEach((id, i) => {
    tree.leafValue[i] = Math.fround(splitCondition[id]!);
    tree.leafCover[i] = sumHessian[id]!;
  });
  return tree;
}

/** Imports `Booster.save_model('*.json')` output; margins match `predict(output_margin=True)`. */
export function importXgboostJson(text: string): TreeEnsemble {
  let root: Json;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw new ModelFormatError(`not valid JSON: ${(error as Error).message}`);
  }
  const learner = objectAt(root, 'learner', '$');
  const modelParam = objectAt(learner, 'learner_model_param', 'learner');
  const numClass = numberParam(modelParam.num_class ?? '0', 'learner_model_param.num_class');
  if (numClass > 1) throw new ModelFormatError(`num_class=${numClass}: multi-class models are not supported`);
  const numTarget =
    modelParam.num_target === undefined ? 1 : numberParam(modelParam.num_target, 'learner_model_param.num_target');
  if (numTarget > 1) throw new ModelFormatError(`num_target=${numTarget}: multi-output models are not supported`);
  const numFeatures = numberParam(modelParam.num_feature, 'learner_model_param.num_feature');
  if (!Number.isInteger(numFeatures) || numFeatures <= 0) {
    throw new ModelFormatError(`learner_model_param.num_feature must be a positive integer, got ${numFeatures}`);
  }
  const objectiveNode = objectAt(learner, 'objective', 'learner');
  const objective = typeof objectiveNode.name === 'string' ? objectiveNode.name : '';
  if (objective.startsWith('multi:'))
    throw new ModelFormatError(`objective ${objective}: multi-class models are not supported`);
  const baseScore = baseMargin(
    objective,
    numberParam(modelParam.base_score ?? '0.5', 'learner_model_param.base_score'),
  );

  const booster = objectAt(learner, 'gradient_booster', 'learner');
  let gbtree: Record<string, Json>;
  if (booster.name === 'gbtree') {
    gbtree = booster;
  } else if (booster.name === 'dart') {
    const weights = booster.weight_drop;
    if (Array.isArray(weights) && weights.some((weight) => weight !== 1)) {
      throw new ModelFormatError('dart model with dropped-tree weights other than 1 is not supported');
    }
    gbtree = objectAt(booster, 'gbtree', 'learner.gradient_booster');
  } else {
    throw new ModelFormatError(`gradient_booster ${JSON.stringify(booster.name)} is not supported (gbtree is)`);
  }
  const model = objectAt(gbtree, 'model', 'learner.gradient_booster');
  const treeInfo = model.tree_info;
  if (Array.isArray(treeInfo) && treeInfo.some((group) => group !== 0)) {
    throw new ModelFormatError('trees for more than one output group: multi-class models are not supported');
  }
  const trees = arrayAt(model, 'trees', 'learner.gradient_booster.model').map((raw, i) =>
    importTree(raw, i, numFeatures),
  );

  const names = Array.isArray(learner.feature_names) ? learner.feature_names : [];
  let featureNames: string[];
  if (names.length === 0) {
    featureNames = Array.from({ length: numFeatures }, (_, i) => `f${i}`);
  } else if (names.length === numFeatures && names.every((name) => typeof name === 'string')) {
    featureNames = names;
  } else {
    throw new ModelFormatError(`learner.feature_names has ${names.length} entries but num_feature is ${numFeatures}`);
  }
  return { featureNames, objective, comparison: 'lt', baseScore, trees };
}
