// BERT's tokenizer, as sentence-transformers exports ship it (tokenizer.json with a WordPiece model, or
// vocab.txt): clean, lowercase and strip accents, split on whitespace and punctuation, then greedy
// longest-match WordPiece with "##" continuations, wrapped in [CLS] … [SEP] and cut at a maximum length.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface WordPieceOptions {
  lowercase: boolean;
  stripAccents: boolean;
  continuingSubwordPrefix: string;
  maxInputCharsPerWord: number;
  unkToken: string;
  clsToken: string;
  sepToken: string;
  padToken: string;
}

const DEFAULTS: WordPieceOptions = {
  lowercase: true,
  stripAccents: true,
  continuingSubwordPrefix: '##',
  maxInputCharsPerWord: 100,
  unkToken: '[UNK]',
  clsToken: '[CLS]',
  sepToken: '[SEP]',
  padToken: '[PAD]',
};

export interface EncodedBatch {
  /** Row-major [batch, sequence] token ids, padded with the pad id. */
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  batch: number;
  sequence: number;
  /** Real tokens per text (special tokens included, padding excluded). */
  lengths: number[];
}

export class WordPieceTokenizer {
  private readonly options: WordPieceOptions;
  private readonly unkId: number;
  private readonly clsId: number;
  private readonly sepId: number;
  readonly padId: number;

  constructor(
    private readonly vocab: Map<string, number>,
    options: Partial<WordPieceOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    const id = (token: string): number => {
      const found = vocab.get(token);
      if (found === undefined) throw new Error(`tokenizer vocabulary lacks ${token}`);
      return found;
    };
    this.unkId = id(this.options.unkToken);
    this.clsId = id(this.options.clsToken);
    this.sepId = id(this.options.sepToken);
    this.padId = id(this.options.padToken);
  }

  /** Reads `tokenizer.json` (preferred) or `vocab.txt` from a sentence-transformer folder. */
  static fromDirectory(directory: string): WordPieceTokenizer {
    const tokenizerJson = path.join(directory, 'tokenizer.json');
    if (existsSync(tokenizerJson)) return WordPieceTokenizer.fromTokenizerJson(readFileSync(tokenizerJson, 'utf8'));
    const vocabTxt = path.join(directory, 'vocab.txt');
    if (existsSync(vocabTxt)) return WordPieceTokenizer.fromVocabTxt(readFileSync(vocabTxt, 'utf8'));
    throw new Error(`${directory}: has neither tokenizer.json nor vocab.txt`);
  }

  static fromVocabTxt(text: string, options: Partial<WordPieceOptions> = {}): WordPieceTokenizer {
    const vocab = new Map<string, number>();
    text.split(/\r?\n/).forEach((token, index) => {
      if (token !== '' && !vocab.has(token)) vocab.set(token, index);
    });
    return new WordPieceTokenizer(vocab, options);
  }

  static fromTokenizerJson(text: string): WordPieceTokenizer {
    const json = JSON.parse(text) as {
      model?: {
        type?: string;
        vocab?: Record<string, number>;
        unk_token?: string;
        continuing_subword_prefix?: string;
        max_input_chars_per_word?: number;
      };
      normalizer?: { type?: string; lowercase?: boolean; strip_accents?: boolean | null };
    };
    const model = json.model;
    if (model?.type !== 'WordPiece' || !model.vocab) {
      throw new Error(`tokenizer.json: model.type is ${String(model?.type)}; only WordPiece is supported`);
    }
    const lowercase = json.normalizer?.lowercase ?? true;
    return new WordPieceTokenizer(new Map(Object.entries(model.vocab)), {
      lowercase,
      // HF: strip_accents null means "follow lowercase".
      stripAccents: json.normalizer?.strip_accents ?? lowercase,
      unkToken: model.unk_token ?? DEFAULTS.unkToken,
      continuingSubwordPrefix: model.continuing_subword_prefix ?? DEFAULTS.continuingSubwordPrefix,
      maxInputCharsPerWord: model.max_input_chars_per_word ?? DEFAULTS.maxInputCharsPerWord,
    });
  }

  /** Words after BERT's basic tokenisation (before WordPiece). */
  basicTokens(text: string): string[] {
    let cleaned = '';
    for (const char of text) {
      const code = char.codePointAt(0)!;
      if (code === 0 || code === 0xfffd || (/\p{Cc}/u.test(char) && !/\s/u.test(char))) continue;
      // CJK ideographs are words of their own, as in BERT.
      cleaned += isCjk(code) ? ` ${char} ` : /\s/u.test(char) ? ' ' : char;
    }
    const words: string[] = [];
    for (let word of cleaned.split(' ')) {
      if (word === '') continue;
      if (this.options.lowercase) word = word.toLowerCase();
      if (this.options.stripAccents) word = word.normalize('NFD').replace(/\p{Mn}/gu, '');
      let current = '';
      for (const char of word) {
        if (isPunctuation(char)) {
          if (current) words.push(current);
          words.push(char);
          current = '';
        } else current += char;
      }
      if (current) words.push(current);
    }
    return words;
  }

  /** Token ids of one text, without special tokens. */
  tokenIds(text: string): number[] {
    const ids: number[] = [];
    const prefix = this.options.continuingSubwordPrefix;
    for (const word of this.basicTokens(text)) {
      const chars = [...word];
      if (chars.length > this.options.maxInputCharsPerWord) {
        ids.push(this.unkId);
        continue;
      }
      const pieces: number[] = [];
      let start = 0;
      let failed = false;
      while (start < chars.length) {
        let end = chars.length;
        let found: number | undefined;
        while (start < end) {
          const piece = (start > 0 ? prefix : '') + chars.slice(start, end).join('');
          found = this.vocab.get(piece);
          if (found !== undefined) break;
          end--;
        }
        if (found === undefined) {
          failed = true;
          break;
        }
        pieces.push(found);
        start = end;
      }
      if (failed) ids.push(this.unkId);
      else ids.push(...pieces);
    }
    return ids;
  }

  /** [CLS] text [SEP] per text, cut to `maxLength`, padded to the longest in the batch. */
  encodeBatch(texts: string[], maxLength: number): EncodedBatch {
    const rows = texts.map((text) => [this.clsId, ...this.tokenIds(text).slice(0, maxLength - 2), this.sepId]);
    const sequence = Math.max(...rows.map((row) => row.length));
    const inputIds = new BigInt64Array(rows.length * sequence).fill(BigInt(this.padId));
    const attentionMask = new BigInt64Array(rows.length * sequence);
    rows.forEach((row, b) => {
      row.forEach((id, s) => {
        inputIds[b * sequence + s] = BigInt(id);
        attentionMask[b * sequence + s] = 1n;
      });
    });
    return { inputIds, attentionMask, batch: rows.length, sequence, lengths: rows.map((row) => row.length) };
  }
}

function isPunctuation(char: string): boolean {
  const code = char.codePointAt(0)!;
  // BERT treats all non-letter/number ASCII as punctuation ($, ^, `), plus Unicode P*.
  if (
    (code >= 33 && code <= 47) ||
    (code >= 58 && code <= 64) ||
    (code >= 91 && code <= 96) ||
    (code >= 123 && code <= 126)
  ) {
    return true;
  }
  return /\p{P}/u.test(char);
}

function isCjk(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x20000 && code <= 0x2a6df) ||
    (code >= 0x2a700 && code <= 0x2b81f) ||
    (code >= 0x2b820 && code <= 0x2ceaf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x2f800 && code <= 0x2fa1f)
  );
}
