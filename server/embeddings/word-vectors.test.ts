// The converter on a tiny file in the package's format: keeps the most frequent words in rank order,
// whatever order the entries come in, and reads back exactly what it wrote.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWordVectorsFile, loadWordVectorsFile, openWordVectors, wordVectorsFile } from './word-vectors.js';

const directory = mkdtempSync(path.join(tmpdir(), 'sde-wv-unit-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function tinySource(): { jsonPath: string; version: string } {
  const vectors: Record<string, number[]> = {
    // Out of rank order on purpose; the last two numbers are l2norm and rank, as in the package.
    film: [0.5, -1.25, 9.9, 2],
    the: [1, 0, 1, 0],
    '"quoted"': [0, 3, 3, 1],
    noir: [7, 7, 9.9, 3],
  };
  const json = {
    precision: 8,
    l2NormIndex: 2,
    wordIndex: 3,
    size: 4,
    dimensions: 2,
    words: ['the', '"quoted"', 'film', 'noir'],
    vectors,
    unkVector: [0, 0, -1],
  };
  const jsonPath = path.join(directory, 'tiny.json');
  writeFileSync(jsonPath, JSON.stringify(json));
  return { jsonPath, version: 'test' };
}

describe('word vectors file', () => {
  it('keeps the most frequent words, by rank, with their vectors', async () => {
    const source = tinySource();
    const file = path.join(directory, 'three.f32');
    expect(await buildWordVectorsFile(source, file, 3)).toEqual({ words: 3, dimensions: 2, sourceVocabularySize: 4 });
    const vectors = loadWordVectorsFile(file);
    expect(vectors.size).toBe(3);
    expect(vectors.sourceVocabularySize).toBe(4);
    expect(vectors.rankOf('the')).toBe(0);
    expect(vectors.rankOf('"quoted"')).toBe(1);
    expect(vectors.rankOf('film')).toBe(2);
    expect(vectors.rankOf('noir')).toBeUndefined();
    expect(Array.from(vectors.vectorAt(2))).toEqual([0.5, -1.25]);
  });

  it('builds on first open and reuses the file afterwards', async () => {
    const source = tinySource();
    const shared = path.join(directory, 'shared');
    const [first, second] = await Promise.all([
      openWordVectors(shared, source, 10),
      openWordVectors(shared, source, 10),
    ]);
    expect(first.size).toBe(4);
    expect(second.rankOf('noir')).toBe(3);
    expect(wordVectorsFile(shared, source, 10)).toContain('test-10');
  });

  it('rejects a file that is not a vectors file', () => {
    const bogus = path.join(directory, 'bogus.f32');
    writeFileSync(bogus, 'hello world, not vectors');
    expect(() => loadWordVectorsFile(bogus)).toThrow(/bad magic/);
  });
});
