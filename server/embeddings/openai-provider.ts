// Any OpenAI-compatible embeddings API (`POST {baseUrl}/embeddings`): batched, retried on 429 and 5xx
// with exponential backoff that honours Retry-After, and priced from the response's token usage.
import { EmbeddingProviderError, normalise, type EmbeddingProvider } from './embedding-provider.js';

export const OPENAI_MAX_BATCH = 256;

export interface OpenAiSettings {
  baseUrl: string;
  apiKey: string;
  model: string;
  dimensions: number;
  usdPerMillionTokens: number;
}

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  attempts: number;
  /** First backoff; doubles each retry (with up to 25 % jitter). */
  baseDelayMs: number;
  /** No single wait (Retry-After included) is longer than this. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

interface EmbeddingsResponse {
  data?: Array<{ embedding?: unknown; index?: unknown }>;
  usage?: { total_tokens?: unknown; prompt_tokens?: unknown };
}

export class OpenAiEmbeddingProvider implements EmbeddingProvider {
  readonly kind = 'openai';
  readonly id: string;
  readonly model: string;
  readonly dimensions: number;

  constructor(
    private readonly settings: OpenAiSettings,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.model = settings.model;
    this.dimensions = settings.dimensions;
    this.id = `openai:${settings.model}@${settings.dimensions}`;
  }

  async embed(texts: string[]) {
    const vectors: Float32Array[] = [];
    let tokens = 0;
    for (let start = 0; start < texts.length; start += OPENAI_MAX_BATCH) {
      const batch = texts.slice(start, start + OPENAI_MAX_BATCH);
      const result = await this.embedBatch(batch);
      vectors.push(...result.vectors);
      tokens += result.tokens;
    }
    return { vectors, usage: { tokens, costUsd: (tokens * this.settings.usdPerMillionTokens) / 1e6 } };
  }

  private async embedBatch(input: string[]): Promise<{ vectors: Float32Array[]; tokens: number }> {
    const url = `${this.settings.baseUrl}/embeddings`;
    const body = JSON.stringify({ model: this.settings.model, input, dimensions: this.settings.dimensions });
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.settings.apiKey}` },
          body,
          signal: AbortSignal.timeout(60_000),
        });
      } catch (error) {
        if (attempt >= this.retry.attempts) {
          throw new EmbeddingProviderError(
            `openai embeddings: POST ${url} failed after ${attempt} attempts: ${(error as Error).message}`,
          );
        }
        await this.sleep(this.backoff(attempt, null));
        continue;
      }
      if (response.ok) return this.parse(url, input.length, (await response.json()) as EmbeddingsResponse);
      const text = (await response.text()).slice(0, 300);
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable || attempt >= this.retry.attempts) {
        const tries = retryable ? ` after ${attempt} attempts` : '';
        throw new EmbeddingProviderError(`openai embeddings: POST ${url} answered ${response.status}${tries}: ${text}`);
      }
      await this.sleep(this.backoff(attempt, response.headers.get('retry-after')));
    }
  }

  /** Retry-After (seconds or an HTTP date) when the server gives one, else exponential backoff. */
  private backoff(attempt: number, retryAfter: string | null): number {
    const fromHeader = retryAfterMs(retryAfter);
    const exponential = this.retry.baseDelayMs * 2 ** (attempt - 1) * (1 + Math.random() * 0.25);
    return Math.min(this.retry.maxDelayMs, fromHeader ?? exponential);
  }

  private parse(url: string, expected: number, json: EmbeddingsResponse): { vectors: Float32Array[]; tokens: number } {
    const data = Array.isArray(json.data) ? json.data : [];
    if (data.length !== expected) {
      throw new EmbeddingProviderError(
        `openai embeddings: ${url} returned ${data.length} embeddings for ${expected} inputs`,
      );
    }
    const vectors = new Array<Float32Array>(expected);
    data.forEach((item, position) => {
      const index = typeof item.index === 'number' ? item.index : position;
      const embedding = item.embedding;
      if (!Array.isArray(embedding) || embedding.length !== this.dimensions || index < 0 || index >= expected) {
        throw new EmbeddingProviderError(
          `openai embeddings: ${url} returned an embedding of the wrong shape (want ${this.dimensions} numbers)`,
        );
      }
      vectors[index] = normalise(Float32Array.from(embedding as number[]));
    });
    for (let index = 0; index < expected; index++) {
      if (!vectors[index])
        throw new EmbeddingProviderError(`openai embeddings: ${url} returned no embedding for input ${index}`);
    }
    const total = json.usage?.total_tokens ?? json.usage?.prompt_tokens;
    return { vectors, tokens: typeof total === 'number' && total >= 0 ? total : 0 };
  }
}

/** Milliseconds to wait from a Retry-After header (delta-seconds or HTTP date); null when absent or bad. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
