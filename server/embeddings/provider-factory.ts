// Which provider a config (or a flag) asks for, whether that choice can work, and building it.
import { ConfigError, type Config } from '../config/config.js';
import { type EmbeddingProvider, type EmbeddingProviderKind } from './embedding-provider.js';
import { LocalEmbeddingProvider, wordVectorsDirectory } from './local-provider.js';
import { OnnxEmbeddingProvider, onnxModelProblem } from './onnx-provider.js';
import { OpenAiEmbeddingProvider, type RetryPolicy } from './openai-provider.js';

export interface EmbeddingProviderDeps {
  /** Where the local provider's vectors file lives; defaults to `<dataDir>/word-vectors`. */
  wordVectorsDir?: string;
  /** The OpenAI-compatible client's retry policy (tests shorten it). */
  openAiRetry?: RetryPolicy;
}

/** Why `kind` cannot work with this config, naming the variable to set; null when it can. */
export function providerProblem(config: Config, kind: EmbeddingProviderKind): string | null {
  if (kind === 'openai' && !config.embeddings.openai.apiKey) {
    return 'SDE_OPENAI_API_KEY: required when SDE_EMBEDDING_PROVIDER is openai';
  }
  if (kind === 'onnx') {
    if (!config.embeddings.onnxModelDir) return 'SDE_ONNX_MODEL_DIR: required when SDE_EMBEDDING_PROVIDER is onnx';
    const problem = onnxModelProblem(config.embeddings.onnxModelDir);
    if (problem) return `SDE_ONNX_MODEL_DIR: ${problem} (SDE_EMBEDDING_PROVIDER is onnx)`;
  }
  return null;
}

/** Fails start-up with a ConfigError when the configured provider cannot work. */
export function assertConfiguredProviderUsable(config: Config): void {
  const problem = providerProblem(config, config.embeddings.provider);
  if (problem) throw new ConfigError(problem);
}

/** Builds the provider `kind` (default: the configured one). Throws ConfigError when it cannot work. */
export async function createEmbeddingProvider(
  config: Config,
  deps: EmbeddingProviderDeps = {},
  kind: EmbeddingProviderKind = config.embeddings.provider,
): Promise<EmbeddingProvider> {
  const problem = providerProblem(config, kind);
  if (problem) throw new ConfigError(problem);
  switch (kind) {
    case 'local':
      return new LocalEmbeddingProvider(deps.wordVectorsDir ?? wordVectorsDirectory(config.dataDir));
    case 'openai': {
      const openai = config.embeddings.openai;
      return new OpenAiEmbeddingProvider({ ...openai, apiKey: openai.apiKey! }, deps.openAiRetry);
    }
    case 'onnx':
      return OnnxEmbeddingProvider.open(config.embeddings.onnxModelDir!);
  }
}
