// `npm run ranker -- <command> …`: trains, evaluates, imports and explains LambdaMART ranking models
// on LibSVM + query files (the formats LightGBM, XGBoost and RankLib share).
//   train  --data F.svm --query F.query [--valid V.svm --valid-query V.query] --out model.txt [params]
//   eval   --model M --data F.svm --query F.query
//   import --format lightgbm|xgboost-json FILE [--out model.txt]
//   shap   --model M --data F.svm [--rows N] [--top K] [--format json|csv]
//   export --out-dir D [--from ISO --to ISO]   the product's feedback as train.svm + train.query
//          (from DATABASE_URL, else the PGlite under SDE_DATA_DIR while no server holds it)
// Models are LightGBM text or XGBoost JSON (told apart by content: JSON starts with `{`). Usage
// errors exit 2 naming the flag; bad data or models exit 1 with the reason, never a stack trace.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../server/db/open-database.js';
import { DomainError } from '../server/errors/domain-errors.js';
import { buildRepositories } from '../server/composition/repositories.js';
import { ModelRegistry } from '../server/models/model-registry.service.js';
import { RankerTrainingService } from '../server/ranking/ranker-training.service.js';
import { configOrExit } from './cli-config.js';
import { featureImportance } from '../server/lib/ranker/feature-importance.js';
import {
  trainLambdaMart,
  TrainingParamError,
  type LambdaMartParams,
  type RankingDataset,
} from '../server/lib/ranker/lambdamart-trainer.js';
import { parseLibsvm, parseQueryFile, validateGroups } from '../server/lib/ranker/libsvm.js';
import { parseLightGbmModel, writeLightGbmModel } from '../server/lib/ranker/lightgbm-format.js';
import { meanAveragePrecision, ndcgAtK } from '../server/lib/ranker/ranking-metrics.js';
import { compileScorer } from '../server/lib/ranker/scorer.js';
import { createTreeShapExplainer } from '../server/lib/ranker/tree-shap.js';
import type { TreeEnsemble } from '../server/lib/ranker/tree-model.js';
import { importXgboostJson } from '../server/lib/ranker/xgboost-json.js';

const USAGE = `usage: npm run ranker -- <command> [options]
  train  --data F.svm --query F.query [--valid V.svm --valid-query V.query] --out model.txt
         [--num-iterations N --learning-rate x --num-leaves n --max-depth d --min-data-in-leaf n
          --lambda-l2 x --feature-fraction x --bagging-fraction x --bagging-freq n
          --early-stopping-rounds n --seed n]
  eval   --model M --data F.svm --query F.query
  import --format lightgbm|xgboost-json FILE [--out model.txt]
  shap   --model M --data F.svm [--rows N] [--top K] [--format json|csv]
  export --out-dir D [--from ISO-8601 --to ISO-8601]`;

/** A mistake in how the command was called: exit 2 with usage. */
class UsageError extends Error {}

/** Training flags and the parameter each sets; all are numbers. */
const TRAIN_FLAGS: Record<string, keyof LambdaMartParams> = {
  'num-iterations': 'numIterations',
  'learning-rate': 'learningRate',
  'num-leaves': 'numLeaves',
  'max-depth': 'maxDepth',
  'min-data-in-leaf': 'minDataInLeaf',
  'lambda-l2': 'lambdaL2',
  'feature-fraction': 'featureFraction',
  'bagging-fraction': 'baggingFraction',
  'bagging-freq': 'baggingFreq',
  'early-stopping-rounds': 'earlyStoppingRounds',
  seed: 'seed',
};

type Values = Record<string, string | boolean | undefined>;

function parse(args: string[], options: Record<string, { type: 'string' }>): { values: Values; positionals: string[] } {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function required(values: Values, flag: string): string {
  const value = values[flag];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${flag} is required`);
  return value;
}

function optionalInteger(values: Values, flag: string, min: number): number | undefined {
  const value = values[flag];
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== 'string' || !/^-?\d+$/.test(value) || number < min) {
    throw new UsageError(`--${flag} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return number;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

/** Parses a model file, naming the file in any error (the parsers name the line or field). */
function loadModel(file: string, format?: 'lightgbm' | 'xgboost-json'): TreeEnsemble {
  const text = readText(file);
  const kind = format ?? (text.trimStart().startsWith('{') ? 'xgboost-json' : 'lightgbm');
  try {
    const model = kind === 'xgboost-json' ? importXgboostJson(text) : parseLightGbmModel(text);
    compileScorer(model);
    return model;
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

function loadRanking(dataFile: string, queryFile: string, numFeatures?: number): RankingDataset {
  const data = parseLibsvm(readText(dataFile), { numFeatures, source: dataFile });
  const groups = parseQueryFile(readText(queryFile), queryFile);
  validateGroups(groups, data.numRows, queryFile);
  return { ...data, groups };
}

function train(args: string[]): void {
  const options: Record<string, { type: 'string' }> = {
    data: { type: 'string' },
    query: { type: 'string' },
    valid: { type: 'string' },
    'valid-query': { type: 'string' },
    out: { type: 'string' },
  };
  for (const flag of Object.keys(TRAIN_FLAGS)) options[flag] = { type: 'string' };
  const { values, positionals } = parse(args, options);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const dataFile = required(values, 'data');
  const queryFile = required(values, 'query');
  const out = required(values, 'out');
  if ((values.valid === undefined) !== (values['valid-query'] === undefined)) {
    throw new UsageError('--valid and --valid-query go together');
  }
  const params: Partial<LambdaMartParams> = {};
  for (const [flag, name] of Object.entries(TRAIN_FLAGS)) {
    const text = values[flag];
    if (text === undefined) continue;
    const number = Number(text);
    if (typeof text !== 'string' || text.trim() === '' || !Number.isFinite(number)) {
      throw new UsageError(`--${flag} must be a number, got ${String(text)}`);
    }
    (params as Record<string, number>)[name] = number;
  }
  const trainData = loadRanking(dataFile, queryFile);
  const valid =
    typeof values.valid === 'string'
      ? loadRanking(values.valid, required(values, 'valid-query'), trainData.numFeatures)
      : undefined;
  const started = performance.now();
  let result;
  try {
    result = trainLambdaMart(trainData, params, valid, {
      onIteration: (record) => {
        const validText = record.validNdcg === undefined ? '' : ` valid ${record.validNdcg.toFixed(4)}`;
        process.stderr.write(`[${record.iteration}] train ${record.trainNdcg.toFixed(4)}${validText}\n`);
      },
    });
  } catch (error) {
    if (error instanceof TrainingParamError) {
      let message = error.message;
      for (const [flag, name] of Object.entries(TRAIN_FLAGS))
        message = message.replace(new RegExp(`^${name}\\b`), `--${flag}`);
      throw new UsageError(message);
    }
    throw error;
  }
  const seconds = (performance.now() - started) / 1000;
  writeFileSync(out, writeLightGbmModel(result.model));
  const metrics = Object.entries(result.finalNdcg)
    .map(([name, value]) => `${name}=${value.toFixed(4)}`)
    .join(' ');
  process.stdout.write(
    `trained ${result.model.trees.length} trees (best iteration ${result.bestIteration}) in ${seconds.toFixed(2)} s; ` +
      `${valid ? 'valid' : 'train'} ${metrics}; wrote ${out}\n`,
  );
}

function evaluate(args: string[]): void {
  const { values, positionals } = parse(args, {
    model: { type: 'string' },
    data: { type: 'string' },
    query: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const modelFile = required(values, 'model');
  const dataFile = required(values, 'data');
  const queryFile = required(values, 'query');
  const model = loadModel(modelFile);
  const data = loadRanking(dataFile, queryFile, model.featureNames.length);
  const scores = compileScorer(model).scoreRows(data.rows, data.numRows);
  const rows: Array<[string, number]> = [1, 3, 5, 10].map((k) => [
    `NDCG@${k}`,
    ndcgAtK(data.labels, scores, data.groups, k),
  ]);
  rows.push(['MAP', meanAveragePrecision(data.labels, scores, data.groups)]);
  process.stdout.write(`metric   value   (${data.groups.length} queries, ${data.numRows} rows)\n`);
  for (const [name, value] of rows) process.stdout.write(`${name.padEnd(8)} ${value.toFixed(4)}\n`);
}

function importModel(args: string[]): void {
  const { values, positionals } = parse(args, { format: { type: 'string' }, out: { type: 'string' } });
  const format = required(values, 'format');
  if (format !== 'lightgbm' && format !== 'xgboost-json') {
    throw new UsageError(`--format must be lightgbm or xgboost-json, got ${format}`);
  }
  if (positionals.length !== 1) throw new UsageError('import takes exactly one model FILE');
  const file = positionals[0]!;
  const model = loadModel(file, format);
  const used = featureImportance(model, 'split').filter((entry) => entry.importance > 0).length;
  process.stdout.write(
    `${file}: ${model.trees.length} trees, ${model.featureNames.length} features (${used} used in splits), ` +
      `objective ${model.objective}, comparison ${model.comparison}\n`,
  );
  if (typeof values.out === 'string') {
    writeFileSync(values.out, writeLightGbmModel(model));
    process.stdout.write(`wrote ${values.out} (LightGBM text)\n`);
  }
}

function shap(args: string[]): void {
  const { values, positionals } = parse(args, {
    model: { type: 'string' },
    data: { type: 'string' },
    rows: { type: 'string' },
    top: { type: 'string' },
    format: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const modelFile = required(values, 'model');
  const dataFile = required(values, 'data');
  const maxRows = optionalInteger(values, 'rows', 1);
  const top = optionalInteger(values, 'top', 1) ?? 10;
  const format = values.format ?? 'json';
  if (format !== 'json' && format !== 'csv')
    throw new UsageError(`--format must be json or csv, got ${String(format)}`);
  const model = loadModel(modelFile);
  const numFeatures = model.featureNames.length;
  const data = parseLibsvm(readText(dataFile), { numFeatures, source: dataFile });
  const scorer = compileScorer(model);
  const explainer = createTreeShapExplainer(model);
  const numRows = Math.min(data.numRows, maxRows ?? data.numRows);
  if (format === 'csv') process.stdout.write('row,score,expected_value,feature,contribution\n');
  for (let row = 0; row < numRows; row++) {
    const features = data.rows.subarray(row * numFeatures, (row + 1) * numFeatures);
    const score = scorer.score(features);
    const { expectedValue, contributions } = explainer.explain(features);
    const ranked = Array.from(contributions, (value, feature) => ({ feature, value }))
      .filter((entry) => entry.value !== 0)
      .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.feature - b.feature)
      .slice(0, top);
    if (format === 'csv') {
      for (const { feature, value } of ranked) {
        process.stdout.write(`${row},${score},${expectedValue},${csvField(model.featureNames[feature]!)},${value}\n`);
      }
    } else {
      const named = Object.fromEntries(ranked.map(({ feature, value }) => [model.featureNames[feature]!, value]));
      process.stdout.write(JSON.stringify({ row, score, expectedValue, contributions: named }) + '\n');
    }
  }
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The product's labelled impressions as LibSVM + query files, with the feature names and each group's viewer. */
async function exportTrainingData(args: string[]): Promise<void> {
  const { values, positionals } = parse(args, {
    'out-dir': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const outDir = required(values, 'out-dir');
  const date = (flag: 'from' | 'to') => {
    const text = values[flag];
    if (text === undefined) return undefined;
    const parsed = new Date(String(text));
    if (Number.isNaN(parsed.getTime())) throw new UsageError(`--${flag} must be an ISO-8601 date, got ${String(text)}`);
    return parsed;
  };
  const window = { ...(date('from') ? { from: date('from') } : {}), ...(date('to') ? { to: date('to') } : {}) };
  const db = await openDatabase(configOrExit());
  try {
    const repositories = buildRepositories(db);
    const training = new RankerTrainingService(repositories.trainingData, new ModelRegistry(db, repositories.models));
    const exported = await training.exportTrainingData(training.resolveWindow(window));
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, 'train.svm'), exported.libsvm);
    writeFileSync(path.join(outDir, 'train.query'), exported.query);
    writeFileSync(path.join(outDir, 'features.txt'), exported.featureNames.join('\n') + '\n');
    writeFileSync(
      path.join(outDir, 'viewers.txt'),
      exported.viewers.join('\n') + (exported.viewers.length ? '\n' : ''),
    );
    process.stdout.write(
      `exported ${exported.rows} rows in ${exported.groups} viewer groups (${exported.window.from} – ${exported.window.to}; ` +
        `labels 0/1/2: ${exported.labels.pass}/${exported.labels.like}/${exported.labels.strong}) to ${outDir}\n`,
    );
  } catch (error) {
    // The CLI is an edge: it places the service's field as the option the user typed (`--from`).
    if (error instanceof DomainError) throw new UsageError(error.messageWithField((field) => `--${field}`));
    throw error;
  } finally {
    await db.close();
  }
}

const COMMANDS: Record<string, (args: string[]) => void | Promise<void>> = {
  train,
  eval: evaluate,
  import: importModel,
  shap,
  export: exportTrainingData,
};

const [command, ...rest] = process.argv.slice(2);
try {
  const run = command === undefined ? undefined : COMMANDS[command];
  if (!run) throw new UsageError(command === undefined ? 'a command is required' : `unknown command ${command}`);
  await run(rest);
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`ranker: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`ranker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
