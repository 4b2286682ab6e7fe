// Reads and writes learning-to-rank data in the formats LightGBM, XGBoost and RankLib share: LibSVM
// rows (`label idx:value idx:value …`) plus a query file listing how many consecutive rows belong to
// each query. Rows come out dense and row-major (absent features are 0) because that is what the
// trainer bins and the scorer reads.

/** A malformed LibSVM row, query file or group layout; the message names the file and line. */
export class LibsvmFormatError extends Error {
  override name = 'LibsvmFormatError';
}

export interface LibsvmData {
  labels: Float64Array;
  /** Dense, row-major: `rows[row * numFeatures + feature]`; features absent from a line are 0. */
  rows: Float64Array;
  numRows: number;
  numFeatures: number;
}

export interface ParseLibsvmOptions {
  /**
   * The width of each row. Without it the width is the largest index seen + 1 (feature index i is
   * column i, as LightGBM reads LibSVM); with it an index ≥ numFeatures is an error.
   */
  numFeatures?: number;
  /** File name used in error messages. */
  source?: string;
}

interface SparseLine {
  lineNumber: number;
  label: number;
  indices: number[];
  values: number[];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseFiniteNumber(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Parses LibSVM text. A `qid:N` token (RankLib/SVMrank style) is accepted and ignored: groups come
 * from the query file. `#` starts a comment; blank lines are skipped (line numbers in errors still
 * count them).
 */
export function parseLibsvm(text: string, options: ParseLibsvmOptions = {}): LibsvmData {
  const source = options.source ?? 'libsvm data';
  if (options.numFeatures !== undefined && (!Number.isInteger(options.numFeatures) || options.numFeatures < 0)) {
    throw new RangeError(`numFeatures must be a non-negative integer, got ${options.numFeatures}`);
  }
  const lines = text.split('\n');
  const parsed: SparseLine[] = [];
  let maxIndex = -1;
  for (let lineIndex = 0; lineIndex < lines.length; lineIndex++) {
    const lineNumber = lineIndex + 1;
    let line = lines[lineIndex]!;
    const hash = line.indexOf('#');
    if (hash >= 0) line = line.slice(0, hash);
    line = line.trim();
    if (line === '') continue;
    const tokens = line.split(/\s+/);
    const where = `${source} line ${lineNumber}`;
    const labelToken = tokens[0]!;
    if (labelToken.includes(':')) {
      throw new LibsvmFormatError(`${where}: missing label (the line starts with "${labelToken}")`);
    }
    const label = parseFiniteNumber(labelToken);
    if (label === undefined) throw new LibsvmFormatError(`${where}: label "${labelToken}" is not a finite number`);
    const indices: number[] = [];
    const values: number[] = [];
    let previousIndex = -1;
    for (let t = 1; t < tokens.length; t++) {
      const token = tokens[t]!;
      const colon = token.indexOf(':');
      if (colon <= 0 || colon === token.length - 1) {
        throw new LibsvmFormatError(`${where}: "${token}" is not an idx:value pair`);
      }
      const key = token.slice(0, colon);
      const valueText = token.slice(colon + 1);
      if (key === 'qid') continue;
      if (!/^\d+$/.test(key))
        throw new LibsvmFormatError(`${where}: feature index "${key}" is not a non-negative integer`);
      const index = Number(key);
      const value = parseFiniteNumber(valueText);
      if (value === undefined) {
        throw new LibsvmFormatError(
          `${where}: feature ${index} has value "${valueText}", which is not a finite number`,
        );
      }
      if (index <= previousIndex) {
        throw new LibsvmFormatError(
          `${where}: feature index ${index} is not greater than the previous one (${previousIndex})`,
        );
      }
      if (options.numFeatures !== undefined && index >= options.numFeatures) {
        throw new LibsvmFormatError(
          `${where}: feature index ${index} is out of range: the model expects ${options.numFeatures} features (0..${options.numFeatures - 1})`,
        );
      }
      previousIndex = index;
      indices.push(index);
      values.push(value);
    }
    if (previousIndex > maxIndex) maxIndex = previousIndex;
    parsed.push({ lineNumber, label, indices, values });
  }
  const numFeatures = options.numFeatures ?? maxIndex + 1;
  const numRows = parsed.length;
  const labels = new Float64Array(numRows);
  const rows = new Float64Array(numRows * numFeatures);
  for (let row = 0; row < numRows; row++) {
    const line = parsed[row]!;
    labels[row] = line.label;
    const base = row * numFeatures;
    for (let k = 0; k < line.indices.length; k++) rows[base + line.indices[k]!] = line.values[k]!;
  }
  return { labels, rows, numRows, numFeatures };
}

/** Parses a query file: one positive integer per line, the size of each consecutive query group. */
export function parseQueryFile(text: string, source = 'query file'): Int32Array {
  const sizes: number[] = [];
  const lines = text.split('\n');
  for (let lineIndex = 0; lineIndex < lines.length; lineIndex++) {
    const line = lines[lineIndex]!.trim();
    if (line === '') continue;
    const where = `${source} line ${lineIndex + 1}`;
    if (!/^\d+$/.test(line))
      throw new LibsvmFormatError(`${where}: "${line}" is not a group size (a non-negative integer)`);
    const size = Number(line);
    if (size === 0) throw new LibsvmFormatError(`${where}: empty query group (size 0)`);
    if (size > 0x7fffffff) throw new LibsvmFormatError(`${where}: group size ${line} is too large`);
    sizes.push(size);
  }
  return Int32Array.from(sizes);
}

/**
 * Checks that query groups cover the rows exactly: every group has at least one row and the sizes
 * add up to `numRows`. Group g is reported as "line g+1" — its line in a query file.
 */
export function validateGroups(groups: Int32Array, numRows: number, source = 'query groups'): void {
  let total = 0;
  for (let g = 0; g < groups.length; g++) {
    const size = groups[g]!;
    if (!(size > 0)) throw new LibsvmFormatError(`${source} line ${g + 1}: empty query group (size ${size})`);
    total += size;
  }
  if (total !== numRows) {
    throw new LibsvmFormatError(
      `${source}: the ${groups.length} query groups cover ${total} rows but the data has ${numRows} rows`,
    );
  }
}

/** Writes LibSVM text; zeros are omitted (sparse), indices are column numbers. */
export function formatLibsvm(
  labels: ArrayLike<number>,
  rows: ArrayLike<number>,
  numRows: number,
  numFeatures: number,
): string {
  if (labels.length < numRows || rows.length < numRows * numFeatures) {
    throw new RangeError(`formatLibsvm: ${numRows} rows × ${numFeatures} features need more data than was given`);
  }
  const lines: string[] = [];
  for (let row = 0; row < numRows; row++) {
    const label = labels[row]!;
    if (!Number.isFinite(label)) throw new LibsvmFormatError(`formatLibsvm: row ${row} has label ${label}`);
    const parts = [String(label)];
    const base = row * numFeatures;
    for (let feature = 0; feature < numFeatures; feature++) {
      const value = rows[base + feature]!;
      if (!Number.isFinite(value)) {
        throw new LibsvmFormatError(`formatLibsvm: row ${row} feature ${feature} is ${value}, not a finite number`);
      }
      if (value !== 0) parts.push(`${feature}:${value}`);
    }
    lines.push(parts.join(' '));
  }
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

/** Writes a query file: one group size per line. */
export function formatQueryFile(groups: ArrayLike<number>): string {
  let text = '';
  for (let g = 0; g < groups.length; g++) text += `${groups[g]}\n`;
  return text;
}
