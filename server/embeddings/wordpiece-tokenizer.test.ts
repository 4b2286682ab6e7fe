import { describe, expect, it } from 'vitest';
import { WordPieceTokenizer } from './wordpiece-tokenizer.js';

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'blade', 'run', '##ner', '##s', 'cafe', ',', '!', 'the', '中'];
const tokenizer = WordPieceTokenizer.fromVocabTxt(VOCAB.join('\n'));

describe('WordPiece tokenizer', () => {
  it('lowercases, strips accents, splits punctuation and CJK characters', () => {
    expect(tokenizer.basicTokens('Blade RUNNER, Café!中x')).toEqual(['blade', 'runner', ',', 'cafe', '!', '中', 'x']);
  });

  it('splits words into the longest known pieces, [UNK] for the rest', () => {
    expect(tokenizer.tokenIds('Runners blade xyz')).toEqual([5, 6, 7, 4, 1]);
  });

  it('wraps in [CLS]/[SEP], cuts at the maximum length and pads the batch', () => {
    const batch = tokenizer.encodeBatch(['blade runner the', 'cafe'], 5);
    expect(batch.sequence).toBe(5);
    expect(Array.from(batch.inputIds, Number)).toEqual([2, 4, 5, 6, 3, 2, 8, 3, 0, 0]);
    expect(Array.from(batch.attentionMask, Number)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    expect(batch.lengths).toEqual([5, 3]);
  });

  it('reads a tokenizer.json WordPiece model and refuses other models', () => {
    const json = {
      normalizer: { lowercase: false },
      model: { type: 'WordPiece', vocab: Object.fromEntries(VOCAB.map((t, i) => [t, i])) },
    };
    const cased = WordPieceTokenizer.fromTokenizerJson(JSON.stringify(json));
    expect(cased.tokenIds('Blade blade')).toEqual([1, 4]);
    expect(() => WordPieceTokenizer.fromTokenizerJson(JSON.stringify({ model: { type: 'BPE', vocab: {} } }))).toThrow(
      /WordPiece/,
    );
  });
});
