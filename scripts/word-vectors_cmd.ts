// `node --import tsx scripts/word-vectors_cmd.ts [--out DIR] [--force]`: builds the local embedding
// provider's word-vectors file ahead of time (otherwise the first embed builds it), into
// `<SDE_DATA_DIR>/word-vectors/` by default. Prints the file and what it holds.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { wordVectorsDirectory } from '../server/embeddings/local-provider.js';
import {
  buildWordVectorsFile,
  installedWordVectorSource,
  loadWordVectorsFile,
  wordVectorsFile,
} from '../server/embeddings/word-vectors.js';
import { configOrExit } from './cli-config.js';

let values: { out?: string; force?: boolean };
try {
  ({ values } = parseArgs({ options: { out: { type: 'string' }, force: { type: 'boolean' } }, strict: true }));
} catch (error) {
  process.stderr.write(`word-vectors: ${(error as Error).message}\nusage: word-vectors [--out DIR] [--force]\n`);
  process.exit(2);
}

const directory = path.resolve(values.out ?? wordVectorsDirectory(configOrExit().dataDir));
const source = installedWordVectorSource();
const file = wordVectorsFile(directory, source);
if (values.force) rmSync(file, { force: true });
if (existsSync(file)) {
  process.stderr.write(`word-vectors: ${file} already exists (--force rebuilds it)\n`);
} else {
  const started = performance.now();
  const built = await buildWordVectorsFile(source, file);
  process.stderr.write(
    `word-vectors: built ${built.words} words × ${built.dimensions} dims in ${Math.round(performance.now() - started)} ms\n`,
  );
}
const started = performance.now();
const vectors = loadWordVectorsFile(file);
process.stdout.write(
  `${JSON.stringify({ file, words: vectors.size, dimensions: vectors.dimensions, loadMs: Math.round(performance.now() - started) })}\n`,
);
