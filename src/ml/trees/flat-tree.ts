import { type DataMatrix, MISSING_CODE } from '../core/matrix';
import { MISSING_BIN, type BinnedData } from './binning';

/**
 * A fitted decision tree flattened into parallel typed arrays (as XGBoost's and sklearn's
 * predictors do) so prediction walks numbers, not objects. Node 0 is the root; leaves have
 * `feature = -1`. Numeric split: x <= threshold goes left; categorical split: codes whose bit
 * is set in the node's bitset go left; missing values follow `missingLeft`.
 * `value` holds nOutputs numbers per node (internal nodes too: the node's own estimate, used by
 * TreeSHAP and partial dependence); `cover` is the node's hessian / sample weight.
 */
export interface FlatTree {
  readonly nNodes: number;
  readonly nOutputs: number;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  /** The same split on binned data: bin <= binThreshold goes left (numeric splits). */
  readonly binThreshold: Uint8Array;
  readonly missingLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Offset into catBits of this node's 8-word (256-bit) bitset, or -1 for numeric splits. */
  readonly catOffset: Int32Array;
  readonly catBits: Uint32Array;
  readonly value: Float64Array;
  readonly cover: Float64Array;
  readonly gain: Float64Array;
}

/** Grows a FlatTree node by node (root first), in typed arrays that double as needed. */
export class FlatTreeBuilder {
  private n = 0;
  private cap = 16;
  private feature = new Int32Array(16);
  private threshold = new Float64Array(16);
  private binThreshold = new Uint8Array(16);
  private missingLeft = new Uint8Array(16);
  private left = new Int32Array(16);
  private right = new Int32Array(16);
  private catOffset = new Int32Array(16);
  private catBits: number[] = [];
  private value: Float64Array;
  private cover = new Float64Array(16);
  private gain = new Float64Array(16);

  constructor(readonly nOutputs: number) {
    this.value = new Float64Array(16 * nOutputs);
  }

  get size(): number {
    return this.n;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const widen = <T extends Int32Array | Float64Array | Uint8Array>(a: T, size: number): T => {
      const out = new (a.constructor as new (n: number) => T)(size);
      out.set(a);
      return out;
    };
    this.feature = widen(this.feature, cap);
    this.threshold = widen(this.threshold, cap);
    this.binThreshold = widen(this.binThreshold, cap);
    this.missingLeft = widen(this.missingLeft, cap);
    this.left = widen(this.left, cap);
    this.right = widen(this.right, cap);
    this.catOffset = widen(this.catOffset, cap);
    this.value = widen(this.value, cap * this.nOutputs);
    this.cover = widen(this.cover, cap);
    this.gain = widen(this.gain, cap);
    this.cap = cap;
  }

  /** Adds a node as a leaf; returns its id. */
  addLeaf(values: ArrayLike<number>, cover: number): number {
    if (this.n === this.cap) this.grow();
    const id = this.n++;
    this.feature[id] = -1;
    this.left[id] = -1;
    this.right[id] = -1;
    this.catOffset[id] = -1;
    const K = this.nOutputs;
    for (let k = 0; k < K; k++) this.value[id * K + k] = values[k];
    this.cover[id] = cover;
    return id;
  }

  /** Turns a leaf into a split node with the given children. */
  setSplit(
    node: number,
    split: {
      feature: number;
      threshold: number;
      binThreshold: number;
      missingLeft: boolean;
      gain: number;
      /** bins (categories) that go left, for categorical splits */
      leftCategories?: ArrayLike<number>;
    },
    left: number,
    right: number,
  ): void {
    this.feature[node] = split.feature;
    this.threshold[node] = split.threshold;
    this.binThreshold[node] = split.binThreshold;
    this.missingLeft[node] = split.missingLeft ? 1 : 0;
    this.gain[node] = split.gain;
    this.left[node] = left;
    this.right[node] = right;
    if (split.leftCategories) {
      const offset = this.catBits.length;
      for (let w = 0; w < 8; w++) this.catBits.push(0);
      for (let i = 0; i < split.leftCategories.length; i++) {
        const c = split.leftCategories[i];
        this.catBits[offset + (c >>> 5)] =
          (this.catBits[offset + (c >>> 5)] | (1 << (c & 31))) >>> 0;
      }
      this.catOffset[node] = offset;
    }
  }

  setValue(node: number, values: ArrayLike<number>): void {
    for (let k = 0; k < this.nOutputs; k++) this.value[node * this.nOutputs + k] = values[k];
  }

  build(): FlatTree {
    const n = this.n;
    return {
      nNodes: n,
      nOutputs: this.nOutputs,
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      binThreshold: this.binThreshold.slice(0, n),
      missingLeft: this.missingLeft.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      catOffset: this.catOffset.slice(0, n),
      catBits: Uint32Array.from(this.catBits),
      value: this.value.slice(0, n * this.nOutputs),
      cover: this.cover.slice(0, n),
      gain: this.gain.slice(0, n),
    };
  }
}

/**
 * Split-gain importance: each feature's total split gain (loss reduction) over the trees,
 * normalised to sum to 1 (XGBoost / LightGBM "gain"; sklearn's impurity importance for CART).
 */
export function gainImportance(trees: readonly FlatTree[], nFeatures: number): Float64Array {
  const out = new Float64Array(nFeatures);
  for (const tree of trees) {
    for (let i = 0; i < tree.nNodes; i++) {
      const f = tree.feature[i];
      if (f >= 0 && f < nFeatures && tree.gain[i] > 0) out[f] += tree.gain[i];
    }
  }
  let total = 0;
  for (const v of out) total += v;
  if (total > 0) for (let j = 0; j < out.length; j++) out[j] /= total;
  return out;
}

/** Multiplies every node value (used to fold the learning rate into leaves). */
export function scaleTree(tree: FlatTree, factor: number): void {
  const v = tree.value;
  for (let i = 0; i < v.length; i++) v[i] *= factor;
}

/**
 * Feature columns as Float64Arrays for traversal: numeric values as they are, categorical codes
 * as numbers with the missing code turned into NaN.
 */
export function featureColumns(x: DataMatrix): Float64Array[] {
  return x.columns.map((column) => {
    if (column.kind === 'numeric') return column.values;
    const out = new Float64Array(column.codes.length);
    for (let i = 0; i < out.length; i++) {
      const c = column.codes[i];
      out[i] = c === MISSING_CODE ? Number.NaN : c;
    }
    return out;
  });
}

/** Leaf reached by one row (raw feature values). */
export function leafIndex(tree: FlatTree, cols: readonly Float64Array[], row: number): number {
  const { feature, threshold, missingLeft, left, right, catOffset, catBits } = tree;
  let node = 0;
  for (;;) {
    const f = feature[node];
    if (f < 0) return node;
    const v = cols[f][row];
    let goLeft: boolean;
    if (v !== v) goLeft = missingLeft[node] === 1;
    else {
      const off = catOffset[node];
      if (off < 0) goLeft = v <= threshold[node];
      else goLeft = v < 256 && v >= 0 && ((catBits[off + (v >>> 5)] >>> (v & 31)) & 1) === 1;
    }
    node = goLeft ? left[node] : right[node];
  }
}

/** Leaf reached by one row of binned data. */
export function leafIndexBinned(tree: FlatTree, bins: BinnedData, row: number): number {
  const { feature, binThreshold, missingLeft, left, right, catOffset, catBits } = tree;
  const columns = bins.columns;
  let node = 0;
  for (;;) {
    const f = feature[node];
    if (f < 0) return node;
    const b = columns[f][row];
    let goLeft: boolean;
    if (b === MISSING_BIN) goLeft = missingLeft[node] === 1;
    else {
      const off = catOffset[node];
      if (off < 0) goLeft = b <= binThreshold[node];
      else goLeft = ((catBits[off + (b >>> 5)] >>> (b & 31)) & 1) === 1;
    }
    node = goLeft ? left[node] : right[node];
  }
}

/** Rows per block: the block's features (8 bytes each) should stay within ~20 KB of L1 cache. */
function blockRows(p: number): number {
  return Math.max(16, Math.min(256, Math.floor(2560 / p / 4) * 4));
}

/**
 * A numeric-only tree re-encoded for level-synchronous walking: leaves loop onto themselves
 * (threshold +∞, left = self), so every row can take exactly `depth` steps with no branch.
 */
interface WalkArrays {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly depth: number;
}
const walkCache = new WeakMap<FlatTree, WalkArrays | null>();

function walkArrays(tree: FlatTree): WalkArrays | null {
  let cached = walkCache.get(tree);
  if (cached !== undefined) return cached;
  cached = null;
  let ok = tree.catBits.length === 0;
  for (let i = 0; ok && i < tree.nNodes; i++) {
    if (tree.feature[i] >= 0 && tree.right[i] !== tree.left[i] + 1) ok = false;
  }
  if (ok) {
    const n = tree.nNodes;
    const feature = new Int32Array(n);
    const threshold = new Float64Array(n);
    const left = new Int32Array(n);
    const depthOf = new Int32Array(n);
    let depth = 0;
    for (let i = 0; i < n; i++) {
      if (tree.feature[i] < 0) {
        feature[i] = 0;
        threshold[i] = Number.POSITIVE_INFINITY;
        left[i] = i;
        if (depthOf[i] > depth) depth = depthOf[i];
      } else {
        feature[i] = tree.feature[i];
        threshold[i] = tree.threshold[i];
        left[i] = tree.left[i];
        depthOf[tree.left[i]] = depthOf[i] + 1;
        depthOf[tree.right[i]] = depthOf[i] + 1;
      }
    }
    cached = { feature, threshold, left, depth };
  }
  walkCache.set(tree, cached);
  return cached;
}

/**
 * Adds `scale ×` each tree's leaf values to `out` (row-major nRows × stride, at column
 * `outputOffset + k`). Rows go in blocks copied row-major; within a block every tree is walked
 * level by level for all rows at once (child = left + (x > threshold)), which has no
 * data-dependent branches and lets the CPU overlap the rows' memory loads. Rows with missing
 * values, and trees with categorical splits, take the ordinary walk.
 */
export function accumulateTrees(
  trees: readonly FlatTree[],
  cols: readonly Float64Array[],
  nRows: number,
  out: Float64Array,
  stride: number,
  outputOffsets: Int32Array | number,
  scale = 1,
): void {
  if (
    parallelAccumulator &&
    parallelAccumulator(trees, cols, nRows, out, stride, outputOffsets, scale)
  )
    return;
  accumulateTreesInThread(trees, cols, nRows, out, stride, outputOffsets, scale);
}

/** Same contract as {@link accumulateTrees}; returns false when it did not handle the call. */
export type TreeAccumulator = (
  trees: readonly FlatTree[],
  cols: readonly Float64Array[],
  nRows: number,
  out: Float64Array,
  stride: number,
  outputOffsets: Int32Array | number,
  scale: number,
) => boolean;

let parallelAccumulator: TreeAccumulator | undefined;

/** Installs (or removes) a multi-threaded prediction path; see `src/ml/parallel/predict-threads.ts`. */
export function setParallelAccumulator(accumulator: TreeAccumulator | undefined): void {
  parallelAccumulator = accumulator;
}

/** {@link accumulateTrees} in the calling thread. */
export function accumulateTreesInThread(
  trees: readonly FlatTree[],
  cols: readonly Float64Array[],
  nRows: number,
  out: Float64Array,
  stride: number,
  outputOffsets: Int32Array | number,
  scale = 1,
): void {
  const p = Math.max(1, cols.length);
  const BLOCK = blockRows(p);
  const block = new Float64Array(BLOCK * p);
  const hasNaN = new Uint8Array(BLOCK);
  const nodes = new Int32Array(BLOCK);
  const walks = trees.map(walkArrays);
  for (let start = 0; start < nRows; start += BLOCK) {
    const end = Math.min(nRows, start + BLOCK);
    const m = end - start;
    hasNaN.fill(0);
    let anyNaN = false;
    for (let f = 0; f < cols.length; f++) {
      const col = cols[f];
      for (let i = 0, o = f; i < m; i++, o += p) {
        const v = col[start + i];
        if (v !== v) {
          hasNaN[i] = 1;
          anyNaN = true;
          block[o] = 0;
        } else block[o] = v;
      }
    }
    for (let t = 0; t < trees.length; t++) {
      const tree = trees[t];
      const offset = typeof outputOffsets === 'number' ? outputOffsets : outputOffsets[t];
      const value = tree.value;
      const nOut = tree.nOutputs;
      const walk = walks[t];
      if (walk) {
        const { feature, threshold, left, depth } = walk;
        // `+(a > b)` compiles without a branch; four rows in flight hide load latency.
        let i = 0;
        for (; i + 4 <= m; i += 4) {
          let a = 0;
          let b = 0;
          let c = 0;
          let e = 0;
          const r0 = i * p;
          const r1 = r0 + p;
          const r2 = r1 + p;
          const r3 = r2 + p;
          // complete trees: exactly `depth` steps; otherwise step until all four rows sit on leaves
          if (depth <= 8) {
            for (let d = 0; d < depth; d++) {
              a = left[a] + +(block[r0 + feature[a]] > threshold[a]);
              b = left[b] + +(block[r1 + feature[b]] > threshold[b]);
              c = left[c] + +(block[r2 + feature[c]] > threshold[c]);
              e = left[e] + +(block[r3 + feature[e]] > threshold[e]);
            }
          } else {
            while (left[a] !== a || left[b] !== b || left[c] !== c || left[e] !== e) {
              a = left[a] + +(block[r0 + feature[a]] > threshold[a]);
              b = left[b] + +(block[r1 + feature[b]] > threshold[b]);
              c = left[c] + +(block[r2 + feature[c]] > threshold[c]);
              e = left[e] + +(block[r3 + feature[e]] > threshold[e]);
            }
          }
          nodes[i] = a;
          nodes[i + 1] = b;
          nodes[i + 2] = c;
          nodes[i + 3] = e;
        }
        for (; i < m; i++) {
          const rb = i * p;
          let node = 0;
          let next = left[0];
          while (next !== node) {
            node = next + +(block[rb + feature[node]] > threshold[node]);
            next = left[node];
          }
          nodes[i] = node;
        }
        if (anyNaN) {
          for (let i = 0; i < m; i++)
            if (hasNaN[i] === 1) nodes[i] = leafIndex(tree, cols, start + i);
        }
      } else {
        for (let i = 0; i < m; i++) nodes[i] = leafIndex(tree, cols, start + i);
      }
      if (nOut === 1) {
        for (let i = 0, o = start * stride + offset; i < m; i++, o += stride)
          out[o] += scale * value[nodes[i]];
      } else {
        for (let i = 0; i < m; i++) {
          const o = (start + i) * stride + offset;
          const v = nodes[i] * nOut;
          for (let k = 0; k < nOut; k++) out[o + k] += scale * value[v + k];
        }
      }
    }
  }
}
