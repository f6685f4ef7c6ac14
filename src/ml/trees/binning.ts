import type { DataMatrix } from '../core/matrix';
import { Random } from '../core/random';

/** Every feature's histogram has this many slots; the last one holds missing values. */
export const BIN_SLOTS = 256;
export const MISSING_BIN = 255;
/** At most this many bins for non-missing values. */
export const MAX_BINS = 255;

export interface FeatureBins {
  readonly categorical: boolean;
  /** Non-missing bins in use (values 0..nBins-1); MISSING_BIN holds NaN / code -1. */
  readonly nBins: number;
  /**
   * Numeric features: upper edges, value x falls in the first bin b with x <= thresholds[b]
   * (length nBins - 1; the last bin is open). Categorical features: empty, bin = code
   * (codes >= MAX_BINS - 1 share the last bin).
   */
  readonly thresholds: Float64Array;
}

export interface BinnedData {
  readonly nRows: number;
  /** One Uint8Array per feature (column-major), possibly over a SharedArrayBuffer. */
  readonly columns: Uint8Array[];
}

/**
 * Quantile binning as in LightGBM (`src/io/bin.cpp`) and scikit-learn's
 * `_hist_gradient_boosting/binning.py`: at most 255 bins per feature from the quantiles of a
 * sample of at most 200,000 rows; when a feature has few distinct values each gets its own bin
 * (thresholds at midpoints). Missing values go to a dedicated bin.
 */
export class BinMapper {
  constructor(readonly features: readonly FeatureBins[]) {}

  static fit(
    x: DataMatrix,
    options: { maxBins?: number; sampleSize?: number; seed?: number } = {},
  ): BinMapper {
    const maxBins = Math.min(options.maxBins ?? MAX_BINS, MAX_BINS);
    const sampleSize = options.sampleSize ?? 200_000;
    let sample: Int32Array | undefined;
    if (x.nRows > sampleSize) {
      const rng = new Random(options.seed ?? 0);
      const all = new Int32Array(x.nRows);
      for (let i = 0; i < all.length; i++) all[i] = i;
      // partial Fisher–Yates: the first sampleSize entries are a uniform sample
      for (let i = 0; i < sampleSize; i++) {
        const j = i + rng.int(all.length - i);
        const t = all[i];
        all[i] = all[j];
        all[j] = t;
      }
      sample = all.slice(0, sampleSize).sort();
    }
    const features = x.columns.map((column): FeatureBins => {
      if (column.kind === 'categorical') {
        return {
          categorical: true,
          nBins: Math.max(1, Math.min(column.levels.length, maxBins)),
          thresholds: new Float64Array(0),
        };
      }
      const src = column.values;
      const n = sample ? sample.length : src.length;
      const values = new Float64Array(n);
      let m = 0;
      for (let k = 0; k < n; k++) {
        const v = src[sample ? sample[k] : k];
        if (v === v) values[m++] = v;
      }
      const sorted = values.subarray(0, m).sort();
      return { categorical: false, ...numericThresholds(sorted, maxBins) };
    });
    return new BinMapper(features);
  }

  get nFeatures(): number {
    return this.features.length;
  }

  /** Bins every column; with `shared`, over SharedArrayBuffers so workers can read them. */
  transform(x: DataMatrix, shared = false): BinnedData {
    const n = x.nRows;
    const columns = x.columns.map((column, j) => {
      const out = new Uint8Array(shared ? new SharedArrayBuffer(n) : new ArrayBuffer(n));
      const spec = this.features[j];
      if (column.kind === 'categorical') {
        const last = spec.nBins - 1;
        const codes = column.codes;
        for (let i = 0; i < n; i++) {
          const c = codes[i];
          out[i] = c < 0 ? MISSING_BIN : c > last ? last : c;
        }
      } else {
        binNumeric(column.values, spec.thresholds, out);
      }
      return out;
    });
    return { nRows: n, columns };
  }

  /** The real-valued threshold for "bin <= b goes left" on a numeric feature. */
  thresholdOf(feature: number, bin: number): number {
    const t = this.features[feature].thresholds;
    return bin < t.length ? t[bin] : Number.POSITIVE_INFINITY;
  }
}

function numericThresholds(
  sorted: Float64Array,
  maxBins: number,
): { nBins: number; thresholds: Float64Array } {
  const m = sorted.length;
  if (m === 0) return { nBins: 1, thresholds: new Float64Array(0) };
  let nDistinct = 1;
  for (let i = 1; i < m && nDistinct <= maxBins; i++) if (sorted[i] !== sorted[i - 1]) nDistinct++;
  if (nDistinct <= maxBins) {
    const distinct: number[] = [];
    for (let i = 0; i < m; i++)
      if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
    const t = new Float64Array(distinct.length - 1);
    for (let i = 0; i < t.length; i++) t[i] = (distinct[i] + distinct[i + 1]) / 2;
    return { nBins: distinct.length, thresholds: t };
  }
  // percentiles at linspace(0, 100, maxBins + 1)[1:-1], 'midpoint' interpolation (as sklearn)
  const out: number[] = [];
  for (let q = 1; q < maxBins; q++) {
    const pos = (q / maxBins) * (m - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    const v = (sorted[lo] + sorted[hi]) / 2;
    if (out.length === 0 || v > out[out.length - 1]) out.push(v);
  }
  return { nBins: out.length + 1, thresholds: Float64Array.from(out) };
}

/**
 * bin = number of thresholds below v (= the first b with v <= thresholds[b]). Branch-free
 * binary search over the thresholds padded with +∞ to 255 entries: always 8 steps, each adding
 * `step` when the probe is below v, so random values cost no mispredicted branches (the
 * early-exit search mispredicted about half its steps).
 */
function binNumeric(values: Float64Array, thresholds: Float64Array, out: Uint8Array): void {
  const padded = new Float64Array(255).fill(Number.POSITIVE_INFINITY);
  padded.set(thresholds.subarray(0, 255));
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) {
      out[i] = MISSING_BIN;
      continue;
    }
    let lo = 0;
    lo += +(padded[lo + 127] < v) * 128;
    lo += +(padded[lo + 63] < v) * 64;
    lo += +(padded[lo + 31] < v) * 32;
    lo += +(padded[lo + 15] < v) * 16;
    lo += +(padded[lo + 7] < v) * 8;
    lo += +(padded[lo + 3] < v) * 4;
    lo += +(padded[lo + 1] < v) * 2;
    lo += +(padded[lo] < v);
    out[i] = lo;
  }
}
