// The ONNX provider on a tiny model the test builds (outputs equal a hand-computed, mask-aware mean
// pool), the GrowthBook flag `embedding_provider` overriding the configured provider per call site
// (falling back to local when it names one this replica cannot run), and config errors at start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../server/config/config.js';
import { LOCAL_PROVIDER_ID } from '../../server/embeddings/local-provider.js';
import { OnnxEmbeddingProvider } from '../../server/embeddings/onnx-provider.js';
import { assertConfiguredProviderUsable } from '../../server/embeddings/provider-factory.js';
import { databaseKinds } from '../support/databases.js';
import { dataDirWithSharedWordVectors } from '../support/embeddings-data-dir.js';
import { expectedTinyEmbedding, TINY_VOCAB, writeTinyOnnxModel } from '../support/onnx-tiny-model.js';
import { bearer, startTestApp, testConfig, type TestApp } from '../support/test-app.js';

const modelDir = path.join(mkdtempSync(path.join(tmpdir(), 'sde-onnx-')), 'tiny-minilm');
beforeAll(() => {
  writeTinyOnnxModel(modelDir);
});
afterAll(() => rmSync(path.dirname(modelDir), { recursive: true, force: true }));

const id = (token: string) => TINY_VOCAB.indexOf(token);

describe('ONNX provider on a tiny built model', () => {
  it('mean-pools last_hidden_state over the attention mask and normalises', async () => {
    const provider = await OnnxEmbeddingProvider.open(modelDir);
    expect(provider.id).toBe('onnx:tiny-minilm@4');
    expect(provider.dimensions).toBe(4);
    // The second text is shorter, so its row is padded: padding must not count.
    const { vectors, usage } = await provider.embed(['Blade RUNNERS, in the rain.', 'film']);
    const first = expectedTinyEmbedding([
      id('[CLS]'),
      id('blade'),
      id('runner'),
      id('##s'),
      id('[UNK]'),
      id('[UNK]'),
      id('the'),
      id('rain'),
      id('.'),
      id('[SEP]'),
    ]);
    const second = expectedTinyEmbedding([id('[CLS]'), id('film'), id('[SEP]')]);
    Array.from(vectors[0]!).forEach((value, d) => expect(value).toBeCloseTo(first[d]!, 5));
    Array.from(vectors[1]!).forEach((value, d) => expect(value).toBeCloseTo(second[d]!, 5));
    expect(usage).toEqual({ tokens: 10 + 3, costUsd: 0 });
  });
});

describe('config errors at start', () => {
  it.each([
    [{ provider: 'openai' as const }, 'SDE_OPENAI_API_KEY: required when SDE_EMBEDDING_PROVIDER is openai'],
    [{ provider: 'onnx' as const }, 'SDE_ONNX_MODEL_DIR: required when SDE_EMBEDDING_PROVIDER is onnx'],
    [
      { provider: 'onnx' as const, onnxModelDir: '/nonexistent/model' },
      'SDE_ONNX_MODEL_DIR: /nonexistent/model has no model.onnx',
    ],
  ])('refuses %j', (embeddings, message) => {
    const base = testConfig();
    rmSync(base.dataDir, { recursive: true, force: true });
    const config = { ...base, embeddings: { ...base.embeddings, ...embeddings } };
    expect(() => assertConfiguredProviderUsable(config)).toThrow(ConfigError);
    expect(() => assertConfiguredProviderUsable(config)).toThrow(message);
  });
});

describe.each(databaseKinds)('embedding_provider flag [%s]', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    const base = testConfig();
    rmSync(base.dataDir, { recursive: true, force: true });
    t = await startTestApp(kind, {
      config: {
        dataDir: await dataDirWithSharedWordVectors(),
        embeddings: { ...base.embeddings, provider: 'local', onnxModelDir: modelDir },
      },
      fastJobs: true,
    });
    // Stored before the app's first evaluation, so its 10 s cache starts with these definitions.
    await t.app.engine.flags.saveFeatures({
      embedding_provider: {
        defaultValue: 'openai',
        rules: [{ condition: { callSite: 'media_embed' }, force: 'onnx' }],
      },
    });
    await t.scratch.db.query(
      `INSERT INTO media (id, kind, title, year) VALUES ('tt0083658', 'film', 'Blade Runner', 1982), ('tt0078748', 'film', 'Alien', 1979)`,
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs the media embed route on the provider the flag forces for its call site', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v2/media/embed',
      headers: bearer(await t.token('admin')),
      payload: { mediaId: 'tt0083658' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      mediaId: 'tt0083658',
      model: 'onnx:tiny-minilm@4',
      dimensions: 4,
      skipped: false,
    });
    const { rows } = await t.scratch.db.query<{ provider: string }>(`SELECT provider FROM cost_ledger`);
    expect(rows).toEqual([{ provider: 'onnx' }]);
  });

  it('falls back to local where the flag names a provider without its config (openai, no key)', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v2/admin/media/embed-missing',
      headers: bearer(await t.token('ml_engineer')),
    });
    expect(response.statusCode).toBe(202);
    const deadline = Date.now() + 30_000;
    let models: Array<string | null> = [];
    while (Date.now() < deadline) {
      const { rows } = await t.scratch.db.query<{ embedding_model: string | null }>(
        `SELECT embedding_model FROM media ORDER BY id`,
      );
      models = rows.map((row) => row.embedding_model);
      if (models.every((model) => model === LOCAL_PROVIDER_ID)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // The batch call site is not `media_embed`: the flag says openai, which has no key here → local,
    // and the batch re-embeds the onnx-embedded item too (it lacks the active model's embedding).
    expect(models).toEqual([LOCAL_PROVIDER_ID, LOCAL_PROVIDER_ID]);
  });
});
