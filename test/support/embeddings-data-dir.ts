// The local provider builds its word-vectors file from a 307 MB JSON on first use (about 2 s, 300 MB).
// Tests share ONE build per package version in the OS temp folder (`sde-word-vectors-<version>`, kept
// between runs), and each test app's fresh data folder links to it, so no test pays for the build twice.
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { wordVectorsDirectory } from '../../server/embeddings/local-provider.js';
import { installedWordVectorSource, openWordVectors } from '../../server/embeddings/word-vectors.js';

/** The shared cache folder for this package version, built if missing (atomic, so workers may race). */
export async function sharedWordVectorsDir(): Promise<string> {
  const source = installedWordVectorSource();
  const directory = path.join(tmpdir(), `sde-word-vectors-${source.version}`);
  await openWordVectors(directory, source);
  return directory;
}

/** A fresh data folder whose `word-vectors/` is the shared cache (removing the folder keeps the cache). */
export async function dataDirWithSharedWordVectors(): Promise<string> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sde-embed-test-'));
  symlinkSync(await sharedWordVectorsDir(), wordVectorsDirectory(dataDir), 'dir');
  return dataDir;
}
