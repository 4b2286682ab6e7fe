// `npm run ranker` end to end on LightGBM's own lambdarank example: train a few iterations, evaluate
// the written model, explain rows with SHAP, import the real LightGBM and XGBoost models, and fail
// cleanly on bad input (exit 2 naming the flag for usage mistakes, exit 1 naming the line for bad
// files, no stack traces).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLightGbmModel } from '../../server/lib/ranker/lightgbm-format.js';
import { makeTempDir, REPO_ROOT, removeDir, runScript } from '../support/processes.js';
import { sharedFilesPresent } from '../support/shared-files.js';

const SHARED = path.resolve(REPO_ROOT, '..', 'shared', 'data');
const LTR = path.join(SHARED, 'ltr-lightgbm-example');
const ltrPresent = sharedFilesPresent([LTR]);
const LIGHTGBM_MODEL = path.join(SHARED, 'models', 'leaves_lg_breast_cancer.txt');
const XGBOOST_MODEL = path.join(SHARED, 'models', 'leaves_xgagaricus.json');
const CLI = 'scripts/ranker_cmd.ts';
const dir = makeTempDir();
afterAll(() => removeDir(dir));

const ranker = (args: string[]) => runScript(CLI, args, {}, 30_000);

describe.skipIf(!ltrPresent)('npm run ranker on the LightGBM lambdarank example (needs ../shared/data)', () => {
  const model = path.join(dir, 'model.txt');

  it('trains, evaluates and explains', async () => {
    const trained = await ranker([
      'train',
      ...['--data', path.join(LTR, 'rank.train'), '--query', path.join(LTR, 'rank.train.query')],
      ...['--valid', path.join(LTR, 'rank.test'), '--valid-query', path.join(LTR, 'rank.test.query')],
      ...['--out', model, '--num-iterations', '5', '--seed', '3'],
    ]);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stdout).toMatch(
      /^trained 5 trees \(best iteration 5\) in [\d.]+ s; valid ndcg@1=[\d.]+ .*ndcg@10=([\d.]+); wrote /,
    );
    expect(trained.stderr).toMatch(/\[5\] train [\d.]+ valid [\d.]+/);
    const written = parseLightGbmModel(readFileSync(model, 'utf8'));
    expect(written.trees).toHaveLength(5);
    expect(written.featureNames).toHaveLength(301);

    const evaluated = await ranker([
      'eval',
      ...['--model', model, '--data', path.join(LTR, 'rank.test'), '--query', path.join(LTR, 'rank.test.query')],
    ]);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const table = Object.fromEntries(
      [...evaluated.stdout.matchAll(/^(NDCG@\d+|MAP)\s+([\d.]+)$/gm)].map((match) => [match[1], Number(match[2])]),
    );
    expect(Object.keys(table)).toEqual(['NDCG@1', 'NDCG@3', 'NDCG@5', 'NDCG@10', 'MAP']);
    // The same metric code runs in train and eval, on the same model and data.
    const trainedNdcg10 = Number(/ndcg@10=([\d.]+)/.exec(trained.stdout)![1]);
    expect(table['NDCG@10']).toBe(trainedNdcg10);
    expect(table['NDCG@10']).toBeGreaterThan(0.6);

    const explained = await ranker([
      'shap',
      '--model',
      model,
      '--data',
      path.join(LTR, 'rank.test'),
      '--rows',
      '3',
      '--top',
      '400',
    ]);
    expect(explained.code, explained.stderr).toBe(0);
    const lines = explained.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.row)).toEqual([0, 1, 2]);
    for (const line of lines) {
      // With every non-zero contribution printed, they add up to score − expectedValue.
      const total = Object.values<number>(line.contributions).reduce((sum, value) => sum + value, 0);
      expect(line.expectedValue + total).toBeCloseTo(line.score, 9);
      expect(Object.keys(line.contributions).every((name) => /^Column_\d+$/.test(name))).toBe(true);
    }

    const csv = await ranker([
      'shap',
      '--model',
      model,
      '--data',
      path.join(LTR, 'rank.test'),
      '--rows',
      '1',
      '--top',
      '2',
      '--format',
      'csv',
    ]);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.split('\n')[0]).toBe('row,score,expected_value,feature,contribution');
    expect(csv.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('imports the real LightGBM model and rewrites it, and imports the real XGBoost model', async () => {
    const rewritten = path.join(dir, 'breast-cancer.txt');
    const lightgbm = await ranker(['import', '--format', 'lightgbm', LIGHTGBM_MODEL, '--out', rewritten]);
    expect(lightgbm.code, lightgbm.stderr).toBe(0);
    expect(lightgbm.stdout).toMatch(/39 trees, 30 features .*objective binary sigmoid:1/);
    expect(parseLightGbmModel(readFileSync(rewritten, 'utf8')).trees).toHaveLength(39);

    const xgboost = await ranker(['import', '--format', 'xgboost-json', XGBOOST_MODEL]);
    expect(xgboost.code, xgboost.stderr).toBe(0);
    expect(xgboost.stdout).toMatch(/3 trees, 127 features .*objective binary:logistic/);
  });

  it('exits 2 naming the flag for usage mistakes', async () => {
    const missing = await ranker([
      'train',
      '--query',
      path.join(LTR, 'rank.train.query'),
      '--out',
      path.join(dir, 'x.txt'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/ranker: --data is required/);
    expect(missing.stdout).toBe('');
    const badParam = await ranker([
      'train',
      ...['--data', path.join(LTR, 'rank.train'), '--query', path.join(LTR, 'rank.train.query')],
      ...['--out', path.join(dir, 'x.txt'), '--num-leaves', '1'],
    ]);
    expect(badParam.code).toBe(2);
    expect(badParam.stderr).toMatch(/--num-leaves must be an integer in 2\.\.131072, got 1/);
    const badFormat = await ranker(['import', '--format', 'onnx', LIGHTGBM_MODEL]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/--format must be lightgbm or xgboost-json/);
  });

  it('exits 1 with the file and line for a malformed model or data, without a stack trace', async () => {
    const badModel = path.join(dir, 'bad-model.txt');
    writeFileSync(badModel, 'tree\nversion=v3\nnum_class=1\nthis is not a header line\n');
    const model = await ranker(['import', '--format', 'lightgbm', badModel]);
    expect(model.code).toBe(1);
    expect(model.stderr).toMatch(/bad-model\.txt: .*line 4/);
    expect(model.stderr).not.toMatch(/\n\s+at /);

    const badData = path.join(dir, 'bad.svm');
    writeFileSync(badData, '1 1:0.5\n0 2:NaN\n');
    const badQuery = path.join(dir, 'bad.query');
    writeFileSync(badQuery, '2\n');
    const data = await ranker(['train', '--data', badData, '--query', badQuery, '--out', path.join(dir, 'x.txt')]);
    expect(data.code).toBe(1);
    expect(data.stderr).toMatch(/bad\.svm line 2: feature 2 has value "NaN"/);
    expect(data.stderr).not.toMatch(/\n\s+at /);
  });
});
