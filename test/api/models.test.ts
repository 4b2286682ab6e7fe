// The model registry through its admin API on each database: importing real LightGBM and XGBoost files
// and downloading them unchanged, refusing malformed files and wrong feature columns, promotion and
// rollback with their history, exactly one live model at any time (the database's index included), and
// access for operators only.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAIR_FEATURE_NAMES } from '../../server/features/pair-feature-spec.js';
import type { ModelDetail, ModelVersion } from '../../shared/schemas/models.js';
import { databaseKinds } from '../support/databases.js';
import { tinyRankerModel } from '../support/route-examples/models.js';
import { sharedFilesPresent } from '../support/shared-files.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

const BASE = '/api/v2/admin/models';
const MODELS_DIR = new URL('../../../shared/data/models/', import.meta.url);
const LIGHTGBM_FILE = new URL('leaves_lg_breast_cancer.txt', MODELS_DIR);
const XGBOOST_FILE = new URL('leaves_xgagaricus.json', MODELS_DIR);
const sharedModelsPresent = sharedFilesPresent([LIGHTGBM_FILE, XGBOOST_FILE]);

describe.each(databaseKinds)('model registry [%s]', (kind) => {
  let t: TestApp;
  let engineer: Record<string, string>;
  let admin: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp(kind);
    engineer = bearer(await t.token('ml_engineer', 'eng-1'));
    admin = bearer(await t.token('admin', 'admin-1'));
  });
  afterAll(async () => {
    await t?.close();
  });

  async function importModel(payload: Record<string, unknown>, headers = engineer) {
    return t.app.inject({ method: 'POST', url: BASE, headers, payload });
  }

  async function promote(id: string, to: string, note?: string, headers = engineer) {
    return t.app.inject({
      method: 'POST',
      url: `${BASE}/${id}/promote`,
      headers,
      payload: note === undefined ? { to } : { to, note },
    });
  }

  async function liveIds(): Promise<string[]> {
    const { rows } = await t.scratch.db.query<{ id: string }>(
      `SELECT id FROM model_versions WHERE kind = 'ranker' AND status = 'live'`,
    );
    return rows.map((row) => row.id);
  }

  async function statusOf(id: string): Promise<string> {
    const { rows } = await t.scratch.db.query<{ status: string }>('SELECT status FROM model_versions WHERE id = $1', [
      id,
    ]);
    return rows[0]!.status;
  }

  describe.skipIf(!sharedModelsPresent)('real model files (../shared/data/models)', () => {
    it('imports the LightGBM breast-cancer model, lists it, details it and downloads it unchanged', async () => {
      const text = readFileSync(LIGHTGBM_FILE, 'utf8');
      const created = await importModel({
        id: 'lgb-breast-cancer',
        format: 'lightgbm',
        artifact: text,
        params: { objective: 'binary' },
        metrics: { auc: 0.99 },
        trainingWindow: { from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' },
        note: 'leaves test model',
      });
      expect(created.statusCode, created.body).toBe(201);
      const version = created.json<ModelVersion>();
      expect(version).toMatchObject({
        id: 'lgb-breast-cancer',
        kind: 'ranker',
        status: 'candidate',
        format: 'lightgbm',
        artifactBytes: Buffer.byteLength(text),
        params: { objective: 'binary' },
        metrics: { auc: 0.99 },
        trainingWindow: { from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' },
        createdBy: 'eng-1',
        statusChangedBy: 'eng-1',
      });

      const list = await t.app.inject({ method: 'GET', url: `${BASE}?status=candidate`, headers: admin });
      expect(list.statusCode).toBe(200);
      expect(list.json().models.map((m: ModelVersion) => m.id)).toContain('lgb-breast-cancer');
      expect(list.json().models[0]).not.toHaveProperty('artifact');

      const detail = await t.app.inject({ method: 'GET', url: `${BASE}/lgb-breast-cancer`, headers: admin });
      expect(detail.statusCode).toBe(200);
      const body = detail.json<ModelDetail>();
      expect(body.features).toHaveLength(30);
      expect(body.features[0]).toBe('Column_0');
      expect(body.trees).toBeGreaterThan(0);
      expect(body.featureImportance.length).toBeGreaterThan(0);
      expect(body.featureImportance[0]!.importance).toBeGreaterThanOrEqual(body.featureImportance.at(-1)!.importance);
      expect(body.featureSpec).toBeNull(); // its columns are not the pair features
      expect(body.history).toEqual([
        expect.objectContaining({ from: null, to: 'candidate', changedBy: 'eng-1', note: 'leaves test model' }),
      ]);

      const download = await t.app.inject({
        method: 'GET',
        url: `${BASE}/lgb-breast-cancer/artifact`,
        headers: engineer,
      });
      expect(download.statusCode).toBe(200);
      expect(download.headers['content-type']).toMatch(/^text\/plain/);
      expect(download.headers['content-disposition']).toBe('attachment; filename="lgb-breast-cancer.txt"');
      expect(download.body).toBe(text);
    });

    it('imports the XGBoost agaricus model and downloads it as JSON, unchanged', async () => {
      const text = readFileSync(XGBOOST_FILE, 'utf8');
      const created = await importModel({ format: 'xgboost-json', artifact: text });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json<ModelVersion>().id;
      expect(id).toMatch(/^ranker-\d{8}-\d{4}-[0-9a-f]{6}$/);
      const detail = await t.app.inject({ method: 'GET', url: `${BASE}/${id}`, headers: engineer });
      expect(detail.json<ModelDetail>()).toMatchObject({ format: 'xgboost-json', trees: 3 });
      const download = await t.app.inject({ method: 'GET', url: `${BASE}/${id}/artifact`, headers: engineer });
      expect(download.headers['content-type']).toMatch(/^application\/json/);
      expect(download.headers['content-disposition']).toBe(`attachment; filename="${id}.json"`);
      expect(download.body).toBe(text);
    });

    it('refuses to make a model with other feature columns live or shadow, naming the mismatch', async () => {
      for (const to of ['live', 'shadow']) {
        const response = await promote('lgb-breast-cancer', to);
        expect(response.statusCode).toBe(409);
        expect(response.json().message).toBe(
          `body.to: model "lgb-breast-cancer" cannot become ${to}: the model has 30 features but the pair-feature spec has ${PAIR_FEATURE_NAMES.length}`,
        );
      }
      expect(await statusOf('lgb-breast-cancer')).toBe('candidate');
    });
  });

  it('refuses a malformed artifact with 422 naming the line, and stores nothing', async () => {
    const broken = tinyRankerModel(0.4).replace('num_leaves=2', 'num_leaves=two');
    const response = await importModel({ id: 'broken-model', format: 'lightgbm', artifact: broken });
    expect(response.statusCode).toBe(422);
    expect(response.json().message).toBe('body.artifact: tree 0 num_leaves: "two" is not a number');
    const noHeader = await importModel({ id: 'broken-model', format: 'lightgbm', artifact: `\n\nmodel\n${broken}` });
    expect(noHeader.statusCode).toBe(422);
    expect(noHeader.json().message).toBe('body.artifact: line 3: expected "tree" (a LightGBM tree model), got "model"');
    const notJson = await importModel({ id: 'broken-json', format: 'xgboost-json', artifact: '{"learner": [' });
    expect(notJson.statusCode).toBe(422);
    expect(notJson.json().message).toMatch(/^body\.artifact: not valid JSON/);
    const { rows } = await t.scratch.db.query(
      `SELECT id FROM model_versions WHERE id IN ('broken-model', 'broken-json')`,
    );
    expect(rows).toEqual([]);
  });

  it('names the field for bad import bodies and duplicate ids', async () => {
    const unknownField = await importModel({ format: 'lightgbm', artifact: tinyRankerModel(), status: 'live' });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().message).toMatch(/^body/);
    const badFormat = await importModel({ format: 'onnx', artifact: tinyRankerModel() });
    expect(badFormat.statusCode).toBe(400);
    expect(badFormat.json().message).toMatch(/^body\.format/);
    const badWindow = await importModel({
      format: 'lightgbm',
      artifact: tinyRankerModel(),
      trainingWindow: { from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' },
    });
    expect(badWindow.statusCode).toBe(400);
    expect(badWindow.json().message).toBe('body.trainingWindow: "from" is after "to"');

    expect((await importModel({ id: 'dup-model', format: 'lightgbm', artifact: tinyRankerModel() })).statusCode).toBe(
      201,
    );
    const duplicate = await importModel({ id: 'dup-model', format: 'lightgbm', artifact: tinyRankerModel(0.9) });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().message).toBe('body.id: a model version "dup-model" already exists');
    const download = await t.app.inject({ method: 'GET', url: `${BASE}/dup-model/artifact`, headers: engineer });
    expect(download.body).toBe(tinyRankerModel()); // the first upload, untouched
  });

  it('answers 404 for unknown ids and 400 for malformed ones', async () => {
    for (const url of [`${BASE}/no-such-model`, `${BASE}/no-such-model/artifact`]) {
      const response = await t.app.inject({ method: 'GET', url, headers: engineer });
      expect(response.statusCode).toBe(404);
      expect(response.json().message).toBe('params.id: no model version "no-such-model"');
    }
    expect((await promote('no-such-model', 'live')).statusCode).toBe(404);
    const badId = await t.app.inject({ method: 'GET', url: `${BASE}/${encodeURIComponent('a b')}`, headers: engineer });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().message).toMatch(/^params\.id/);
  });

  describe('promotion and rollback', () => {
    it('answers 409 for a rollback when no model has been live before the current one', async () => {
      const none = await t.app.inject({ method: 'POST', url: `${BASE}/rollback`, headers: engineer, payload: {} });
      expect(none.statusCode).toBe(409);
      expect(none.json().message).toBe('body.kind: no ranker model is live, so there is nothing to roll back');
    });

    it('promotes A, then B (A retired), rolls back to A (B retired), recording who, when and why', async () => {
      for (const [id, value] of [
        ['model-a', 0.11],
        ['model-b', 0.22],
      ] as const) {
        const created = await importModel({ id, format: 'lightgbm', artifact: tinyRankerModel(value) });
        expect(created.statusCode, created.body).toBe(201);
      }
      const detailA = await t.app.inject({ method: 'GET', url: `${BASE}/model-a`, headers: engineer });
      expect(detailA.json<ModelDetail>().features).toEqual(PAIR_FEATURE_NAMES);
      expect(detailA.json<ModelDetail>().featureSpec).toMatchObject({ version: 'pair-features-v1' });

      const liveA = await promote('model-a', 'live', 'first ranker');
      expect(liveA.statusCode, liveA.body).toBe(200);
      expect(liveA.json()).toMatchObject({ model: { id: 'model-a', status: 'live' }, demoted: null });
      expect(await liveIds()).toEqual(['model-a']);

      const onlyOne = await t.app.inject({ method: 'POST', url: `${BASE}/rollback`, headers: engineer, payload: {} });
      expect(onlyOne.statusCode).toBe(409);
      expect(onlyOne.json().message).toMatch(/^body\.kind: no earlier live ranker model to roll back to/);

      const liveB = await promote('model-b', 'live', 'better NDCG', admin);
      expect(liveB.statusCode, liveB.body).toBe(200);
      expect(liveB.json()).toMatchObject({
        model: { id: 'model-b', status: 'live', statusChangedBy: 'admin-1' },
        demoted: { id: 'model-a', from: 'live', to: 'retired' },
      });
      expect(await liveIds()).toEqual(['model-b']);
      expect(await statusOf('model-a')).toBe('retired');
      expect((await t.app.engine.models.liveModel())?.id).toBe('model-b');

      const again = await promote('model-b', 'live');
      expect(again.statusCode).toBe(409);
      expect(again.json().message).toBe('body.to: model "model-b" is already live');
      const retireLive = await promote('model-b', 'retired');
      expect(retireLive.statusCode).toBe(409);
      expect(retireLive.json().message).toMatch(/^body\.to: model "model-b" is live; promote another model/);

      const rollback = await t.app.inject({
        method: 'POST',
        url: `${BASE}/rollback`,
        headers: engineer,
        payload: { kind: 'ranker', note: 'B hurt match rate' },
      });
      expect(rollback.statusCode, rollback.body).toBe(200);
      expect(rollback.json()).toMatchObject({
        live: { id: 'model-a', status: 'live', statusChangedBy: 'eng-1' },
        retired: { id: 'model-b', status: 'retired', statusChangedBy: 'eng-1' },
      });
      expect(await liveIds()).toEqual(['model-a']);

      // The registry asks the database on every call, so the rollback is seen at once.
      const live = await t.app.engine.models.liveModel('ranker');
      expect(live?.id).toBe('model-a');
      expect(live?.status).toBe('live');
      const row = new Float64Array(PAIR_FEATURE_NAMES.length); // feature 0 = 0 → left leaf
      expect(live?.scorer.score(row)).toBeCloseTo(0.11, 12);

      const historyA = (
        await t.app.inject({ method: 'GET', url: `${BASE}/model-a`, headers: engineer })
      ).json<ModelDetail>().history;
      expect(historyA.map((change) => [change.from, change.to, change.changedBy, change.note])).toEqual([
        [null, 'candidate', 'eng-1', null],
        ['candidate', 'live', 'eng-1', 'first ranker'],
        ['live', 'retired', 'admin-1', 'better NDCG'],
        ['retired', 'live', 'eng-1', 'B hurt match rate'],
      ]);
      for (const change of historyA) expect(Number.isNaN(Date.parse(change.changedAt))).toBe(false);
      const historyB = (
        await t.app.inject({ method: 'GET', url: `${BASE}/model-b`, headers: engineer })
      ).json<ModelDetail>().history;
      expect(historyB.at(-1)).toMatchObject({
        from: 'live',
        to: 'retired',
        changedBy: 'eng-1',
        note: 'B hurt match rate',
      });
    });

    it('keeps one shadow per kind: a new shadow sends the previous one back to candidate', async () => {
      for (const id of ['shadow-1', 'shadow-2']) {
        expect((await importModel({ id, format: 'lightgbm', artifact: tinyRankerModel(0.05) })).statusCode).toBe(201);
      }
      expect((await promote('shadow-1', 'shadow')).statusCode).toBe(200);
      const second = await promote('shadow-2', 'shadow', 'compare with live', admin);
      expect(second.statusCode).toBe(200);
      expect(second.json().demoted).toEqual({ id: 'shadow-1', from: 'shadow', to: 'candidate' });
      expect(await statusOf('shadow-1')).toBe('candidate');
      expect((await t.app.engine.models.shadowModel())?.id).toBe('shadow-2');
      expect((await promote('shadow-2', 'retired')).statusCode).toBe(200);
      expect(await t.app.engine.models.shadowModel()).toBeNull();
    });

    it('refuses to register a model directly as live once one is live', async () => {
      await expect(
        t.app.engine.models.register({
          format: 'lightgbm',
          artifact: tinyRankerModel(),
          createdBy: 'bootstrap',
          status: 'live',
        }),
      ).rejects.toMatchObject({ kind: 'conflict' });
      expect((await liveIds()).length).toBe(1);
    });

    it('never leaves two live models when two promotions race: the loser gets 409, not 500', async () => {
      for (const id of ['race-1', 'race-2']) {
        expect((await importModel({ id, format: 'lightgbm', artifact: tinyRankerModel(0.07) })).statusCode).toBe(201);
      }
      const responses = await Promise.all([promote('race-1', 'live'), promote('race-2', 'live', undefined, admin)]);
      const codes = responses.map((response) => response.statusCode).sort();
      // PGlite serialises the two (both succeed, the second retiring the first); on Postgres they may overlap.
      expect([
        [200, 200],
        [200, 409],
      ]).toContainEqual(codes);
      expect((await liveIds()).length).toBe(1);
    });

    it.skipIf(kind !== 'postgres')(
      'turns the one-live index violation into 409 when another transaction makes a model live first',
      async () => {
        for (const id of ['index-1', 'index-2']) {
          expect((await importModel({ id, format: 'lightgbm', artifact: tinyRankerModel(0.08) })).statusCode).toBe(201);
        }
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        let updated!: () => void;
        const isUpdated = new Promise<void>((resolve) => (updated = resolve));
        // A writer that bypasses the registry's checks: retires the live model and makes index-1 live, uncommitted.
        const rogue = t.scratch.db.transaction(async (tx) => {
          await tx.query(`UPDATE model_versions SET status = 'retired' WHERE kind = 'ranker' AND status = 'live'`);
          await tx.query(`UPDATE model_versions SET status = 'live' WHERE id = 'index-1'`);
          updated();
          await released;
        });
        await isUpdated;
        const racing = promote('index-2', 'live');
        // Wait until the promotion blocks on the uncommitted index entry (or on the locked live row).
        for (let i = 0; i < 200; i++) {
          const { rows } = await t.scratch.db.query<{ waiting: number }>(
            `SELECT count(*)::int AS waiting FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          if (rows[0]!.waiting > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        release();
        await rogue;
        const response = await racing;
        expect(response.statusCode, response.body).toBe(409);
        expect(response.json().message).toMatch(/^status: /);
        expect(await liveIds()).toEqual(['index-1']);
        expect(await statusOf('index-2')).toBe('candidate');
      },
    );
  });

  it.each(['member', 'reviewer'] as const)('answers 403 to a %s on every route', async (role) => {
    const headers = bearer(await t.token(role));
    const requests = [
      { method: 'GET', url: BASE },
      { method: 'GET', url: `${BASE}/model-a` },
      { method: 'GET', url: `${BASE}/model-a/artifact` },
      { method: 'POST', url: BASE, payload: { format: 'lightgbm', artifact: tinyRankerModel() } },
      { method: 'POST', url: `${BASE}/model-a/promote`, payload: { to: 'shadow' } },
      { method: 'POST', url: `${BASE}/rollback`, payload: {} },
    ] as const;
    for (const request of requests) {
      const response = await t.app.inject({ ...request, headers });
      expect(response.statusCode, `${request.method} ${request.url}`).toBe(403);
    }
  });
});
