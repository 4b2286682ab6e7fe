// Reads and writes LightGBM's text model format (v3/v4), so a model trained by LightGBM elsewhere loads as
// is and a model trained here loads in LightGBM. Only single-output numerical trees are supported:
// multiclass, categorical splits, linear trees and random-forest averaging are rejected with a clear error.
import { assertValidTree, ModelFormatError } from './model-errors.js';
import type { MissingType, Tree, TreeEnsemble } from './tree-model.js';

const MISSING_TYPES: MissingType[] = ['none', 'zero', 'nan'];
const DECISION_CATEGORICAL = 1;
const DECISION_DEFAULT_LEFT = 2;

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITY_PATTERN = /^([+-]?)inf(inity)?$/i;

function parseNumber(token: string, where: string): number {
  if (NUMBER_PATTERN.test(token)) return Number(token);
  const infinity = INFINITY_PATTERN.exec(token);
  if (infinity) return infinity[1] === '-' ? -Infinity : Infinity;
  throw new ModelFormatError(`${where}: "${token}" is not a number`);
}

function parseNumberArray(text: string, expected: number, where: string): Float64Array {
  const tokens = text.trim() === '' ? [] : text.trim().split(/\s+/);
  if (tokens.length !== expected) {
    throw new ModelFormatError(`${where}: expected ${expected} values, found ${tokens.length}`);
  }
  const out = new Float64Array(expected);
  tokens.forEach((token, i) => (out[i] = parseNumber(token, `${where}[${i}]`)));
  return out;
}

function parseIntArray(text: string, expected: number, where: string): Int32Array {
  const values = parseNumberArray(text, expected, where);
  values.forEach((value, i) => {
    if (!Number.isInteger(value)) throw new ModelFormatError(`${where}[${i}]: ${value} is not an integer`);
  });
  return Int32Array.from(values);
}

interface Line {
  text: string;
  number: number;
}

function splitKeyValue(line: Line): [string, string] | null {
  const eq = line.text.indexOf('=');
  return eq < 0 ? null : [line.text.slice(0, eq), line.text.slice(eq + 1)];
}

function parseTreeBlock(lines: Line[], treeIndex: number, numFeatures: number): Tree {
  const where = `tree ${treeIndex}`;
  const fields = new Map<string, string>();
  for (const line of lines) {
    const kv = splitKeyValue(line);
    if (!kv) throw new ModelFormatError(`line ${line.number} (${where}): expected key=value, got "${line.text}"`);
    fields.set(kv[0], kv[1]);
  }
  const field = (key: string): string => {
    const value = fields.get(key);
    if (value === undefined) throw new ModelFormatError(`${where}: missing ${key}`);
    return value;
  };
  const optionalField = (key: string): string | undefined => fields.get(key);

  const numLeaves = parseNumber(field('num_leaves'), `${where} num_leaves`);
  if (!Number.isInteger(numLeaves) || numLeaves < 1) {
    throw new ModelFormatError(`${where}: num_leaves must be a positive integer, got ${field('num_leaves')}`);
  }
  const numCat = parseNumber(optionalField('num_cat') ?? '0', `${where} num_cat`);
  if (numCat !== 0) {
    throw new ModelFormatError(`${where}: has ${numCat} categorical splits (num_cat), which are not supported`);
  }
  if ((optionalField('is_linear') ?? '0').trim() !== '0') {
    throw new ModelFormatError(`${where}: is a linear tree (is_linear=1), which is not supported`);
  }
  const numInternal = numLeaves - 1;
  const leafValue = parseNumberArray(field('leaf_value'), numLeaves, `${where} leaf_value`);
  const shrinkage = parseNumber(optionalField('shrinkage') ?? '1', `${where} shrinkage`);
  const internalArray = (key: string): Float64Array =>
    numInternal === 0 && !fields.has(key)
      ? new Float64Array(0)
      : parseNumberArray(field(key), numInternal, `${where} ${key}`);
  const leafArray = (key: string): Float64Array =>
    numInternal === 0 && !fields.has(key)
      ? new Float64Array(1)
      : parseNumberArray(field(key), numLeaves, `${where} ${key}`);

  const splitFeature =
    numInternal === 0
      ? new Int32Array(0)
      : parseIntArray(field('split_feature'), numInternal, `${where} split_feature`);
  const leftChild =
    numInternal === 0 ? new Int32Array(0) : parseIntArray(field('left_child'), numInternal, `${where} left_child`);
  const rightChild =
    numInternal === 0 ? new Int32Array(0) : parseIntArray(field('right_child'), numInternal, `${where} right_child`);
  const decisionType =
    numInternal === 0 || !fields.has('decision_type')
      ? new Int32Array(numInternal)
      : parseIntArray(field('decision_type'), numInternal, `${where} decision_type`);
  const defaultLeft = new Uint8Array(numInternal);
  const missingType: MissingType[] = [];
  for (let i = 0; i < numInternal; i++) {
    const decision = decisionType[i]!;
    if (decision & DECISION_CATEGORICAL) {
      throw new ModelFormatError(`${where}: node ${i} is a categorical split, which is not supported`);
    }
    const missing = MISSING_TYPES[(decision >> 2) & 3];
    if (missing === undefined)
      throw new ModelFormatError(`${where}: node ${i} has unknown missing type in decision_type ${decision}`);
    missingType.push(missing);
    defaultLeft[i] = decision & DECISION_DEFAULT_LEFT ? 1 : 0;
    const feature = splitFeature[i]!;
    if (feature < 0 || feature >= numFeatures) {
      throw new ModelFormatError(
        `${where}: node ${i} splits on feature ${feature}, but max_feature_idx is ${numFeatures - 1}`,
      );
    }
  }
  const splitGain = fields.has('split_gain') ? internalArray('split_gain') : new Float64Array(numInternal);
  const tree: Tree = {
    splitFeature,
    threshold: internalArray('threshold'),
    defaultLeft,
    missingType,
    leftChild,
    rightChild,
    splitGain,
    // LightGBM's own TreeSHAP weighs branches by data counts, so the counts are the covers.
    internalCover: internalArray('internal_count'),
    leafValue,
    leafCover: numInternal === 0 && !fields.has('leaf_count') ? Float64Array.of(1) : leafArray('leaf_count'),
    shrinkage,
  };
  if (fields.has('internal_value')) tree.internalValue = internalArray('internal_value');
  if (fields.has('internal_weight')) tree.internalWeight = internalArray('internal_weight');
  if (fields.has('leaf_weight')) tree.leafWeight = leafArray('leaf_weight');
  assertValidTree(tree, where);
  return tree;
}

/** Parses a LightGBM text model (`model.txt`, `Booster.save_model`, `model_to_string`). */
export function parseLightGbmModel(text: string): TreeEnsemble {
  const lines: Line[] = text.split('\n').map((raw, i) => ({ text: raw.replace(/\r$/, ''), number: i + 1 }));
  let cursor = 0;
  const skipBlank = (): void => {
    while (cursor < lines.length && lines[cursor]!.text.trim() === '') cursor++;
  };
  skipBlank();
  if (cursor >= lines.length) throw new ModelFormatError('model file is empty');
  if (lines[cursor]!.text.trim() !== 'tree') {
    throw new ModelFormatError(
      `line ${lines[cursor]!.number}: expected "tree" (a LightGBM tree model), got "${lines[cursor]!.text}"`,
    );
  }
  cursor++;

  const header = new Map<string, string>();
  for (; cursor < lines.length && !lines[cursor]!.text.startsWith('Tree='); cursor++) {
    const line = lines[cursor]!;
    if (line.text.trim() === '') continue;
    if (line.text.trim() === 'average_output') {
      throw new ModelFormatError(`line ${line.number}: average_output (random forest mode) is not supported`);
    }
    const kv = splitKeyValue(line);
    if (!kv) throw new ModelFormatError(`line ${line.number}: expected key=value in the header, got "${line.text}"`);
    header.set(kv[0], kv[1]);
  }
  const headerField = (key: string): string => {
    const value = header.get(key);
    if (value === undefined) throw new ModelFormatError(`header: missing ${key}`);
    return value;
  };
  const version = header.get('version');
  if (version !== undefined && !/^v[234]$/.test(version)) {
    throw new ModelFormatError(`header: unsupported model version ${version} (v2, v3 and v4 are)`);
  }
  const numClass = parseNumber(headerField('num_class'), 'header num_class');
  if (numClass !== 1)
    throw new ModelFormatError(`header: num_class=${numClass}; only single-output models (num_class=1) are supported`);
  const treesPerIteration = parseNumber(header.get('num_tree_per_iteration') ?? '1', 'header num_tree_per_iteration');
  if (treesPerIteration !== 1) {
    throw new ModelFormatError(`header: num_tree_per_iteration=${treesPerIteration}; only 1 is supported`);
  }
  const maxFeatureIdx = parseNumber(headerField('max_feature_idx'), 'header max_feature_idx');
  if (!Number.isInteger(maxFeatureIdx) || maxFeatureIdx < 0) {
    throw new ModelFormatError(`header: max_feature_idx must be a non-negative integer, got ${maxFeatureIdx}`);
  }
  const numFeatures = maxFeatureIdx + 1;
  const featureNames = headerField('feature_names').trim().split(/\s+/);
  if (featureNames.length !== numFeatures) {
    throw new ModelFormatError(
      `header: feature_names has ${featureNames.length} names but max_feature_idx=${maxFeatureIdx}`,
    );
  }
  const featureInfosText = header.get('feature_infos');
  const featureInfos = featureInfosText?.trim().split(/\s+/);
  if (featureInfos && featureInfos.length !== numFeatures) {
    throw new ModelFormatError(
      `header: feature_infos has ${featureInfos.length} entries but max_feature_idx=${maxFeatureIdx}`,
    );
  }
  const treeSizesText = header.get('tree_sizes');

  const trees: Tree[] = [];
  let sawEndOfTrees = false;
  while (cursor < lines.length) {
    const line = lines[cursor]!;
    if (line.text.trim() === '') {
      cursor++;
      continue;
    }
    if (line.text.trim() === 'end of trees') {
      sawEndOfTrees = true;
      cursor++;
      break;
    }
    const match = /^Tree=(\d+)$/.exec(line.text.trim());
    if (!match)
      throw new ModelFormatError(
        `line ${line.number}: expected "Tree=${trees.length}" or "end of trees", got "${line.text}"`,
      );
    if (Number(match[1]) !== trees.length) {
      throw new ModelFormatError(`line ${line.number}: expected Tree=${trees.length}, got ${line.text}`);
    }
    cursor++;
    const block: Line[] = [];
    while (cursor < lines.length && lines[cursor]!.text.trim() !== '') {
      block.push(lines[cursor]!);
      cursor++;
    }
    trees.push(parseTreeBlock(block, trees.length, numFeatures));
  }
  if (!sawEndOfTrees) {
    throw new ModelFormatError(`file ends after ${trees.length} trees without "end of trees" (truncated?)`);
  }
  if (treeSizesText !== undefined) {
    const declared = treeSizesText.trim() === '' ? 0 : treeSizesText.trim().split(/\s+/).length;
    if (declared !== trees.length) {
      throw new ModelFormatError(`header: tree_sizes lists ${declared} trees but the file holds ${trees.length}`);
    }
  }

  // Trailer: feature_importances (recomputable, ignored) and the parameters block.
  let parameters: Record<string, string> | undefined;
  for (; cursor < lines.length; cursor++) {
    if (lines[cursor]!.text.trim() !== 'parameters:') continue;
    parameters = {};
    cursor++;
    let closed = false;
    for (; cursor < lines.length; cursor++) {
      const text = lines[cursor]!.text.trim();
      if (text === 'end of parameters') {
        closed = true;
        break;
      }
      if (text === '') continue;
      const param = /^\[([^:\]]+):\s?(.*)\]$/.exec(text);
      if (!param)
        throw new ModelFormatError(
          `line ${lines[cursor]!.number}: expected "[key: value]" in parameters, got "${text}"`,
        );
      parameters[param[1]!] = param[2]!;
    }
    if (!closed) throw new ModelFormatError('parameters block has no "end of parameters" (truncated?)');
    break;
  }

  const ensemble: TreeEnsemble = {
    featureNames,
    objective: header.get('objective') ?? '',
    comparison: 'le',
    baseScore: 0,
    trees,
  };
  if (featureInfos) ensemble.featureInfos = featureInfos;
  if (parameters) ensemble.parameters = parameters;
  return ensemble;
}

function formatNumber(value: number, where: string): string {
  if (Number.isNaN(value)) throw new ModelFormatError(`${where}: NaN cannot be written`);
  // LightGBM clamps infinite thresholds and gains to ±1e300 (Common::AvoidInf) before writing.
  if (value === Infinity) return '1e+300';
  if (value === -Infinity) return '-1e+300';
  return String(value);
}

function formatArray(values: ArrayLike<number>, where: string): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; i++) parts.push(formatNumber(values[i]!, `${where}[${i}]`));
  return parts.join(' ');
}

/** Node output a LightGBM file stores for each internal node: the cover-weighted mean of its leaves. */
function coverWeightedMeans(tree: Tree): Float64Array {
  const means = new Float64Array(tree.splitFeature.length);
  const visit = (child: number): [number, number] => {
    if (child < 0) return [tree.leafValue[~child]!, tree.leafCover[~child]!];
    const [leftMean, leftCover] = visit(tree.leftChild[child]!);
    const [rightMean, rightCover] = visit(tree.rightChild[child]!);
    const cover = leftCover + rightCover;
    means[child] = cover > 0 ? (leftMean * leftCover + rightMean * rightCover) / cover : (leftMean + rightMean) / 2;
    return [means[child], cover];
  };
  if (tree.splitFeature.length > 0) visit(0);
  return means;
}

function writeTreeBlock(tree: Tree, index: number): string {
  const where = `tree ${index}`;
  const numInternal = tree.splitFeature.length;
  const decisionType = new Int32Array(numInternal);
  for (let i = 0; i < numInternal; i++) {
    const missing = MISSING_TYPES.indexOf(tree.missingType[i]!);
    decisionType[i] = (tree.defaultLeft[i] ? DECISION_DEFAULT_LEFT : 0) | (missing << 2);
  }
  const lines = [
    `Tree=${index}`,
    `num_leaves=${tree.leafValue.length}`,
    'num_cat=0',
    `split_feature=${formatArray(tree.splitFeature, `${where} split_feature`)}`,
    `split_gain=${formatArray(tree.splitGain, `${where} split_gain`)}`,
    `threshold=${formatArray(tree.threshold, `${where} threshold`)}`,
    `decision_type=${formatArray(decisionType, `${where} decision_type`)}`,
    `left_child=${formatArray(tree.leftChild, `${where} left_child`)}`,
    `right_child=${formatArray(tree.rightChild, `${where} right_child`)}`,
    `leaf_value=${formatArray(tree.leafValue, `${where} leaf_value`)}`,
    `leaf_weight=${formatArray(tree.leafWeight ?? tree.leafCover, `${where} leaf_weight`)}`,
    `leaf_count=${formatArray(tree.leafCover, `${where} leaf_count`)}`,
    `internal_value=${formatArray(tree.internalValue ?? coverWeightedMeans(tree), `${where} internal_value`)}`,
    `internal_weight=${formatArray(tree.internalWeight ?? tree.internalCover, `${where} internal_weight`)}`,
    `internal_count=${formatArray(tree.internalCover, `${where} internal_count`)}`,
    'is_linear=0',
    `shrinkage=${formatNumber(tree.shrinkage, `${where} shrinkage`)}`,
  ];
  // LightGBM's Tree::ToString ends with a blank line and SaveModelToString appends one more newline.
  return `${lines.join('\n')}\n\n\n`;
}

/** Split counts per feature, for the `feature_importances:` section LightGBM writes. */
function splitCounts(model: TreeEnsemble): number[] {
  const counts = new Array<number>(model.featureNames.length).fill(0);
  for (const tree of model.trees) for (const feature of tree.splitFeature) counts[feature] = (counts[feature] ?? 0) + 1;
  return counts;
}

/** Writes a model as a LightGBM v4 text file that LightGBM itself loads. */
export function writeLightGbmModel(model: TreeEnsemble): string {
  if (model.comparison !== 'le') {
    throw new ModelFormatError(
      'only LightGBM-style models (x <= threshold, comparison "le") can be written as LightGBM text; this one uses XGBoost\'s "lt"',
    );
  }
  if (model.baseScore !== 0) {
    throw new ModelFormatError(`LightGBM text files have no base score; this model has baseScore=${model.baseScore}`);
  }
  const numFeatures = model.featureNames.length;
  if (numFeatures === 0) throw new ModelFormatError('the model has no features');
  model.featureNames.forEach((name, i) => {
    if (name === '' || /\s/.test(name))
      throw new ModelFormatError(`feature ${i}: name "${name}" is empty or contains whitespace`);
  });
  const featureInfos = model.featureInfos ?? new Array<string>(numFeatures).fill('none');
  if (featureInfos.length !== numFeatures) {
    throw new ModelFormatError(`featureInfos has ${featureInfos.length} entries for ${numFeatures} features`);
  }
  const blocks = model.trees.map((tree, i) => {
    assertValidTree(tree, `tree ${i}`);
    return writeTreeBlock(tree, i);
  });
  const header = [
    'tree',
    'version=v4',
    'num_class=1',
    'num_tree_per_iteration=1',
    'label_index=0',
    `max_feature_idx=${numFeatures - 1}`,
    ...(model.objective === '' ? [] : [`objective=${model.objective}`]),
    `feature_names=${model.featureNames.join(' ')}`,
    `feature_infos=${featureInfos.join(' ')}`,
    // Blocks are ASCII (numbers and keys only), so string length is the byte length LightGBM expects.
    `tree_sizes=${blocks.map((block) => block.length).join(' ')}`,
  ];
  const importances = splitCounts(model)
    .map((count, feature) => ({ count, feature }))
    .filter((entry) => entry.count > 0)
    .sort((a, b) => b.count - a.count || a.feature - b.feature)
    .map((entry) => `${model.featureNames[entry.feature]}=${entry.count}\n`)
    .join('');
  const parameters = Object.entries(model.parameters ?? {})
    .map(([key, value]) => `[${key}: ${value}]\n`)
    .join('');
  return (
    `${header.join('\n')}\n\n` +
    blocks.join('') +
    'end of trees\n' +
    `\nfeature_importances:\n${importances}` +
    `\nparameters:\n${parameters}\nend of parameters\n` +
    '\npandas_categorical:null\n'
  );
}
