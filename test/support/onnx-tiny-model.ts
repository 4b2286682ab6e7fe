// Builds a tiny sentence-transformer-shaped ONNX model at test time (no real weights can be downloaded
// here): inputs `input_ids` and `attention_mask` (int64 [batch, seq]), output `last_hidden_state`
// (float [batch, seq, dim]) = Gather(embedding table, input_ids) + attention_mask (broadcast over dim).
// Adding the mask makes real tokens differ from padding, and the [PAD] row is non-zero, so a provider
// that ignored the mask when pooling would get a different answer. Encoded with protobufjs from the
// subset of onnx.proto the graph needs (field numbers as in onnx/onnx.proto3).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs';

const ONNX_SUBSET = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            i: { type: 'int64', id: 3 },
            type: { type: 'int32', id: 20 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            data_type: { type: 'int32', id: 2 },
            float_data: { rule: 'repeated', type: 'float', id: 4, options: { packed: true } },
            int64_data: { rule: 'repeated', type: 'int64', id: 7, options: { packed: true } },
            name: { type: 'string', id: 8 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            op_type: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
          },
        },
        Dimension: { fields: { dim_value: { type: 'int64', id: 1 }, dim_param: { type: 'string', id: 2 } } },
        TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
        TensorTypeProto: {
          fields: { elem_type: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } },
        },
        TypeProto: { fields: { tensor_type: { type: 'TensorTypeProto', id: 1 } } },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        ModelProto: {
          fields: {
            ir_version: { type: 'int64', id: 1 },
            producer_name: { type: 'string', id: 2 },
            graph: { type: 'GraphProto', id: 7 },
            opset_import: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
          },
        },
      },
    },
  },
};

const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_INT = 2;

/** The tiny vocabulary: BERT's special tokens, a few words and a "##" continuation. */
export const TINY_VOCAB = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  'blade',
  'runner',
  'film',
  'noir',
  'rain',
  '##s',
  '.',
  'the',
];
export const TINY_DIMENSIONS = 4;

/** Deterministic, distinct, non-zero rows (the [PAD] row included). */
export function tinyEmbeddingTable(): number[][] {
  return TINY_VOCAB.map((_token, id) =>
    Array.from({ length: TINY_DIMENSIONS }, (_unused, d) => Math.sin(id * 1.7 + d * 0.9) + (d === id % 4 ? 1 : 0)),
  );
}

function tensorValue(name: string, elemType: number, dims: Array<string | number>) {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: { dim: dims.map((dim) => (typeof dim === 'number' ? { dim_value: dim } : { dim_param: dim })) },
      },
    },
  };
}

/**
 * Writes `model.onnx` and a `tokenizer.json` (HF WordPiece, lowercase) into `directory` and returns the
 * expected hidden state of one token id (embedding row + 1, as the graph adds the mask).
 */
export function writeTinyOnnxModel(directory: string): { table: number[][] } {
  const root = protobuf.Root.fromJSON(ONNX_SUBSET);
  const ModelProto = root.lookupType('onnx.ModelProto');
  const table = tinyEmbeddingTable();
  const model = {
    ir_version: 8,
    producer_name: 'sde-test',
    opset_import: [{ domain: '', version: 13 }],
    graph: {
      name: 'tiny-sentence-transformer',
      initializer: [
        { name: 'embeddings', data_type: FLOAT, dims: [TINY_VOCAB.length, TINY_DIMENSIONS], float_data: table.flat() },
        { name: 'last_axis', data_type: INT64, dims: [1], int64_data: [2] },
      ],
      node: [
        {
          op_type: 'Gather',
          name: 'lookup',
          input: ['embeddings', 'input_ids'],
          output: ['token_vectors'],
          attribute: [{ name: 'axis', i: 0, type: ATTRIBUTE_INT }],
        },
        {
          op_type: 'Cast',
          name: 'mask_float',
          input: ['attention_mask'],
          output: ['mask_f'],
          attribute: [{ name: 'to', i: FLOAT, type: ATTRIBUTE_INT }],
        },
        { op_type: 'Unsqueeze', name: 'mask_3d', input: ['mask_f', 'last_axis'], output: ['mask_3d'] },
        { op_type: 'Add', name: 'plus_mask', input: ['token_vectors', 'mask_3d'], output: ['last_hidden_state'] },
      ],
      input: [
        tensorValue('input_ids', INT64, ['batch', 'sequence']),
        tensorValue('attention_mask', INT64, ['batch', 'sequence']),
      ],
      output: [tensorValue('last_hidden_state', FLOAT, ['batch', 'sequence', TINY_DIMENSIONS])],
    },
  };
  const problem = ModelProto.verify(model);
  if (problem) throw new Error(`tiny ONNX model: ${problem}`);
  mkdirSync(directory, { recursive: true });
  writeFileSync(path.join(directory, 'model.onnx'), ModelProto.encode(ModelProto.fromObject(model)).finish());
  const tokenizer = {
    version: '1.0',
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(TINY_VOCAB.map((token, id) => [token, id])),
    },
  };
  writeFileSync(path.join(directory, 'tokenizer.json'), JSON.stringify(tokenizer));
  return { table };
}

/** What the provider must return for these token ids (with [CLS]/[SEP]): mean of (row + 1), unit length. */
export function expectedTinyEmbedding(tokenIds: number[]): number[] {
  const table = tinyEmbeddingTable();
  const sum = new Array<number>(TINY_DIMENSIONS).fill(0);
  for (const id of tokenIds) for (let d = 0; d < TINY_DIMENSIONS; d++) sum[d]! += table[id]![d]! + 1;
  const mean = sum.map((value) => value / tokenIds.length);
  const norm = Math.hypot(...mean);
  return mean.map((value) => value / norm);
}
