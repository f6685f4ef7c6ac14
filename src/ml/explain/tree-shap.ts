import type { DataMatrix } from '../core/matrix';
import { HistGradientBoostingModel } from '../boosting/hist-gradient-boosting';
import type { RandomForestModel } from '../forest/random-forest';
import { featureColumns, type FlatTree } from '../trees/flat-tree';

/** SHAP values: row-major nRows × nOutputs × (nFeatures + 1); the last column is the bias. */
export interface ShapValues {
  readonly nRows: number;
  readonly nOutputs: number;
  readonly nFeatures: number;
  readonly values: Float64Array;
}

/** Trees to explain, each adding `scale ×` its value(s) to outputs starting at `outputOf[t]`. */
export interface TreeEnsembleView {
  readonly trees: readonly FlatTree[];
  /** First output each tree contributes to (a tree with k values fills k consecutive outputs). */
  readonly outputOf: Int32Array;
  readonly scale: number;
  /** Raw score before any tree, per output. */
  readonly base: Float64Array;
  readonly nOutputs: number;
}

export function ensembleView(
  model: HistGradientBoostingModel | RandomForestModel,
): TreeEnsembleView {
  if (model instanceof HistGradientBoostingModel) {
    const k = model.nOutputs;
    return {
      trees: model.trees,
      outputOf: Int32Array.from(model.trees, (_, t) => t % k),
      scale: 1,
      base: model.initScore,
      nOutputs: k,
    };
  }
  return {
    trees: model.trees,
    outputOf: new Int32Array(model.trees.length),
    scale: model.trees.length > 0 ? 1 / model.trees.length : 0,
    base: new Float64Array(model.nOutputs),
    nOutputs: model.nOutputs,
  };
}

/**
 * Per-prediction feature contributions in the model's raw-score space (margins for boosted
 * classifiers, probabilities for forests), whose sum with the bias equals the raw prediction.
 */
export function treeShapValues(
  model: HistGradientBoostingModel | RandomForestModel,
  x: DataMatrix,
): ShapValues {
  return treeShapEnsemble(ensembleView(model), x);
}

/**
 * Exact TreeSHAP, Lundberg, Erion & Lee 2018 ("Consistent individualized feature attribution
 * for tree ensembles", Algorithm 2; as `shap`'s tree_shap.h and XGBoost's `pred_contribs`):
 * conditional expectations use the training cover of each node, so for one tree the
 * contributions plus the expected value E[f] = Σ_leaf cover·value / cover_root equal f(x).
 */
export function treeShapEnsemble(view: TreeEnsembleView, x: DataMatrix): ShapValues {
  const p = x.nCols;
  const K = view.nOutputs;
  const n = x.nRows;
  const width = p + 1;
  const values = new Float64Array(n * K * width);
  const cols = featureColumns(x);
  const expected = new Float64Array(K);
  for (let k = 0; k < K; k++) expected[k] = view.base[k];
  for (let t = 0; t < view.trees.length; t++) {
    const tree = view.trees[t];
    const ev = expectedValues(tree);
    for (let k = 0; k < tree.nOutputs; k++) expected[view.outputOf[t] + k] += view.scale * ev[k];
  }
  const shap = new TreeShap(p);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < view.trees.length; t++) {
      const tree = view.trees[t];
      shap.explain(tree, cols, i, values, i * K * width, view.outputOf[t], width, view.scale);
    }
    for (let k = 0; k < K; k++) values[i * K * width + k * width + p] = expected[k];
  }
  return { nRows: n, nOutputs: K, nFeatures: p, values };
}

/** Cover-weighted mean of the leaf values (the tree's expected output), per value index. */
export function expectedValues(tree: FlatTree): Float64Array {
  const K = tree.nOutputs;
  const out = new Float64Array(K);
  const root = tree.cover[0];
  for (let i = 0; i < tree.nNodes; i++) {
    if (tree.feature[i] >= 0) continue;
    for (let k = 0; k < K; k++) out[k] += (tree.cover[i] / root) * tree.value[i * K + k];
  }
  return out;
}

class TreeShap {
  // one path per recursion level, allocated on demand
  private readonly feature: Int32Array[] = [];
  private readonly zero: Float64Array[] = [];
  private readonly one: Float64Array[] = [];
  private readonly pweight: Float64Array[] = [];
  private tree!: FlatTree;
  private cols!: readonly Float64Array[];
  private row = 0;
  private out!: Float64Array;
  private outBase = 0;
  private width = 0;
  private scale = 1;

  constructor(private readonly nFeatures: number) {}

  explain(
    tree: FlatTree,
    cols: readonly Float64Array[],
    row: number,
    out: Float64Array,
    rowOffset: number,
    firstOutput: number,
    width: number,
    scale: number,
  ): void {
    this.tree = tree;
    this.cols = cols;
    this.row = row;
    this.out = out;
    this.outBase = rowOffset + firstOutput * width;
    this.width = width;
    this.scale = scale;
    this.recurse(0, 0, 0, 1, 1, -1);
  }

  private level(depth: number, size: number): void {
    while (this.feature.length <= depth) {
      this.feature.push(new Int32Array(0));
      this.zero.push(new Float64Array(0));
      this.one.push(new Float64Array(0));
      this.pweight.push(new Float64Array(0));
    }
    if (this.feature[depth].length < size) {
      const cap = Math.max(size, 16);
      this.feature[depth] = new Int32Array(cap);
      this.zero[depth] = new Float64Array(cap);
      this.one[depth] = new Float64Array(cap);
      this.pweight[depth] = new Float64Array(cap);
    }
  }

  private recurse(
    node: number,
    level: number,
    uniqueDepthIn: number,
    parentZero: number,
    parentOne: number,
    parentFeature: number,
  ): void {
    let uniqueDepth = uniqueDepthIn;
    this.level(level, uniqueDepth + 2);
    const fi = this.feature[level];
    const zf = this.zero[level];
    const of = this.one[level];
    const pw = this.pweight[level];
    if (level > 0) {
      const pf = this.feature[level - 1];
      const pz = this.zero[level - 1];
      const po = this.one[level - 1];
      const pp = this.pweight[level - 1];
      for (let i = 0; i < uniqueDepth; i++) {
        fi[i] = pf[i];
        zf[i] = pz[i];
        of[i] = po[i];
        pw[i] = pp[i];
      }
    }
    // extend
    fi[uniqueDepth] = parentFeature;
    zf[uniqueDepth] = parentZero;
    of[uniqueDepth] = parentOne;
    pw[uniqueDepth] = uniqueDepth === 0 ? 1 : 0;
    for (let i = uniqueDepth - 1; i >= 0; i--) {
      pw[i + 1] += (parentOne * pw[i] * (i + 1)) / (uniqueDepth + 1);
      pw[i] = (parentZero * pw[i] * (uniqueDepth - i)) / (uniqueDepth + 1);
    }
    const tree = this.tree;
    const split = tree.feature[node];
    if (split < 0) {
      const K = tree.nOutputs;
      for (let i = 1; i <= uniqueDepth; i++) {
        const w = this.unwoundPathSum(fi, zf, of, pw, uniqueDepth, i);
        const factor = w * (of[i] - zf[i]) * this.scale;
        const base = this.outBase + fi[i];
        for (let k = 0; k < K; k++)
          this.out[base + k * this.width] += factor * tree.value[node * K + k];
      }
      return;
    }
    const hot = goesLeft(tree, node, this.cols[split][this.row])
      ? tree.left[node]
      : tree.right[node];
    const cold = hot === tree.left[node] ? tree.right[node] : tree.left[node];
    let incomingZero = 1;
    let incomingOne = 1;
    let pathIndex = 0;
    for (; pathIndex <= uniqueDepth; pathIndex++) if (fi[pathIndex] === split) break;
    if (pathIndex !== uniqueDepth + 1) {
      incomingZero = zf[pathIndex];
      incomingOne = of[pathIndex];
      this.unwind(fi, zf, of, pw, uniqueDepth, pathIndex);
      uniqueDepth--;
    }
    const cover = tree.cover[node];
    const hotZero = cover > 0 ? tree.cover[hot] / cover : 0;
    const coldZero = cover > 0 ? tree.cover[cold] / cover : 0;
    this.recurse(hot, level + 1, uniqueDepth + 1, hotZero * incomingZero, incomingOne, split);
    this.recurse(cold, level + 1, uniqueDepth + 1, coldZero * incomingZero, 0, split);
  }

  private unwind(
    fi: Int32Array,
    zf: Float64Array,
    of: Float64Array,
    pw: Float64Array,
    uniqueDepth: number,
    pathIndex: number,
  ): void {
    const one = of[pathIndex];
    const zero = zf[pathIndex];
    let nextOne = pw[uniqueDepth];
    for (let i = uniqueDepth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = pw[i];
        pw[i] = (nextOne * (uniqueDepth + 1)) / ((i + 1) * one);
        nextOne = tmp - (pw[i] * zero * (uniqueDepth - i)) / (uniqueDepth + 1);
      } else {
        pw[i] = (pw[i] * (uniqueDepth + 1)) / (zero * (uniqueDepth - i));
      }
    }
    for (let i = pathIndex; i < uniqueDepth; i++) {
      fi[i] = fi[i + 1];
      zf[i] = zf[i + 1];
      of[i] = of[i + 1];
    }
  }

  private unwoundPathSum(
    fi: Int32Array,
    zf: Float64Array,
    of: Float64Array,
    pw: Float64Array,
    uniqueDepth: number,
    pathIndex: number,
  ): number {
    const one = of[pathIndex];
    const zero = zf[pathIndex];
    let nextOne = pw[uniqueDepth];
    let total = 0;
    for (let i = uniqueDepth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = (nextOne * (uniqueDepth + 1)) / ((i + 1) * one);
        total += tmp;
        nextOne = pw[i] - tmp * zero * ((uniqueDepth - i) / (uniqueDepth + 1));
      } else if (zero !== 0) {
        total += pw[i] / zero / ((uniqueDepth - i) / (uniqueDepth + 1));
      }
    }
    void fi;
    return total;
  }
}

function goesLeft(tree: FlatTree, node: number, v: number): boolean {
  if (v !== v) return tree.missingLeft[node] === 1;
  const off = tree.catOffset[node];
  if (off < 0) return v <= tree.threshold[node];
  return v >= 0 && v < 256 && ((tree.catBits[off + (v >>> 5)] >>> (v & 31)) & 1) === 1;
}
