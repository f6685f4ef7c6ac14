import { BIN_SLOTS, MISSING_BIN } from './binning';

export const HIST_STRIDE = 3; // [sum gradient, sum hessian, count] per bin
export const HIST_FEATURE_SPAN = BIN_SLOTS * HIST_STRIDE;

/**
 * Zeroes, then accumulates the histograms of `features[from..to)` over rows[start, start + n).
 * Gradients are ordered (LightGBM's "ordered gradients", sklearn's `ordered_gradients`):
 * `g[k]` belongs to row `rows[start + k]`, so the inner loop reads them sequentially. With
 * `identity` the node's rows are 0..n-1 in order (the root without subsampling) and the bin
 * column is read sequentially too.
 *
 * Feature by feature over column-major bins (sklearn `histogram.pyx`): one feature's histogram
 * (256 × 3 doubles = 6 KB) stays in L1 cache while all the node's rows are added to it; the
 * row-wise alternative scatters every row into all 20 features' histograms (120 KB, L2) and was
 * 2–3× slower here. `constHessian > 0` means every row's hessian is that constant (squared error
 * without weights): the hessian sums are then count × constant, filled in per bin after the loop
 * instead of added per row (sklearn's `_build_histogram_no_hessian`; exact, as counts are
 * integers). Shared by the grower and the histogram worker thread.
 */
export function accumulateHistogram(
  hist: Float64Array,
  columns: readonly Uint8Array[],
  rows: Int32Array,
  start: number,
  n: number,
  g: Float64Array,
  h: Float64Array,
  constHessian: number,
  identity: boolean,
  features: Int32Array,
  from: number,
  to: number,
  usedSpan: Int32Array,
): void {
  for (let fi = from; fi < to; fi++) {
    const f = features[fi];
    const base = f * HIST_FEATURE_SPAN;
    const usedEnd = base + usedSpan[f];
    const missing = base + MISSING_BIN * HIST_STRIDE;
    hist.fill(0, base, usedEnd);
    hist.fill(0, missing, base + HIST_FEATURE_SPAN);
    const col = columns[f];
    // one small monomorphic loop per case: V8 optimises these far better than one large
    // function with every variant inlined (measured ~1.5× on the same data)
    if (constHessian > 0) {
      if (identity) addConstSequential(hist, base, col, n, g);
      else addConstGathered(hist, base, col, rows, start, n, g);
      for (let idx = base; idx < usedEnd; idx += HIST_STRIDE) {
        hist[idx + 1] = hist[idx + 2] * constHessian;
      }
      hist[missing + 1] = hist[missing + 2] * constHessian;
    } else if (identity) addSequential(hist, base, col, n, g, h);
    else addGathered(hist, base, col, rows, start, n, g, h);
  }
}

function addConstSequential(
  hist: Float64Array,
  base: number,
  col: Uint8Array,
  n: number,
  g: Float64Array,
): void {
  let k = 0;
  // two rows per iteration: both bins' loads issue before either store (~15% faster); rows
  // sharing a bin still add in row order, so sums are unchanged
  for (; k + 1 < n; k += 2) {
    const i = base + col[k] * 3;
    const j = base + col[k + 1] * 3;
    const gi = g[k];
    const gj = g[k + 1];
    hist[i] += gi;
    hist[i + 2] += 1;
    hist[j] += gj;
    hist[j + 2] += 1;
  }
  for (; k < n; k++) {
    const idx = base + col[k] * 3;
    hist[idx] += g[k];
    hist[idx + 2] += 1;
  }
}

function addConstGathered(
  hist: Float64Array,
  base: number,
  col: Uint8Array,
  rows: Int32Array,
  start: number,
  n: number,
  g: Float64Array,
): void {
  let k = 0;
  for (; k + 1 < n; k += 2) {
    const i = base + col[rows[start + k]] * 3;
    const j = base + col[rows[start + k + 1]] * 3;
    const gi = g[k];
    const gj = g[k + 1];
    hist[i] += gi;
    hist[i + 2] += 1;
    hist[j] += gj;
    hist[j + 2] += 1;
  }
  for (; k < n; k++) {
    const idx = base + col[rows[start + k]] * 3;
    hist[idx] += g[k];
    hist[idx + 2] += 1;
  }
}

function addSequential(
  hist: Float64Array,
  base: number,
  col: Uint8Array,
  n: number,
  g: Float64Array,
  h: Float64Array,
): void {
  let k = 0;
  for (; k + 1 < n; k += 2) {
    const i = base + col[k] * 3;
    const j = base + col[k + 1] * 3;
    const gi = g[k];
    const hi = h[k];
    const gj = g[k + 1];
    const hj = h[k + 1];
    hist[i] += gi;
    hist[i + 1] += hi;
    hist[i + 2] += 1;
    hist[j] += gj;
    hist[j + 1] += hj;
    hist[j + 2] += 1;
  }
  for (; k < n; k++) {
    const idx = base + col[k] * 3;
    hist[idx] += g[k];
    hist[idx + 1] += h[k];
    hist[idx + 2] += 1;
  }
}

function addGathered(
  hist: Float64Array,
  base: number,
  col: Uint8Array,
  rows: Int32Array,
  start: number,
  n: number,
  g: Float64Array,
  h: Float64Array,
): void {
  let k = 0;
  for (; k + 1 < n; k += 2) {
    const i = base + col[rows[start + k]] * 3;
    const j = base + col[rows[start + k + 1]] * 3;
    const gi = g[k];
    const hi = h[k];
    const gj = g[k + 1];
    const hj = h[k + 1];
    hist[i] += gi;
    hist[i + 1] += hi;
    hist[i + 2] += 1;
    hist[j] += gj;
    hist[j + 1] += hj;
    hist[j + 2] += 1;
  }
  for (; k < n; k++) {
    const idx = base + col[rows[start + k]] * 3;
    hist[idx] += g[k];
    hist[idx + 1] += h[k];
    hist[idx + 2] += 1;
  }
}

/** Copies bin columns into SharedArrayBuffers (unless they already are) for a worker thread. */
export function sharedColumns(columns: readonly Uint8Array[]): Uint8Array[] {
  return columns.map((col) => {
    if (col.buffer instanceof SharedArrayBuffer) return col;
    const out = new Uint8Array(new SharedArrayBuffer(Math.max(1, col.length)), 0, col.length);
    out.set(col);
    return out;
  });
}

/**
 * A second thread that builds part of a histogram (see `src/ml/parallel/hist-helper.ts`).
 * `begin` starts it on features[from..to) of the node, whose gradients the caller has gathered
 * into the shared `orderedG` / `orderedH` (hessians only when not constant); `finishInto` waits
 * and copies those features' histograms in.
 */
export interface HistogramHelper {
  readonly rows: Int32Array;
  readonly orderedG: Float64Array;
  readonly orderedH: Float64Array;
  readonly columns: readonly Uint8Array[];
  begin(
    start: number,
    n: number,
    features: Int32Array,
    from: number,
    to: number,
    constHessian: number,
    identity: boolean,
  ): void;
  finishInto(hist: Float64Array): void;
}
