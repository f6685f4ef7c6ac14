import { BIN_SLOTS, MISSING_BIN } from './binning';

export const HIST_STRIDE = 3; // [sum gradient, sum hessian, count] per bin
export const HIST_FEATURE_SPAN = BIN_SLOTS * HIST_STRIDE;

/**
 * Zeroes, then accumulates the histograms of `features[from..to)` over rows[start, start + n),
 * with gradients `g`, `h` either gathered into row order (`gathered`: g[k] for rows[start + k])
 * or indexed by row (g[rows[start + k]]). Row-wise over a row-major copy of
 * the bins (LightGBM's multi-value bin layout): one gradient load per row, each row's bins
 * contiguous. Shared by the grower and the histogram worker thread.
 */
export function accumulateHistogram(
  hist: Float64Array,
  rowMajor: Uint8Array,
  p: number,
  rows: Int32Array,
  start: number,
  n: number,
  g: Float64Array,
  h: Float64Array,
  gathered: boolean,
  features: Int32Array,
  from: number,
  to: number,
  usedSpan: Int32Array,
): void {
  let contiguous = true;
  for (let fi = from; fi < to; fi++) {
    const f = features[fi];
    const base = f * HIST_FEATURE_SPAN;
    hist.fill(0, base, base + usedSpan[f]);
    hist.fill(0, base + MISSING_BIN * HIST_STRIDE, base + HIST_FEATURE_SPAN);
    if (fi > from && f !== features[fi - 1] + 1) contiguous = false;
  }
  if (to <= from) return;
  if (contiguous) {
    const f0 = features[from];
    const f1 = features[to - 1] + 1;
    const o0 = f0 * HIST_FEATURE_SPAN;
    for (let k = 0; k < n; k++) {
      const r = rows[start + k];
      const gi = gathered ? g[k] : g[r];
      const hi = gathered ? h[k] : h[r];
      let b = r * p + f0;
      for (let f = f0, o = o0; f < f1; f++, o += HIST_FEATURE_SPAN) {
        const idx = o + rowMajor[b++] * HIST_STRIDE;
        hist[idx] += gi;
        hist[idx + 1] += hi;
        hist[idx + 2] += 1;
      }
    }
    return;
  }
  for (let k = 0; k < n; k++) {
    const r = rows[start + k];
    const gi = gathered ? g[k] : g[r];
    const hi = gathered ? h[k] : h[r];
    const b = r * p;
    for (let fi = from; fi < to; fi++) {
      const f = features[fi];
      const idx = f * HIST_FEATURE_SPAN + rowMajor[b + f] * HIST_STRIDE;
      hist[idx] += gi;
      hist[idx + 1] += hi;
      hist[idx + 2] += 1;
    }
  }
}

/** Row-major copy of column-major bins, optionally over a SharedArrayBuffer. */
export function rowMajorBins(
  columns: readonly Uint8Array[],
  nRows: number,
  shared = false,
): Uint8Array {
  const p = columns.length;
  const out = new Uint8Array(
    shared ? new SharedArrayBuffer(nRows * p) : new ArrayBuffer(nRows * p),
  );
  for (let f = 0; f < p; f++) {
    const col = columns[f];
    for (let i = 0, o = f; i < nRows; i++, o += p) out[o] = col[i];
  }
  return out;
}

/**
 * A second thread that builds part of a histogram (see `src/ml/parallel/hist-helper.ts`).
 * `begin` starts it on features[from..to) of the node; `finishInto` waits and copies them in.
 */
export interface HistogramHelper {
  readonly rows: Int32Array;
  readonly orderedG: Float64Array;
  readonly orderedH: Float64Array;
  readonly rowMajor: Uint8Array;
  begin(start: number, n: number, features: Int32Array, from: number, to: number): void;
  finishInto(hist: Float64Array): void;
}
