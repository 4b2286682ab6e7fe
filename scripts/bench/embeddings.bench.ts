// Local-provider embedding throughput (texts/s) on realistic media texts after warm-up, plus what the
// word-vectors file costs: building it from the package JSON once, and loading it on a later start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalEmbeddingProvider } from '../../server/embeddings/local-provider.js';
import { mediaText } from '../../server/embeddings/media-text.js';
import {
  buildWordVectorsFile,
  installedWordVectorSource,
  loadWordVectorsFile,
  wordVectorsFile,
} from '../../server/embeddings/word-vectors.js';
import { summarise, timed } from './stats.js';

export interface EmbeddingsBenchOptions {
  /** Media texts embedded per measured round. */
  texts?: number;
  rounds?: number;
  /** Texts per `embed` call (the batch job uses 256). */
  batchSize?: number;
}

const GENRES = [
  'science fiction',
  'thriller',
  'romance',
  'drama',
  'comedy',
  'horror',
  'jazz',
  'hip hop',
  'fantasy',
  'history',
];
const WORDS = [
  'night',
  'city',
  'love',
  'war',
  'river',
  'detective',
  'summer',
  'ghost',
  'king',
  'road',
  'machine',
  'island',
];
const PEOPLE = ['Ridley Scott', 'Jane Austen', 'Miles Davis', 'Agnès Varda', 'Toni Morrison', 'Hayao Miyazaki'];
const KINDS = ['film', 'tv', 'recording', 'release_group', 'artist', 'book'];

/** Deterministic catalogue-like items: titles, years, genres, people and a synopsis of 15–40 words. */
function sampleMediaTexts(count: number): string[] {
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)]!;
  return Array.from({ length: count }, () => {
    const synopsis = Array.from({ length: 15 + Math.floor(next() * 25) }, () => pick(WORDS)).join(' ');
    return mediaText({
      title: `The ${pick(WORDS)} of ${pick(WORDS)}`,
      year: 1950 + Math.floor(next() * 75),
      kind: pick(KINDS),
      metadata: { genres: [pick(GENRES), pick(GENRES)], people: [pick(PEOPLE)], synopsis },
    });
  });
}

export async function runEmbeddingsBench(options: EmbeddingsBenchOptions = {}): Promise<Record<string, unknown>> {
  const count = options.texts ?? 5_000;
  const rounds = options.rounds ?? 5;
  const batchSize = options.batchSize ?? 256;
  const directory = mkdtempSync(path.join(tmpdir(), 'sde-bench-vectors-'));
  try {
    const source = installedWordVectorSource();
    const file = wordVectorsFile(directory, source);
    let built: Awaited<ReturnType<typeof buildWordVectorsFile>> | undefined;
    const buildMs = await timed(async () => {
      built = await buildWordVectorsFile(source, file);
    });
    const loadSamples: number[] = [];
    for (let i = 0; i < 5; i++) loadSamples.push(await timed(async () => void loadWordVectorsFile(file)));

    const provider = new LocalEmbeddingProvider(directory);
    const texts = sampleMediaTexts(count);
    await provider.embed(texts.slice(0, 500)); // warm-up: loads the file, JIT-compiles the hot loop
    const roundMs: number[] = [];
    let tokens = 0;
    for (let round = 0; round < rounds; round++) {
      roundMs.push(
        await timed(async () => {
          for (let start = 0; start < texts.length; start += batchSize) {
            tokens += (await provider.embed(texts.slice(start, start + batchSize))).usage.tokens;
          }
        }),
      );
    }
    const sorted = [...roundMs].sort((a, b) => a - b);
    const medianMs = sorted[Math.floor(sorted.length / 2)]!;
    return {
      provider: provider.id,
      vocabulary: built?.words,
      dimensions: built?.dimensions,
      vectorsFileBuildMs: Math.round(buildMs),
      vectorsFileLoadMs: summarise(loadSamples),
      texts: count,
      batchSize,
      meanTokensPerText: Math.round(tokens / (rounds * count)),
      roundMs: summarise(roundMs),
      textsPerSecond: Math.round((count / medianMs) * 1000),
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
