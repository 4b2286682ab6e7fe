// Trigram similarity as pg_trgm computes it (words padded with two spaces in front and one behind,
// shared trigrams over all distinct trigrams), for comparing short strings in code, e.g. an artist hint
// against a catalogue credit, without a database round trip.
import { foldText } from './normalise-title.js';

function trigrams(text: string): Set<string> {
  const grams = new Set<string>();
  for (const word of foldText(text).split(' ')) {
    if (!word) continue;
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  }
  return grams;
}

/** 0 (nothing shared) … 1 (same trigrams); case, accents and punctuation do not count. */
export function trigramSimilarity(a: string, b: string): number {
  const left = trigrams(a);
  const right = trigrams(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const gram of left) if (right.has(gram)) shared++;
  return shared / (left.size + right.size - shared);
}
