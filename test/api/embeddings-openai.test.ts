// The OpenAI-compatible provider against a local server that behaves like the API
// (`POST /embeddings` → `{ data: [{ embedding, index }], model, usage }`): batching, bearer key,
// 429 + Retry-After then success, 5xx retried until exhausted, usage priced into the cost ledger, and the
// media embed route skipping a second call without touching the API.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CostLedgerRepository } from '../../server/cost/cost-ledger.repository.js';
import { EmbeddingProviderError } from '../../server/embeddings/embedding-provider.js';
import { OpenAiEmbeddingProvider, retryAfterMs } from '../../server/embeddings/openai-provider.js';
import { databaseKinds } from '../support/databases.js';
import { bearer, startTestApp, testConfig, type TestApp } from '../support/test-app.js';

const DIMENSIONS = 16;

interface ScriptedFailure {
  status: number;
  retryAfter?: string;
}

/** An OpenAI-shaped embeddings server: deterministic vectors from the text, 1 token per 4 characters. */
class FakeEmbeddingsApi {
  server!: Server;
  requests: Array<{ authorization?: string; body: { model: string; input: string[]; dimensions: number } }> = [];
  failures: ScriptedFailure[] = [];

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of request) raw += chunk;
    if (request.method !== 'POST' || request.url !== '/v1/embeddings') {
      response.writeHead(404).end();
      return;
    }
    const body = JSON.parse(raw) as { model: string; input: string[]; dimensions: number };
    this.requests.push({ authorization: request.headers.authorization, body });
    const failure = this.failures.shift();
    if (failure) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (failure.retryAfter !== undefined) headers['retry-after'] = failure.retryAfter;
      response
        .writeHead(failure.status, headers)
        .end(JSON.stringify({ error: { message: `scripted ${failure.status}`, type: 'server_error' } }));
      return;
    }
    const tokens = body.input.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        object: 'list',
        // Out of order on purpose: clients must place each embedding by its index.
        data: body.input
          .map((text, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(text, body.dimensions) }))
          .reverse(),
        model: body.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      }),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function fakeEmbedding(text: string, dimensions: number): number[] {
  return Array.from({ length: dimensions }, (_unused, d) =>
    Math.sin(text.length * 0.37 + d + (text.charCodeAt(d % text.length) || 0)),
  );
}

const api = new FakeEmbeddingsApi();
let baseUrl: string;
beforeAll(async () => {
  baseUrl = await api.start();
});
afterAll(() => api.close());
beforeEach(() => {
  api.requests = [];
  api.failures = [];
});

function provider(waits: number[] = [], usdPerMillionTokens = 0.13) {
  return new OpenAiEmbeddingProvider(
    { baseUrl, apiKey: 'sk-test', model: 'text-embedding-3-large', dimensions: DIMENSIONS, usdPerMillionTokens },
    { attempts: 3, baseDelayMs: 1, maxDelayMs: 5_000 },
    async (ms) => void waits.push(ms),
  );
}

describe('OpenAI-compatible provider', () => {
  it('sends the model, dimensions and bearer key, and returns unit vectors in input order', async () => {
    const result = await provider().embed(['first text', 'second, longer text']);
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]!.authorization).toBe('Bearer sk-test');
    expect(api.requests[0]!.body).toEqual({
      model: 'text-embedding-3-large',
      input: ['first text', 'second, longer text'],
      dimensions: DIMENSIONS,
    });
    const expected = fakeEmbedding('first text', DIMENSIONS);
    const norm = Math.hypot(...expected);
    Array.from(result.vectors[0]!).forEach((value, d) => expect(value).toBeCloseTo(expected[d]! / norm, 6));
    expect(result.usage.tokens).toBe(3 + 5);
    expect(result.usage.costUsd).toBeCloseTo((8 * 0.13) / 1e6, 12);
  });

  it('batches at most 256 inputs per request', async () => {
    const texts = Array.from({ length: 600 }, (_unused, i) => `text ${i}`);
    const result = await provider().embed(texts);
    expect(api.requests.map((request) => request.body.input.length)).toEqual([256, 256, 88]);
    expect(result.vectors).toHaveLength(600);
  });

  it('waits as Retry-After says after a 429, then succeeds', async () => {
    api.failures = [{ status: 429, retryAfter: '2' }];
    const waits: number[] = [];
    const result = await provider(waits).embed(['hello']);
    expect(result.vectors).toHaveLength(1);
    expect(api.requests).toHaveLength(2);
    expect(waits).toEqual([2000]);
  });

  it('gives up on a 5xx after its bounded attempts with an error naming the status', async () => {
    api.failures = [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }];
    const waits: number[] = [];
    const failing = provider(waits).embed(['hello']);
    await expect(failing).rejects.toBeInstanceOf(EmbeddingProviderError);
    await expect(failing).rejects.toThrow(/answered 500 after 3 attempts: .*scripted 500/);
    expect(api.requests).toHaveLength(3);
    // Exponential backoff: the second wait is about twice the first.
    expect(waits).toHaveLength(2);
    expect(waits[1]!).toBeGreaterThan(waits[0]!);
  });

  it('does not retry a 400', async () => {
    api.failures = [{ status: 400 }];
    await expect(provider().embed(['hello'])).rejects.toThrow(/answered 400: /);
    expect(api.requests).toHaveLength(1);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
  });
});

describe.each(databaseKinds)('media embedding, openai provider [%s]', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    const base = testConfig();
    t = await startTestApp(kind, {
      config: {
        embeddings: {
          ...base.embeddings,
          provider: 'openai',
          openai: {
            baseUrl,
            apiKey: 'sk-test',
            model: 'text-embedding-3-large',
            dimensions: DIMENSIONS,
            usdPerMillionTokens: 0.13,
          },
        },
      },
    });
    await t.scratch.db.query(
      `INSERT INTO media (id, kind, title, year, metadata) VALUES ('tt0083658', 'film', 'Blade Runner', 1982, '{"genres":["science fiction"]}')`,
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('embeds once through the API (after a 429), records tokens and cost, and skips the second call', async () => {
    api.failures = [{ status: 429, retryAfter: '0' }];
    const headers = bearer(await t.token('admin'));
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v2/media/embed',
      headers,
      payload: { mediaId: 'tt0083658' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      mediaId: 'tt0083658',
      model: `openai:text-embedding-3-large@${DIMENSIONS}`,
      dimensions: DIMENSIONS,
      skipped: false,
    });
    expect(api.requests).toHaveLength(2);
    const text = api.requests[1]!.body.input[0]!;
    expect(text).toContain('Blade Runner (1982)');
    expect(text).toContain('science fiction');
    const ledger = await new CostLedgerRepository(t.scratch.db).recent();
    const tokens = Math.ceil(text.length / 4);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ provider: 'openai', operation: 'embed', units: tokens, memberId: 'admin-1' });
    expect(ledger[0]!.costUsd).toBeCloseTo((tokens * 0.13) / 1e6, 6);

    const second = await t.app.inject({
      method: 'POST',
      url: '/api/v2/media/embed',
      headers,
      payload: { mediaId: 'tt0083658' },
    });
    expect(second.json()).toMatchObject({ skipped: true });
    expect(api.requests).toHaveLength(2);
    const stored = await t.scratch.db.query<{ dims: number }>(
      `SELECT vector_dims(embedding::vector) AS dims FROM media WHERE id = 'tt0083658'`,
    );
    expect(stored.rows[0]!.dims).toBe(DIMENSIONS);
  });
});
