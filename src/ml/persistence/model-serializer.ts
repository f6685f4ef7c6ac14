import { HistGradientBoostingModel } from '../boosting/hist-gradient-boosting';
import { RandomForestModel } from '../forest/random-forest';
import type { FlatTree } from '../trees/flat-tree';
import type { FittedModel, Task } from '../trees/types';
import { align8, unwrapPayload, wrapPayload } from './envelope';
import { ModelFormatError, ModelFormatErrorCode } from './model-format-error';

/**
 * Versioned binary format for fitted tree models:
 *
 *   0  'NMLM' magic            4  u16 format version     6  u16 reserved (0)
 *   8  u32 payload bytes       12 u32 CRC-32 of payload   16 payload
 *
 * payload = u32 header length, UTF-8 JSON header (model metadata and per-tree node counts),
 * zero padding to a multiple of 8, then each tree field concatenated over all trees, in
 * TREE_FIELDS order, little-endian. All numbers round-trip exactly, so a loaded model predicts
 * bit-for-bit as the saved one.
 */
export const MODEL_MAGIC = 'NMLM';
export const MODEL_FORMAT_VERSION = 1;

type FieldType = 'i32' | 'f64' | 'u8' | 'u32';
const TREE_FIELDS: readonly (readonly [keyof FlatTree, FieldType, 'nodes' | 'values' | 'cat'])[] = [
  ['feature', 'i32', 'nodes'],
  ['threshold', 'f64', 'nodes'],
  ['binThreshold', 'u8', 'nodes'],
  ['missingLeft', 'u8', 'nodes'],
  ['left', 'i32', 'nodes'],
  ['right', 'i32', 'nodes'],
  ['catOffset', 'i32', 'nodes'],
  ['catBits', 'u32', 'cat'],
  ['value', 'f64', 'values'],
  ['cover', 'f64', 'nodes'],
  ['gain', 'f64', 'nodes'],
];
const SIZE: Record<FieldType, number> = { i32: 4, f64: 8, u8: 1, u32: 4 };

interface TreeShape {
  n: number;
  k: number;
  c: number;
}

interface Header {
  kind: string;
  task: Task;
  nClasses: number;
  featureNames: string[];
  trees: TreeShape[];
  initScore?: number[];
  nIterations?: number;
  validationLoss?: number[];
  oobScore?: number;
}

export type TreeModel = HistGradientBoostingModel | RandomForestModel;

export function serializeModel(model: FittedModel): Uint8Array {
  if (!(model instanceof HistGradientBoostingModel) && !(model instanceof RandomForestModel)) {
    throw new ModelFormatError(
      ModelFormatErrorCode.UnknownModelKind,
      `cannot serialise "${model.kind}"`,
    );
  }
  const trees = model.trees;
  const header: Header = {
    kind: model.kind,
    task: model.task,
    nClasses: model.nClasses,
    featureNames: [...model.featureNames],
    trees: trees.map((t) => ({ n: t.nNodes, k: t.nOutputs, c: t.catBits.length })),
  };
  if (model instanceof HistGradientBoostingModel) {
    header.initScore = Array.from(model.initScore);
    header.nIterations = model.nIterations;
    header.validationLoss = [...model.validationLoss];
  } else if (model.oobScore !== undefined) {
    header.oobScore = model.oobScore;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerEnd = align8(4 + json.length);
  let bodyBytes = 0;
  for (const [, type, count] of TREE_FIELDS) {
    for (const s of header.trees) bodyBytes += SIZE[type] * countOf(s, count);
  }
  const payload = new Uint8Array(headerEnd + bodyBytes);
  const view = new DataView(payload.buffer);
  view.setUint32(0, json.length, true);
  payload.set(json, 4);
  let o = headerEnd;
  for (const [field, type] of TREE_FIELDS) {
    for (const tree of trees) {
      const a = tree[field] as ArrayLike<number>;
      for (let i = 0; i < a.length; i++) {
        switch (type) {
          case 'i32':
            view.setInt32(o, a[i], true);
            break;
          case 'u32':
            view.setUint32(o, a[i], true);
            break;
          case 'f64':
            view.setFloat64(o, a[i], true);
            break;
          case 'u8':
            view.setUint8(o, a[i]);
            break;
        }
        o += SIZE[type];
      }
    }
  }
  return wrapPayload(MODEL_MAGIC, MODEL_FORMAT_VERSION, payload);
}

export function deserializeModel(bytes: Uint8Array): TreeModel {
  const payload = unwrapPayload(bytes, MODEL_MAGIC, MODEL_FORMAT_VERSION);
  const view = new DataView(payload.buffer);
  const malformed = (detail: string): ModelFormatError =>
    new ModelFormatError(ModelFormatErrorCode.Malformed, detail);
  if (payload.length < 4) throw malformed('no header');
  const jsonLength = view.getUint32(0, true);
  if (4 + jsonLength > payload.length) throw malformed('header longer than payload');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(payload.subarray(4, 4 + jsonLength))) as Header;
  } catch {
    throw malformed('header is not JSON');
  }
  if (!header || !Array.isArray(header.trees) || !Array.isArray(header.featureNames))
    throw malformed('header fields');
  const shapes = header.trees;
  const arrays: Record<string, Int32Array | Float64Array | Uint8Array | Uint32Array>[] = shapes.map(
    () => ({}),
  );
  let o = align8(4 + jsonLength);
  for (const [field, type, count] of TREE_FIELDS) {
    shapes.forEach((s, t) => {
      const len = countOf(s, count);
      if (!(Number.isInteger(len) && len >= 0) || o + len * SIZE[type] > payload.length) {
        throw malformed(`tree ${t} field ${field} runs past the payload`);
      }
      const a = make(type, len);
      for (let i = 0; i < len; i++) {
        switch (type) {
          case 'i32':
            a[i] = view.getInt32(o, true);
            break;
          case 'u32':
            a[i] = view.getUint32(o, true);
            break;
          case 'f64':
            a[i] = view.getFloat64(o, true);
            break;
          case 'u8':
            a[i] = view.getUint8(o);
            break;
        }
        o += SIZE[type];
      }
      arrays[t][field] = a;
    });
  }
  if (o !== payload.length) throw malformed('trailing bytes');
  const nFeatures = header.featureNames.length;
  const trees: FlatTree[] = shapes.map((s, t) => {
    const a = arrays[t];
    const tree = {
      nNodes: s.n,
      nOutputs: s.k,
      feature: a.feature as Int32Array,
      threshold: a.threshold as Float64Array,
      binThreshold: a.binThreshold as Uint8Array,
      missingLeft: a.missingLeft as Uint8Array,
      left: a.left as Int32Array,
      right: a.right as Int32Array,
      catOffset: a.catOffset as Int32Array,
      catBits: a.catBits as Uint32Array,
      value: a.value as Float64Array,
      cover: a.cover as Float64Array,
      gain: a.gain as Float64Array,
    };
    validateTree(tree, nFeatures, t, malformed);
    return tree;
  });
  switch (header.kind) {
    case 'hist-gradient-boosting':
      return new HistGradientBoostingModel({
        task: header.task,
        nClasses: header.nClasses,
        featureNames: header.featureNames,
        initScore: Float64Array.from(header.initScore ?? []),
        trees,
        nIterations: header.nIterations ?? 0,
        validationLoss: header.validationLoss ?? [],
      });
    case 'random-forest':
    case 'extra-trees':
      return new RandomForestModel({
        kind: header.kind,
        task: header.task,
        nClasses: header.nClasses,
        featureNames: header.featureNames,
        trees,
        oobScore: header.oobScore,
      });
    default:
      throw new ModelFormatError(
        ModelFormatErrorCode.UnknownModelKind,
        `model kind "${String(header.kind)}"`,
      );
  }
}

function validateTree(
  tree: FlatTree,
  nFeatures: number,
  t: number,
  malformed: (detail: string) => ModelFormatError,
): void {
  if (tree.nNodes < 1) throw malformed(`tree ${t} has no nodes`);
  if (tree.nOutputs < 1) throw malformed(`tree ${t} has no outputs`);
  // children strictly after parents: rules out cycles, so prediction always ends at a leaf
  for (let i = 0; i < tree.nNodes; i++) {
    const f = tree.feature[i];
    if (f < 0) continue;
    if (f >= nFeatures) throw malformed(`tree ${t} node ${i} uses feature ${f}`);
    const l = tree.left[i];
    const r = tree.right[i];
    if (!(l > i && r > i && l < tree.nNodes && r < tree.nNodes))
      throw malformed(`tree ${t} node ${i} children`);
    const c = tree.catOffset[i];
    if (c >= 0 && c + 8 > tree.catBits.length) throw malformed(`tree ${t} node ${i} category set`);
  }
}

function countOf(s: TreeShape, count: 'nodes' | 'values' | 'cat'): number {
  return count === 'nodes' ? s.n : count === 'values' ? s.n * s.k : s.c;
}

function make(type: FieldType, n: number): Int32Array | Float64Array | Uint8Array | Uint32Array {
  switch (type) {
    case 'i32':
      return new Int32Array(n);
    case 'u32':
      return new Uint32Array(n);
    case 'f64':
      return new Float64Array(n);
    case 'u8':
      return new Uint8Array(n);
  }
}
