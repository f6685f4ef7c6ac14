import { BIN_SLOTS, MISSING_BIN, type BinMapper, type BinnedData } from './binning';
import { FlatTreeBuilder, type FlatTree } from './flat-tree';
import {
  accumulateHistogram,
  HIST_FEATURE_SPAN,
  HIST_STRIDE,
  type HistogramHelper,
} from './hist-kernel';

const STRIDE = HIST_STRIDE;
const FEATURE_SPAN = HIST_FEATURE_SPAN;
/** Below this many row × feature updates a second thread costs more than it saves. */
const PARALLEL_MIN_WORK = 100_000;

export interface HistGrowerOptions {
  /** Maximum leaves per tree (leaf-wise growth); 0 = unlimited (then maxDepth bounds it). */
  readonly maxLeaves: number;
  /** Maximum depth (root = 0); 0 = unlimited. */
  readonly maxDepth: number;
  readonly minSamplesLeaf: number;
  readonly minHessianLeaf: number;
  /** L2 regularisation λ on leaf values. */
  readonly l2: number;
  readonly minGainToSplit: number;
  /** Smoothing added to the hessian when ordering categories by gradient/hessian. */
  readonly catSmooth: number;
}

interface SplitInfo {
  feature: number;
  bin: number;
  missingLeft: boolean;
  gain: number;
  gl: number;
  hl: number;
  nl: number;
  /** For categorical splits: the bins that go left. */
  leftCats: Int32Array | null;
}

interface GrowNode {
  id: number;
  start: number;
  end: number;
  depth: number;
  g: number;
  h: number;
  hist: Float64Array | null;
  split: SplitInfo | null;
}

export interface GrownTree {
  readonly tree: FlatTree;
  /** Rows of the sample reordered so each leaf's rows are contiguous. */
  readonly rows: Int32Array;
  /** Per leaf: flat node id, start, end (into rows). */
  readonly leafNodes: Int32Array;
  readonly leafStarts: Int32Array;
  readonly leafEnds: Int32Array;
}

/**
 * Gradient-histogram tree grower (Ke et al., "LightGBM", NeurIPS 2017; scikit-learn
 * `_hist_gradient_boosting/grower.py`, `splitting.pyx`, `histogram.pyx`): per node and feature a
 * histogram of [Σg, Σh, count] per bin built over the node's rows with gradients gathered into
 * row order; the larger child's histogram is parent − smaller child (subtraction trick); rows
 * are partitioned in place so each leaf is a contiguous slice; best-first (leaf-wise) growth up
 * to maxLeaves / maxDepth. Leaf value −G/(H+λ), gain G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ).
 * Missing values try both sides; categorical features are split on categories sorted by
 * G/(H + smoothing) (LightGBM `feature_histogram.hpp`, Fisher 1958).
 */
export class HistGrower {
  private readonly nFeatures: number;
  private readonly pool: Float64Array[] = [];
  private orderedG: Float64Array;
  private orderedH: Float64Array;
  private scratch: Int32Array;
  private readonly columns: readonly Uint8Array[];
  private readonly usedSpan: Int32Array;
  /** Per bin: 1 when the current split sends it left (partition lookup table). */
  private readonly goLeft = new Uint8Array(BIN_SLOTS);
  /** Every row's hessian equals this (> 0), or 0 when hessians vary; set per `grow`. */
  private constHessian = 0;

  /**
   * With a `helper`, large histograms are built half here and half in its thread; rows passed to
   * `grow` must then be (a prefix of) `helper.rows`.
   */
  constructor(
    private readonly bins: BinnedData,
    private readonly mapper: BinMapper,
    private readonly options: HistGrowerOptions,
    private readonly helper?: HistogramHelper,
  ) {
    this.nFeatures = bins.columns.length;
    this.orderedG = helper?.orderedG ?? new Float64Array(bins.nRows);
    this.orderedH = helper?.orderedH ?? new Float64Array(bins.nRows);
    this.scratch = new Int32Array(bins.nRows);
    // histogram slots actually used per feature (non-missing bins; categorical codes are capped)
    this.usedSpan = Int32Array.from(
      mapper.features,
      (spec) => Math.min(spec.nBins, MISSING_BIN) * STRIDE,
    );
    this.columns = helper?.columns ?? bins.columns;
  }

  /**
   * Grows one tree on `rows` (indices into the binned data; reordered in place) with per-row
   * gradients and hessians `g`, `h` (indexed by row). `features` lists the usable features.
   * `constHessian` > 0 promises that every h[r] equals it (squared error without weights: 1), so
   * hessian sums are counts × constant and are never accumulated row by row.
   */
  grow(
    rows: Int32Array,
    g: Float64Array,
    h: Float64Array,
    features: Int32Array,
    constHessian = 0,
  ): GrownTree {
    const o = this.options;
    const builder = new FlatTreeBuilder(1);
    this.constHessian = constHessian;
    let G = 0;
    let H = 0;
    let identity = true;
    if (constHessian > 0) {
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k];
        G += g[r];
        if (r !== k) identity = false;
      }
      H = rows.length * constHessian;
    } else {
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k];
        G += g[r];
        H += h[r];
        if (r !== k) identity = false;
      }
    }
    const root: GrowNode = {
      id: builder.addLeaf([-G / (H + o.l2)], H),
      start: 0,
      end: rows.length,
      depth: 0,
      g: G,
      h: H,
      hist: null,
      split: null,
    };
    const open: GrowNode[] = [];
    const leaves: GrowNode[] = [];
    if (this.canSplit(root)) {
      root.hist = this.take();
      this.buildHistogram(root.hist, rows, 0, rows.length, g, h, features, identity);
      root.split = this.findBestSplit(root, features);
    }
    if (root.split) open.push(root);
    else leaves.push(root);
    let nLeaves = 1;
    const maxLeaves = o.maxLeaves > 0 ? o.maxLeaves : Number.POSITIVE_INFINITY;
    while (open.length > 0 && nLeaves < maxLeaves) {
      let best = 0;
      for (let i = 1; i < open.length; i++) {
        if (open[i].split!.gain > open[best].split!.gain) best = i;
      }
      const node = open[best];
      open[best] = open[open.length - 1];
      open.pop();
      const split = node.split!;
      const mid = this.partition(rows, node.start, node.end, split);
      const gl = split.gl;
      const hl = split.hl;
      const gr = node.g - gl;
      const hr = node.h - hl;
      const leftId = builder.addLeaf([-gl / (hl + o.l2)], hl);
      const rightId = builder.addLeaf([-gr / (hr + o.l2)], hr);
      builder.setSplit(
        node.id,
        {
          feature: split.feature,
          threshold: split.leftCats ? 0 : this.mapper.thresholdOf(split.feature, split.bin),
          binThreshold: split.bin,
          missingLeft: split.missingLeft,
          gain: split.gain,
          leftCategories: split.leftCats ?? undefined,
        },
        leftId,
        rightId,
      );
      nLeaves++;
      const left: GrowNode = {
        id: leftId,
        start: node.start,
        end: mid,
        depth: node.depth + 1,
        g: gl,
        h: hl,
        hist: null,
        split: null,
      };
      const right: GrowNode = {
        id: rightId,
        start: mid,
        end: node.end,
        depth: node.depth + 1,
        g: gr,
        h: hr,
        hist: null,
        split: null,
      };
      const parentHist = node.hist!;
      node.hist = null;
      const splitL = this.canSplit(left);
      const splitR = this.canSplit(right);
      if ((splitL || splitR) && nLeaves < maxLeaves) {
        const leftSmaller = mid - node.start <= node.end - mid;
        const small = leftSmaller ? left : right;
        const large = leftSmaller ? right : left;
        small.hist = this.take();
        this.buildHistogram(small.hist, rows, small.start, small.end, g, h, features, false);
        subtractInto(parentHist, small.hist, features, this.usedSpan);
        large.hist = parentHist;
        if (splitL) left.split = this.findBestSplit(left, features);
        if (splitR) right.split = this.findBestSplit(right, features);
      } else {
        this.release(parentHist);
      }
      for (const child of [left, right]) {
        if (child.split) open.push(child);
        else {
          if (child.hist) this.release(child.hist);
          child.hist = null;
          leaves.push(child);
        }
      }
    }
    for (const node of open) {
      if (node.hist) this.release(node.hist);
      node.hist = null;
      leaves.push(node);
    }
    const leafNodes = new Int32Array(leaves.length);
    const leafStarts = new Int32Array(leaves.length);
    const leafEnds = new Int32Array(leaves.length);
    leaves.forEach((leaf, i) => {
      leafNodes[i] = leaf.id;
      leafStarts[i] = leaf.start;
      leafEnds[i] = leaf.end;
    });
    return { tree: builder.build(), rows, leafNodes, leafStarts, leafEnds };
  }

  private canSplit(node: GrowNode): boolean {
    const o = this.options;
    if (o.maxDepth > 0 && node.depth >= o.maxDepth) return false;
    if (node.end - node.start < 2 * Math.max(1, o.minSamplesLeaf)) return false;
    if (node.h < 2 * o.minHessianLeaf) return false;
    return true;
  }

  private take(): Float64Array {
    return this.pool.pop() ?? new Float64Array(this.nFeatures * FEATURE_SPAN);
  }

  private release(hist: Float64Array): void {
    this.pool.push(hist);
  }

  private buildHistogram(
    hist: Float64Array,
    rows: Int32Array,
    start: number,
    end: number,
    g: Float64Array,
    h: Float64Array,
    features: Int32Array,
    identity: boolean,
  ): void {
    const n = end - start;
    const m = features.length;
    const helper = this.helper;
    const c = this.constHessian;
    const parallel = helper !== undefined && n * m >= PARALLEL_MIN_WORK && m >= 2;
    let og = g;
    let oh = h;
    if (parallel || !identity) {
      // gather the node's gradients into row order once (LightGBM's ordered gradients): every
      // feature's pass then reads them sequentially; the worker thread reads them from shared
      // memory. Constant hessians are not gathered at all.
      og = this.orderedG;
      oh = this.orderedH;
      if (identity) {
        og.set(g.subarray(0, n));
        if (c === 0) oh.set(h.subarray(0, n));
      } else if (c > 0) {
        for (let k = 0; k < n; k++) og[k] = g[rows[start + k]];
      } else {
        for (let k = 0; k < n; k++) {
          const r = rows[start + k];
          og[k] = g[r];
          oh[k] = h[r];
        }
      }
    }
    if (parallel) {
      const half = m >> 1;
      helper.begin(start, n, features, half, m, c, identity);
      accumulateHistogram(
        hist,
        this.columns,
        rows,
        start,
        n,
        og,
        oh,
        c,
        identity,
        features,
        0,
        half,
        this.usedSpan,
      );
      helper.finishInto(hist);
    } else {
      accumulateHistogram(
        hist,
        this.columns,
        rows,
        start,
        n,
        og,
        oh,
        c,
        identity,
        features,
        0,
        m,
        this.usedSpan,
      );
    }
  }

  private findBestSplit(node: GrowNode, features: Int32Array): SplitInfo | null {
    const o = this.options;
    const hist = node.hist!;
    const G = node.g;
    const H = node.h;
    const N = node.end - node.start;
    const l2 = o.l2;
    const minLeaf = Math.max(1, o.minSamplesLeaf);
    const minHess = o.minHessianLeaf;
    const parent = (G * G) / (H + l2);
    let best: SplitInfo | null = null;
    let bestGain = o.minGainToSplit;
    for (let fi = 0; fi < features.length; fi++) {
      const f = features[fi];
      const spec = this.mapper.features[f];
      const base = f * FEATURE_SPAN;
      const mIdx = base + MISSING_BIN * STRIDE;
      const gm = hist[mIdx];
      const hm = hist[mIdx + 1];
      const nm = hist[mIdx + 2];
      if (spec.categorical) {
        const split = this.categoricalSplit(hist, base, spec.nBins, G, H, N, gm, hm, nm, parent);
        if (split && split.gain > bestGain) {
          bestGain = split.gain;
          split.feature = f;
          best = split;
        }
        continue;
      }
      const nb = spec.nBins;
      // missing values to the right: bins 0..b go left; b may reach nb-1 (non-missing | missing)
      const lastB = nm > 0 ? nb - 1 : nb - 2;
      for (let pass = 0; pass < (nm > 0 ? 2 : 1); pass++) {
        const missLeft = pass === 1;
        let gl = missLeft ? gm : 0;
        let hl = missLeft ? hm : 0;
        let nl = missLeft ? nm : 0;
        const last = missLeft ? nb - 2 : lastB;
        for (let b = 0; b <= last; b++) {
          const idx = base + b * STRIDE;
          gl += hist[idx];
          hl += hist[idx + 1];
          nl += hist[idx + 2];
          if (nl < minLeaf || hl < minHess) continue;
          const nr = N - nl;
          const hr = H - hl;
          if (nr < minLeaf || hr < minHess) break;
          const gr = G - gl;
          const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parent;
          if (gain > bestGain) {
            bestGain = gain;
            best = { feature: f, bin: b, missingLeft: missLeft, gain, gl, hl, nl, leftCats: null };
          }
        }
      }
    }
    return best;
  }

  private categoricalSplit(
    hist: Float64Array,
    base: number,
    nb: number,
    G: number,
    H: number,
    N: number,
    gm: number,
    hm: number,
    nm: number,
    parent: number,
  ): SplitInfo | null {
    const o = this.options;
    const l2 = o.l2;
    const minLeaf = Math.max(1, o.minSamplesLeaf);
    const minHess = o.minHessianLeaf;
    const cats: number[] = [];
    for (let b = 0; b < nb; b++) if (hist[base + b * STRIDE + 2] > 0) cats.push(b);
    if (cats.length + (nm > 0 ? 1 : 0) < 2) return null;
    const ratio = (b: number): number =>
      hist[base + b * STRIDE] / (hist[base + b * STRIDE + 1] + o.catSmooth);
    cats.sort((a, b) => ratio(a) - ratio(b));
    let best: SplitInfo | null = null;
    let bestGain = -Infinity;
    let bestPrefix = 0;
    for (let pass = 0; pass < (nm > 0 ? 2 : 1); pass++) {
      const missLeft = pass === 1;
      let gl = missLeft ? gm : 0;
      let hl = missLeft ? hm : 0;
      let nl = missLeft ? nm : 0;
      const last = nm > 0 && !missLeft ? cats.length : cats.length - 1;
      for (let i = 0; i < last; i++) {
        const idx = base + cats[i] * STRIDE;
        gl += hist[idx];
        hl += hist[idx + 1];
        nl += hist[idx + 2];
        if (nl < minLeaf || hl < minHess) continue;
        const nr = N - nl;
        const hr = H - hl;
        if (nr < minLeaf || hr < minHess) break;
        const gr = G - gl;
        const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parent;
        if (gain > bestGain) {
          bestGain = gain;
          bestPrefix = i + 1;
          best = { feature: -1, bin: 0, missingLeft: missLeft, gain, gl, hl, nl, leftCats: null };
        }
      }
    }
    if (best) best.leftCats = Int32Array.from(cats.slice(0, bestPrefix));
    return best;
  }

  /**
   * Stable in-place partition of rows[start, end) by the split; returns the first right index.
   * Branch-free: a 256-entry lookup table says which bins go left, and every row is written to
   * both the left cursor (in place) and the right scratch cursor, only the cursors advancing by
   * the lookup. Splits send rows left or right unpredictably, so the branchy version paid a
   * mispredicted branch for about every other row.
   */
  private partition(rows: Int32Array, start: number, end: number, split: SplitInfo): number {
    const col = this.columns[split.feature];
    const scratch = this.scratch;
    const lut = this.goLeft;
    if (split.leftCats) {
      lut.fill(0);
      for (let i = 0; i < split.leftCats.length; i++) lut[split.leftCats[i]] = 1;
    } else {
      const t = split.bin;
      lut.fill(1, 0, t + 1);
      lut.fill(0, t + 1);
    }
    lut[MISSING_BIN] = split.missingLeft ? 1 : 0;
    let nl = start;
    let nr = 0;
    for (let k = start; k < end; k++) {
      const r = rows[k];
      const l = lut[col[r]];
      // nl <= k: the in-place write never overtakes the read
      rows[nl] = r;
      scratch[nr] = r;
      nl += l;
      nr += 1 - l;
    }
    rows.set(scratch.subarray(0, nr), nl);
    return nl;
  }
}

function subtractInto(
  parent: Float64Array,
  child: Float64Array,
  features: Int32Array,
  used: Int32Array,
): void {
  for (let fi = 0; fi < features.length; fi++) {
    const f = features[fi];
    const base = f * FEATURE_SPAN;
    const end = base + used[f];
    for (let i = base; i < end; i++) parent[i] -= child[i];
    const m = base + MISSING_BIN * STRIDE;
    parent[m] -= child[m];
    parent[m + 1] -= child[m + 1];
    parent[m + 2] -= child[m + 2];
  }
}
