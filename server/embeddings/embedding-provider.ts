// The one interface every embedding backend implements (local word vectors, an OpenAI-compatible API,
// a local ONNX sentence-transformer), so callers never know which one they are talking to.

export const EMBEDDING_PROVIDER_KINDS = ['local', 'openai', 'onnx'] as const;
export type EmbeddingProviderKind = (typeof EMBEDDING_PROVIDER_KINDS)[number];

export interface EmbeddingUsage {
  /** Tokens the provider counted (local: words seen; openai: the API's `usage.total_tokens`). */
  tokens: number;
  costUsd: number;
}

export interface EmbeddingProvider {
  /** Stable id of the model AND the recipe that made a vector, stored beside it: `local-glove-100d-sif@1`. */
  readonly id: string;
  readonly kind: EmbeddingProviderKind;
  readonly model: string;
  readonly dimensions: number;
  /** One unit-length vector per text, in order. */
  embed(texts: string[]): Promise<{ vectors: Float32Array[]; usage: EmbeddingUsage }>;
}

/** A provider that exists but failed (the API refused, the model would not load). */
export class EmbeddingProviderError extends Error {
  override name = 'EmbeddingProviderError';
}

/** Scales a vector to unit length in place; a zero vector stays zero (nothing to point at). */
export function normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  if (sum === 0) return vector;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) vector[i]! *= scale;
  return vector;
}
