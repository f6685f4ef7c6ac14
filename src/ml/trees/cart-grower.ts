import type { Random } from '../core/random';
import { MISSING_BIN, type BinMapper, type BinnedData } from './binning';
import { FlatTreeBuilder, type FlatTree } from './flat-tree';

export interface CartOptions {
  /** 0 = unlimited. */
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  /** Features examined per node (non-constant ones count, as in scikit-learn). */
  readonly maxFeatures: number;
  /** Extremely randomised trees: one random threshold per examined feature. */
  readonly extraRandom: boolean;
  readonly minImpurityDecrease: number;
}

/** Training data shared by every tree of a forest. */
export interface CartData {
  readonly bins: BinnedData;
  readonly mapper: BinMapper;
  /** Class index (classification) or target value (regression). */
  readonly target: Float64Array;
  /** 0 for regression, else the number of classes. */
  readonly nClasses: number;
}

const SMALL_NODE = 128;

/**
 * CART (Breiman et al. 1984) on binned features, depth-first, for random forests (Breiman 2001)
 * and extra trees (Geurts et al. 2006). Gini impurity for classification and squared error for
 * regression share one form: with per-output weighted sums S_k, the weighted impurity decrease
 * is Σ_k S_Lk²/W_L + Σ_k S_Rk²/W_R − Σ_k S_k²/W. Large nodes use per-feature histograms, small
 * nodes sort their rows by bin. Missing values (their own bin) try both sides. Leaf values are
 * class proportions or the mean target; `cover` is the node's weight.
 */
export function growCartTree(
  data: CartData,
  weights: Float64Array,
  rowsIn: Int32Array,
  options: CartOptions,
  rng: Random,
): FlatTree {
  return new CartGrower(data, weights, options, rng).grow(rowsIn);
}

interface Pending {
  id: number;
  start: number;
  end: number;
  depth: number;
}

class CartGrower {
  private readonly K: number;
  private readonly S: number; // stride: K sums + weight
  private readonly builder: FlatTreeBuilder;
  private readonly hist: Float64Array;
  private readonly counts: Int32Array;
  private readonly node: Float64Array;
  private readonly leftAcc: Float64Array;
  private readonly missAcc: Float64Array;
  private readonly bestLeft: Float64Array;
  private readonly featureOrder: Int32Array;
  private scratch = new Int32Array(0);
  private localW = new Float64Array(0);
  private localT = new Float64Array(0);
  private keys = new Uint32Array(0);
  private readonly goLeftBin = new Uint8Array(256);

  constructor(
    private readonly data: CartData,
    private readonly weights: Float64Array,
    private readonly options: CartOptions,
    private readonly rng: Random,
  ) {
    this.K = data.nClasses > 0 ? data.nClasses : 1;
    this.S = this.K + 1;
    this.builder = new FlatTreeBuilder(this.K);
    this.hist = new Float64Array(256 * this.S);
    this.counts = new Int32Array(256);
    this.node = new Float64Array(this.S);
    this.leftAcc = new Float64Array(this.S);
    this.missAcc = new Float64Array(this.S);
    this.bestLeft = new Float64Array(this.S);
    this.featureOrder = Int32Array.from({ length: data.bins.columns.length }, (_, j) => j);
  }

  grow(rows: Int32Array): FlatTree {
    this.scratch = new Int32Array(rows.length);
    this.keys = new Uint32Array(rows.length);
    const stack: Pending[] = [];
    const rootId = this.addNode(rows, 0, rows.length);
    stack.push({ id: rootId, start: 0, end: rows.length, depth: 0 });
    while (stack.length > 0) {
      const p = stack.pop()!;
      const split = this.findSplit(rows, p);
      if (!split) continue;
      const mid = this.partition(rows, p.start, p.end, split);
      if (mid === p.start || mid === p.end) continue;
      const leftId = this.addNode(rows, p.start, mid);
      const rightId = this.addNode(rows, mid, p.end);
      this.builder.setSplit(
        p.id,
        {
          feature: split.feature,
          threshold: this.data.mapper.thresholdOf(split.feature, split.bin),
          binThreshold: split.bin,
          missingLeft: split.missingLeft,
          gain: split.gain,
        },
        leftId,
        rightId,
      );
      stack.push({ id: rightId, start: mid, end: p.end, depth: p.depth + 1 });
      stack.push({ id: leftId, start: p.start, end: mid, depth: p.depth + 1 });
    }
    return this.builder.build();
  }

  /** Adds a leaf with the rows' class proportions / mean; leaves node stats in this.node. */
  private addNode(rows: Int32Array, start: number, end: number): number {
    const st = this.node;
    st.fill(0);
    this.accumulate(rows, start, end, st);
    const K = this.K;
    const W = st[K];
    const values = new Float64Array(K);
    for (let k = 0; k < K; k++) values[k] = W > 0 ? st[k] / W : 0;
    return this.builder.addLeaf(values, W);
  }

  private accumulate(rows: Int32Array, start: number, end: number, st: Float64Array): void {
    const { target, nClasses } = this.data;
    const w = this.weights;
    const K = this.K;
    for (let k = start; k < end; k++) {
      const r = rows[k];
      const wr = w[r];
      st[K] += wr;
      if (nClasses > 0) st[target[r]] += wr;
      else st[0] += wr * target[r];
    }
  }

  private findSplit(
    rows: Int32Array,
    p: Pending,
  ): { feature: number; bin: number; missingLeft: boolean; gain: number } | null {
    const o = this.options;
    const n = p.end - p.start;
    if (n < o.minSamplesSplit || n < 2 * o.minSamplesLeaf) return null;
    if (o.maxDepth > 0 && p.depth >= o.maxDepth) return null;
    const K = this.K;
    const st = this.node;
    st.fill(0);
    this.accumulate(rows, p.start, p.end, st);
    const W = st[K];
    if (!(W > 0)) return null;
    let parentScore = 0;
    for (let k = 0; k < K; k++) parentScore += (st[k] * st[k]) / W;
    if (this.isPure(rows, p, st)) return null;

    const order = this.featureOrder;
    const nF = order.length;
    let best: { feature: number; bin: number; missingLeft: boolean; gain: number } | null = null;
    let bestGain = o.minImpurityDecrease > 0 ? o.minImpurityDecrease * W : 1e-12 * W;
    let visitedNonConstant = 0;
    if (!o.extraRandom && n < SMALL_NODE) this.gatherLocal(rows, p);
    // sample features without replacement until maxFeatures non-constant ones were examined
    for (let i = 0; i < nF && visitedNonConstant < o.maxFeatures; i++) {
      const j = i + this.rng.int(nF - i);
      const f = order[j];
      order[j] = order[i];
      order[i] = f;
      const r = o.extraRandom
        ? this.randomSplit(rows, p, f, parentScore)
        : n < SMALL_NODE
          ? this.sortedSplit(rows, p, f, parentScore)
          : this.histogramSplit(rows, p, f, parentScore);
      if (r === null) continue;
      visitedNonConstant++;
      if (r.gain > bestGain) {
        bestGain = r.gain;
        best = { feature: f, bin: r.bin, missingLeft: r.missingLeft, gain: r.gain };
      }
    }
    return best;
  }

  private isPure(rows: Int32Array, p: Pending, st: Float64Array): boolean {
    const K = this.K;
    const W = st[K];
    if (this.data.nClasses > 0) {
      for (let k = 0; k < K; k++) if (st[k] > 0 && st[k] < W * (1 - 1e-12)) return false;
      return true;
    }
    const mean = st[0] / W;
    const t = this.data.target;
    let ss = 0;
    for (let k = p.start; k < p.end; k++) ss += this.weights[rows[k]] * (t[rows[k]] - mean) ** 2;
    return ss <= 1e-14 * Math.max(1, Math.abs(mean)) * W;
  }

  private score(acc: Float64Array, W: number): number {
    const w = acc[this.K];
    const wr = W - w;
    if (w <= 0 || wr <= 0) return Number.NEGATIVE_INFINITY;
    let l = 0;
    let r = 0;
    const st = this.node;
    for (let k = 0; k < this.K; k++) {
      l += acc[k] * acc[k];
      const d = st[k] - acc[k];
      r += d * d;
    }
    return l / w + r / wr;
  }

  /** Returns null when the feature is constant in the node. */
  private histogramSplit(
    rows: Int32Array,
    p: Pending,
    f: number,
    parentScore: number,
  ): { bin: number; missingLeft: boolean; gain: number } | null {
    const { target, nClasses } = this.data;
    const col = this.data.bins.columns[f];
    const w = this.weights;
    const S = this.S;
    const K = this.K;
    const hist = this.hist;
    const counts = this.counts;
    let lo = 255;
    let hi = 0;
    for (let k = p.start; k < p.end; k++) {
      const r = rows[k];
      const b = col[r];
      const wr = w[r];
      const base = b * S;
      hist[base + K] += wr;
      if (nClasses > 0) hist[base + target[r]] += wr;
      else hist[base] += wr * target[r];
      counts[b]++;
      if (b !== MISSING_BIN) {
        if (b < lo) lo = b;
        if (b > hi) hi = b;
      }
    }
    const result = this.scanBins(lo, hi, p.end - p.start, parentScore);
    hist.fill(0, lo * S, (hi + 1) * S);
    hist.fill(0, MISSING_BIN * S, 256 * S);
    counts.fill(0, lo, hi + 1);
    counts[MISSING_BIN] = 0;
    return result;
  }

  private scanBins(
    lo: number,
    hi: number,
    n: number,
    parentScore: number,
  ): { bin: number; missingLeft: boolean; gain: number } | null {
    const S = this.S;
    const hist = this.hist;
    const counts = this.counts;
    const nMiss = counts[MISSING_BIN];
    if (lo > hi) return null; // all missing
    if (lo === hi && nMiss === 0) return null;
    const W = this.node[this.K];
    const minLeaf = this.options.minSamplesLeaf;
    const acc = this.leftAcc;
    let bestGain = Number.NEGATIVE_INFINITY;
    let bestBin = -1;
    let bestMissLeft = false;
    for (let pass = 0; pass < (nMiss > 0 ? 2 : 1); pass++) {
      const missLeft = pass === 1;
      acc.fill(0);
      let nl = 0;
      if (missLeft) {
        for (let s = 0; s < S; s++) acc[s] = hist[MISSING_BIN * S + s];
        nl = nMiss;
      }
      const last = missLeft || nMiss === 0 ? hi - 1 : hi;
      for (let b = lo; b <= last; b++) {
        if (counts[b] === 0) continue;
        const base = b * S;
        for (let s = 0; s < S; s++) acc[s] += hist[base + s];
        nl += counts[b];
        if (nl < minLeaf) continue;
        if (n - nl < minLeaf) break;
        // the split is "bins <= b": make sure the next non-empty bin exists on the right
        const g = this.score(acc, W) - parentScore;
        if (g > bestGain) {
          bestGain = g;
          bestBin = b;
          bestMissLeft = missLeft;
        }
      }
    }
    if (bestBin < 0) return { bin: 0, missingLeft: false, gain: Number.NEGATIVE_INFINITY };
    return { bin: bestBin, missingLeft: bestMissLeft, gain: bestGain };
  }

  /** Gathers the node's weights and targets into local order (once per small node). */
  private gatherLocal(rows: Int32Array, p: Pending): void {
    const n = p.end - p.start;
    if (this.localW.length < n) {
      this.localW = new Float64Array(Math.max(n, SMALL_NODE));
      this.localT = new Float64Array(Math.max(n, SMALL_NODE));
    }
    const { target } = this.data;
    const w = this.weights;
    for (let k = 0; k < n; k++) {
      const r = rows[p.start + k];
      this.localW[k] = w[r];
      this.localT[k] = target[r];
    }
  }

  /**
   * Small nodes: sort (bin, local index) keys instead of clearing a 256-bin histogram, then sweep
   * the boundaries between bins. Weights and targets were gathered by {@link gatherLocal}.
   */
  private sortedSplit(
    rows: Int32Array,
    p: Pending,
    f: number,
    parentScore: number,
  ): { bin: number; missingLeft: boolean; gain: number } | null {
    const n = p.end - p.start;
    const col = this.data.bins.columns[f];
    const keys = this.keys.subarray(0, n);
    for (let k = 0; k < n; k++) keys[k] = (col[rows[p.start + k]] << 16) | k;
    sortSmall(keys);
    const first = keys[0] >>> 16;
    const lastBin = keys[n - 1] >>> 16;
    if (first === lastBin) return null;
    const classification = this.data.nClasses > 0;
    const lw = this.localW;
    const lt = this.localT;
    const K = this.K;
    const S = this.S;
    const W = this.node[K];
    const minLeaf = this.options.minSamplesLeaf;
    // missing rows sort last
    let nNonMiss = n;
    while (nNonMiss > 0 && keys[nNonMiss - 1] >>> 16 === MISSING_BIN) nNonMiss--;
    if (nNonMiss === 0) return null;
    const nMiss = n - nNonMiss;
    const acc = this.leftAcc;
    const acc2 = this.bestLeft;
    acc.fill(0);
    if (nMiss > 0) {
      acc2.fill(0);
      for (let k = nNonMiss; k < n; k++) {
        const j = keys[k] & 0xffff;
        acc2[K] += lw[j];
        if (classification) acc2[lt[j]] += lw[j];
        else acc2[0] += lw[j] * lt[j];
      }
    }
    let bestGain = Number.NEGATIVE_INFINITY;
    let bestBin = -1;
    let bestMissLeft = false;
    for (let k = 0; k < nNonMiss; k++) {
      const key = keys[k];
      const j = key & 0xffff;
      const wj = lw[j];
      acc[K] += wj;
      if (classification) acc[lt[j]] += wj;
      else acc[0] += wj * lt[j];
      const bin = key >>> 16;
      const atEnd = k === nNonMiss - 1;
      if (!atEnd && keys[k + 1] >>> 16 === bin) continue;
      const nl = k + 1;
      // missing right (also the non-missing | missing split at the end)
      if (nl >= minLeaf && n - nl >= minLeaf && !(atEnd && nMiss === 0)) {
        const g = this.score(acc, W) - parentScore;
        if (g > bestGain) {
          bestGain = g;
          bestBin = bin;
          bestMissLeft = false;
        }
      }
      if (nMiss > 0 && !atEnd && nl + nMiss >= minLeaf && n - nl - nMiss >= minLeaf) {
        for (let s = 0; s < S; s++) this.missAcc[s] = acc[s] + acc2[s];
        const g = this.score(this.missAcc, W) - parentScore;
        if (g > bestGain) {
          bestGain = g;
          bestBin = bin;
          bestMissLeft = true;
        }
      }
    }
    if (bestBin < 0) return { bin: 0, missingLeft: false, gain: Number.NEGATIVE_INFINITY };
    return { bin: bestBin, missingLeft: bestMissLeft, gain: bestGain };
  }

  /** Extra trees: a uniformly drawn threshold between the node's smallest and largest bin. */
  private randomSplit(
    rows: Int32Array,
    p: Pending,
    f: number,
    parentScore: number,
  ): { bin: number; missingLeft: boolean; gain: number } | null {
    const col = this.data.bins.columns[f];
    let lo = 255;
    let hi = 0;
    let nMiss = 0;
    for (let k = p.start; k < p.end; k++) {
      const b = col[rows[k]];
      if (b === MISSING_BIN) nMiss++;
      else {
        if (b < lo) lo = b;
        if (b > hi) hi = b;
      }
    }
    if (lo > hi || (lo === hi && nMiss === 0)) return null;
    const missingLeft = nMiss > 0 && this.rng.next() < 0.5;
    const bin = lo === hi ? hi : lo + this.rng.int(hi - lo);
    const { target, nClasses } = this.data;
    const w = this.weights;
    const K = this.K;
    const acc = this.leftAcc;
    acc.fill(0);
    let nl = 0;
    for (let k = p.start; k < p.end; k++) {
      const r = rows[k];
      const b = col[r];
      if (b === MISSING_BIN ? missingLeft : b <= bin) {
        const wr = w[r];
        acc[K] += wr;
        if (nClasses > 0) acc[target[r]] += wr;
        else acc[0] += wr * target[r];
        nl++;
      }
    }
    const n = p.end - p.start;
    if (nl < this.options.minSamplesLeaf || n - nl < this.options.minSamplesLeaf) {
      return { bin, missingLeft, gain: Number.NEGATIVE_INFINITY };
    }
    return { bin, missingLeft, gain: this.score(acc, this.node[K]) - parentScore };
  }

  private partition(
    rows: Int32Array,
    start: number,
    end: number,
    split: { feature: number; bin: number; missingLeft: boolean },
  ): number {
    const col = this.data.bins.columns[split.feature];
    const lut = this.goLeftBin;
    for (let b = 0; b < 256; b++) lut[b] = b <= split.bin ? 1 : 0;
    lut[MISSING_BIN] = split.missingLeft ? 1 : 0;
    const scratch = this.scratch;
    let nl = start;
    let nr = 0;
    for (let k = start; k < end; k++) {
      const r = rows[k];
      if (lut[col[r]] === 1) rows[nl++] = r;
      else scratch[nr++] = r;
    }
    rows.set(scratch.subarray(0, nr), nl);
    return nl;
  }
}

/** Insertion sort for the short key arrays of small nodes (cheaper than a native sort call). */
function sortSmall(keys: Uint32Array): void {
  const n = keys.length;
  if (n > 48) {
    keys.sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const v = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > v) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = v;
  }
}
