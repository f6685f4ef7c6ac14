import type { Column, DataMatrix } from '../core/matrix';
import { MISSING_CODE } from '../core/matrix';
import {
  linspace,
  quantileSorted,
  searchSorted,
  sortedFinite,
  uniqueSorted,
} from '../core/quantile';

/**
 * Compact summary of a training column, stored with a fitted model so that drift can later be
 * measured without the training data ("fitting a model also produces the sketch of its
 * training data"). Size is O(nQuantiles + nBins) per numeric column and O(levels) per
 * categorical column.
 */
export type ReferenceSketch = NumericSketch | CategoricalSketch;

export interface NumericSketch {
  readonly kind: 'numeric';
  readonly name: string;
  /** Non-missing values summarised. */
  readonly count: number;
  /** NaN values seen (not part of `count`). */
  readonly missing: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Population standard deviation (ddof = 0, numpy's default). */
  readonly std: number;
  /**
   * Quantiles at probabilities i/(nQuantiles − 1), i = 0..nQuantiles−1, computed with numpy's
   * default linear method; quantiles[0] = min and quantiles[last] = max.
   */
  readonly quantiles: Float64Array;
  /**
   * Interior histogram edges: the distinct reference quantiles at j/nBins, without the two
   * extremes. A value v falls in bin searchsorted(interiorEdges, v, 'right'), so the outer bins
   * extend to ±∞ and current values outside the training range are still counted.
   */
  readonly interiorEdges: Float64Array;
  /** Reference counts per bin (interiorEdges.length + 1 bins). */
  readonly binCounts: Float64Array;
}

export interface CategoricalSketch {
  readonly kind: 'categorical';
  readonly name: string;
  readonly count: number;
  readonly missing: number;
  readonly levels: readonly string[];
  /** Reference count per level. */
  readonly counts: Float64Array;
}

export interface SketchOptions {
  /** Number of stored quantiles (default 1001: every 0.1 percentile). */
  readonly nQuantiles?: number;
  /** Quantile bins for PSI and the histogram distances (default 10). */
  readonly nBins?: number;
}

/** Bin index of every finite value of `x` under the sketch's edges; returns counts per bin. */
export function binCountsFor(interiorEdges: Float64Array, x: ArrayLike<number>): Float64Array {
  const counts = new Float64Array(interiorEdges.length + 1);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isNaN(v)) continue;
    counts[searchSorted(interiorEdges, v, 'right')]++;
  }
  return counts;
}

/** Sketch of a numeric sample (NaN = missing). */
export function sketchNumeric(
  name: string,
  values: ArrayLike<number>,
  options: SketchOptions = {},
): NumericSketch {
  const nQuantiles = options.nQuantiles ?? 1001;
  const nBins = options.nBins ?? 10;
  if (nQuantiles < 2) throw new RangeError('nQuantiles must be >= 2');
  const sorted = sortedFinite(values);
  const count = sorted.length;
  if (count === 0) {
    // nothing to summarise: drift scores against this sketch are NaN
    return {
      kind: 'numeric',
      name,
      count: 0,
      missing: values.length,
      min: Number.NaN,
      max: Number.NaN,
      mean: Number.NaN,
      std: Number.NaN,
      quantiles: new Float64Array(0),
      interiorEdges: new Float64Array(0),
      binCounts: new Float64Array(1),
    };
  }
  let mean = 0;
  for (const v of sorted) mean += v;
  mean /= count;
  let ss = 0;
  for (const v of sorted) ss += (v - mean) ** 2;
  const quantiles = linspace(0, 1, nQuantiles).map((q) => quantileSorted(sorted, q));
  const edges = uniqueSorted(linspace(0, 1, nBins + 1).map((q) => quantileSorted(sorted, q)));
  const interiorEdges = edges.slice(1, Math.max(1, edges.length - 1));
  return {
    kind: 'numeric',
    name,
    count,
    missing: values.length - count,
    min: sorted[0],
    max: sorted[count - 1],
    mean,
    std: Math.sqrt(ss / count),
    quantiles,
    interiorEdges,
    binCounts: binCountsFor(interiorEdges, sorted),
  };
}

/** Sketch of a categorical column (codes into `levels`, −1 = missing). */
export function sketchCategorical(
  name: string,
  codes: ArrayLike<number>,
  levels: readonly string[],
): CategoricalSketch {
  const counts = new Float64Array(levels.length);
  let missing = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === MISSING_CODE) missing++;
    else counts[c]++;
  }
  return {
    kind: 'categorical',
    name,
    count: codes.length - missing,
    missing,
    levels: [...levels],
    counts,
  };
}

/** Sketch of one DataMatrix column. */
export function sketchColumn(column: Column, options: SketchOptions = {}): ReferenceSketch {
  return column.kind === 'numeric'
    ? sketchNumeric(column.name, column.values, options)
    : sketchCategorical(column.name, column.codes, column.levels);
}

/** Sketches of every column, in column order. */
export function sketchMatrix(x: DataMatrix, options: SketchOptions = {}): ReferenceSketch[] {
  return x.columns.map((c) => sketchColumn(c, options));
}

/** JSON-safe form of a sketch (typed arrays as number arrays), for storing beside a model. */
export type SerializedSketch =
  | (Omit<NumericSketch, 'quantiles' | 'interiorEdges' | 'binCounts'> & {
      quantiles: number[];
      interiorEdges: number[];
      binCounts: number[];
    })
  | (Omit<CategoricalSketch, 'counts'> & { counts: number[] });

export function serializeSketch(s: ReferenceSketch): SerializedSketch {
  if (s.kind === 'categorical') return { ...s, levels: [...s.levels], counts: [...s.counts] };
  return {
    ...s,
    quantiles: [...s.quantiles],
    interiorEdges: [...s.interiorEdges],
    binCounts: [...s.binCounts],
  };
}

export function deserializeSketch(s: SerializedSketch): ReferenceSketch {
  if (s.kind === 'categorical') return { ...s, counts: Float64Array.from(s.counts) };
  return {
    ...s,
    quantiles: Float64Array.from(s.quantiles),
    interiorEdges: Float64Array.from(s.interiorEdges),
    binCounts: Float64Array.from(s.binCounts),
  };
}

/**
 * Wraps a fit function so that fitting also returns the sketch of the training data, which is
 * what drift monitoring later compares live data against.
 */
export function withTrainingSketch<O, M>(
  fit: (x: DataMatrix, y: Float64Array, options: O) => M,
  sketchOptions: SketchOptions = {},
): (x: DataMatrix, y: Float64Array, options: O) => { model: M; sketch: ReferenceSketch[] } {
  return (x, y, options) => ({ model: fit(x, y, options), sketch: sketchMatrix(x, sketchOptions) });
}
