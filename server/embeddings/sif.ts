// Text → one vector from word vectors: lowercase word tokens, each weighted by SIF (smooth inverse
// frequency, Arora et al. 2017: a / (a + p(w))) so that frequent words ("the", "of") barely count, averaged
// and scaled to unit length. The source gives ranks, not counts, so p(w) comes from Zipf's law:
// p(rank r) = 1 / ((r + 1) · H(N)), H(N) the N-th harmonic number. The common-component removal of full
// SIF needs a corpus-wide principal component and is left out.
import { normalise } from './embedding-provider.js';
import type { WordVectors } from './word-vectors.js';

export const SIF_A = 1e-3;

/** Lowercase word tokens: runs of letters or digits (punctuation and symbols split words). */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function harmonic(n: number): number {
  // ln(n) + γ + 1/(2n): accurate to 1e-6 for the vocabulary sizes here.
  return Math.log(n) + 0.5772156649 + 1 / (2 * n);
}

/** SIF weight of the word at frequency `rank` in a vocabulary of `vocabularySize` words. */
export function sifWeight(rank: number, vocabularySize: number, a = SIF_A): number {
  const probability = 1 / ((rank + 1) * harmonic(vocabularySize));
  return a / (a + probability);
}

function stripDiacritics(token: string): string {
  return token.normalize('NFKD').replace(/\p{M}/gu, '');
}

/** The SIF-weighted, unit-length average of the text's known words, and how many tokens it had. */
export function sifEmbed(text: string, vectors: WordVectors): { vector: Float32Array; tokens: number } {
  const tokens = wordTokens(text);
  const sum = new Float32Array(vectors.dimensions);
  for (const token of tokens) {
    const rank = vectors.rankOf(token) ?? vectors.rankOf(stripDiacritics(token));
    if (rank === undefined) continue;
    const weight = sifWeight(rank, vectors.sourceVocabularySize);
    const vector = vectors.vectorAt(rank);
    for (let d = 0; d < sum.length; d++) sum[d]! += weight * vector[d]!;
  }
  return { vector: normalise(sum), tokens: tokens.length };
}
