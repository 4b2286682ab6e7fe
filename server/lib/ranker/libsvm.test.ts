// LibSVM and query-file parsing: dense rows with absent features as 0, errors that name the file and
// line, and writers that read back to the same data.
import { describe, expect, it } from 'vitest';
import {
  formatLibsvm,
  formatQueryFile,
  LibsvmFormatError,
  parseLibsvm,
  parseQueryFile,
  validateGroups,
} from './libsvm.js';

describe('parseLibsvm', () => {
  it('reads labels and dense row-major rows, feature index i being column i', () => {
    const data = parseLibsvm('2 1:0.5 3:1.25\n0 qid:7 0:-1 # a comment\n\n1\n');
    expect(data.numRows).toBe(3);
    expect(data.numFeatures).toBe(4);
    expect(Array.from(data.labels)).toEqual([2, 0, 1]);
    expect(Array.from(data.rows)).toEqual([0, 0.5, 0, 1.25, -1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('pads to a given width and rejects an index beyond it, naming the line', () => {
    expect(parseLibsvm('1 2:3\n', { numFeatures: 5 }).rows.length).toBe(5);
    expect(() => parseLibsvm('1 2:3\n0 5:1\n', { numFeatures: 5, source: 'x.svm' })).toThrow(
      /x\.svm line 2: feature index 5 is out of range/,
    );
  });

  it.each([
    ['a value that is not a number', '1 1:abc', /line 1: feature 1 has value "abc"/],
    ['NaN', '1 1:0.5\n1 2:NaN', /line 2: feature 2 has value "NaN"/],
    ['Infinity', '1 2:Infinity', /line 1: feature 2 has value "Infinity"/],
    ['a missing label', '1:0.5 2:1', /line 1: missing label/],
    ['a bad label', 'x 1:1', /line 1: label "x"/],
    ['a token without a colon', '1 1:1 7', /line 1: "7" is not an idx:value pair/],
    ['a negative index', '1 -1:2', /line 1: feature index "-1"/],
    ['unsorted indices', '1 3:1 2:1', /line 1: feature index 2 is not greater/],
  ])('rejects %s with a LibsvmFormatError naming the file and line', (_name, text, message) => {
    expect(() => parseLibsvm(text, { source: 'f.svm' })).toThrow(LibsvmFormatError);
    expect(() => parseLibsvm(text, { source: 'f.svm' })).toThrow(new RegExp(`f\\.svm ${message.source}`));
  });
});

describe('query files', () => {
  it('reads group sizes and validates them against the rows', () => {
    const groups = parseQueryFile('2\n3\n');
    expect(Array.from(groups)).toEqual([2, 3]);
    expect(() => validateGroups(groups, 5)).not.toThrow();
    expect(() => validateGroups(groups, 6, 'f.query')).toThrow(
      /f\.query: the 2 query groups cover 5 rows but the data has 6 rows/,
    );
  });

  it('rejects an empty group and a non-integer, naming the line', () => {
    expect(() => parseQueryFile('2\n0\n', 'q')).toThrow(/q line 2: empty query group/);
    expect(() => parseQueryFile('2\n1.5\n', 'q')).toThrow(/q line 2: "1.5" is not a group size/);
    expect(() => validateGroups(Int32Array.from([2, 0, 3]), 5, 'q')).toThrow(/q line 2: empty query group/);
  });
});

describe('writers', () => {
  it('round-trip through the parsers, omitting zeros', () => {
    const labels = Float64Array.from([1, 0]);
    const rows = Float64Array.from([0, 0.25, 0, -3, 0, 1e-7]);
    const text = formatLibsvm(labels, rows, 2, 3);
    expect(text).toBe('1 1:0.25\n0 0:-3 2:1e-7\n');
    const back = parseLibsvm(text, { numFeatures: 3 });
    expect(Array.from(back.rows)).toEqual(Array.from(rows));
    expect(Array.from(back.labels)).toEqual([1, 0]);
    expect(Array.from(parseQueryFile(formatQueryFile([2, 1])))).toEqual([2, 1]);
  });

  it('refuses NaN features', () => {
    expect(() => formatLibsvm([1], [NaN], 1, 1)).toThrow(/row 0 feature 0 is NaN/);
  });
});
