// A local sentence-transformer exported to ONNX (`model.onnx` + `tokenizer.json` or `vocab.txt`), run
// on the CPU by onnxruntime-node: WordPiece tokens in, `last_hidden_state` out, mean-pooled over the
// attention mask and scaled to unit length (the sentence-transformers recipe for all-mpnet / MiniLM).
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { EmbeddingProviderError, normalise, type EmbeddingProvider } from './embedding-provider.js';
import { WordPieceTokenizer } from './wordpiece-tokenizer.js';

export const ONNX_MAX_LENGTH = 256;
const BATCH = 32;

/** Why a folder cannot serve as an ONNX model, or null when it has what the provider needs. */
export function onnxModelProblem(directory: string | undefined): string | null {
  if (!directory) return 'no model folder is configured';
  if (!existsSync(path.join(directory, 'model.onnx'))) return `${directory} has no model.onnx`;
  if (!existsSync(path.join(directory, 'tokenizer.json')) && !existsSync(path.join(directory, 'vocab.txt'))) {
    return `${directory} has neither tokenizer.json nor vocab.txt`;
  }
  return null;
}

export class OnnxEmbeddingProvider implements EmbeddingProvider {
  readonly kind = 'onnx';
  readonly id: string;
  readonly model: string;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: WordPieceTokenizer,
    readonly dimensions: number,
    directory: string,
    private readonly maxLength: number,
  ) {
    this.model = path.basename(path.resolve(directory));
    this.id = `onnx:${this.model}@${dimensions}`;
  }

  /** Loads the model and finds its output width by embedding one short text. */
  static async open(directory: string, maxLength = ONNX_MAX_LENGTH): Promise<OnnxEmbeddingProvider> {
    const problem = onnxModelProblem(directory);
    if (problem) throw new EmbeddingProviderError(`onnx: ${problem}`);
    const session = await ort.InferenceSession.create(path.join(directory, 'model.onnx'));
    const tokenizer = WordPieceTokenizer.fromDirectory(directory);
    const probe = await runPooled(session, tokenizer, ['probe'], maxLength);
    return new OnnxEmbeddingProvider(session, tokenizer, probe.vectors[0]!.length, directory, maxLength);
  }

  async embed(texts: string[]) {
    const vectors: Float32Array[] = [];
    let tokens = 0;
    for (let start = 0; start < texts.length; start += BATCH) {
      const result = await runPooled(this.session, this.tokenizer, texts.slice(start, start + BATCH), this.maxLength);
      vectors.push(...result.vectors);
      tokens += result.tokens;
    }
    return { vectors, usage: { tokens, costUsd: 0 } };
  }
}

async function runPooled(
  session: ort.InferenceSession,
  tokenizer: WordPieceTokenizer,
  texts: string[],
  maxLength: number,
): Promise<{ vectors: Float32Array[]; tokens: number }> {
  if (texts.length === 0) return { vectors: [], tokens: 0 };
  const encoded = tokenizer.encodeBatch(texts, maxLength);
  const shape = [encoded.batch, encoded.sequence];
  const feeds: Record<string, ort.Tensor> = {};
  for (const name of session.inputNames) {
    if (name === 'input_ids') feeds[name] = new ort.Tensor('int64', encoded.inputIds, shape);
    else if (name === 'attention_mask') feeds[name] = new ort.Tensor('int64', encoded.attentionMask, shape);
    else if (name === 'token_type_ids') {
      feeds[name] = new ort.Tensor('int64', new BigInt64Array(encoded.inputIds.length), shape);
    } else throw new EmbeddingProviderError(`onnx: the model wants an input "${name}" this provider cannot give`);
  }
  const outputs = await session.run(feeds);
  const outputName = session.outputNames.includes('last_hidden_state') ? 'last_hidden_state' : session.outputNames[0]!;
  const hidden = outputs[outputName]!;
  if (hidden.dims.length !== 3 || hidden.type !== 'float32') {
    throw new EmbeddingProviderError(
      `onnx: output ${outputName} is ${hidden.type} [${hidden.dims.join(', ')}], want float32 [batch, seq, dim]`,
    );
  }
  const dimensions = Number(hidden.dims[2]);
  const data = hidden.data as Float32Array;
  const vectors = meanPool(data, encoded.attentionMask, encoded.batch, encoded.sequence, dimensions);
  return { vectors, tokens: encoded.lengths.reduce((sum, length) => sum + length, 0) };
}

/** Mean of the token vectors the attention mask keeps, per row, scaled to unit length. */
export function meanPool(
  hidden: Float32Array,
  mask: BigInt64Array,
  batch: number,
  sequence: number,
  dimensions: number,
): Float32Array[] {
  const vectors: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const sum = new Float32Array(dimensions);
    let kept = 0;
    for (let s = 0; s < sequence; s++) {
      if (mask[b * sequence + s] === 0n) continue;
      kept++;
      const offset = (b * sequence + s) * dimensions;
      for (let d = 0; d < dimensions; d++) sum[d]! += hidden[offset + d]!;
    }
    for (let d = 0; d < dimensions; d++) sum[d]! /= Math.max(kept, 1);
    vectors.push(normalise(sum));
  }
  return vectors;
}
