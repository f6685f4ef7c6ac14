import type { DataMatrix } from '../core/matrix';
import { designFromSpec, type DesignColumnSpec, type DesignSpec } from './design-spec';

/**
 * Turns a DataMatrix into a dense row-major design matrix for linear models and distance-based
 * learners: numeric columns with NaN replaced by the training mean (and optionally
 * standardised), categorical columns one-hot encoded over the training levels (missing or
 * unseen → all zeros).
 *
 * Standardisation follows sklearn `StandardScaler`: z = (x − mean)/scale with the population
 * standard deviation (ddof = 0) and scale = 1 for constant columns.
 */
export interface Design {
  /** Number of design columns. */
  readonly nFeatures: number;
  /** Name of each design column (`col` or `col=level`). */
  readonly names: readonly string[];
  /** Index of the source DataMatrix column of each design column. */
  readonly source: Int32Array;
  /** Number of source DataMatrix columns. */
  readonly nSourceColumns: number;
  /** Per numeric design column: mean and scale used (scale 1 when not standardising). */
  readonly mean: Float64Array;
  readonly scale: Float64Array;
  /**
   * What was learnt, as plain data (`designFromSpec` rebuilds an identical design from it).
   * Set by `fitDesign` and `designFromSpec`; optional for hand-made designs.
   */
  readonly spec?: DesignSpec;
  /** Row-major nRows × nFeatures. */
  transform(x: DataMatrix): Float64Array;
}

/** Sums per-design-column values into one value per source DataMatrix column. */
export function perSourceColumn(
  design: Design,
  values: ArrayLike<number>,
  nSourceColumns: number,
): Float64Array {
  const out = new Float64Array(nSourceColumns);
  for (let f = 0; f < design.nFeatures; f++) out[design.source[f]] += values[f];
  return out;
}

export interface DesignOptions {
  /** Standardise numeric columns (default true). */
  readonly standardize?: boolean;
}

export function fitDesign(x: DataMatrix, options: DesignOptions = {}): Design {
  const standardize = options.standardize ?? true;
  const means: number[] = [];
  const scales: number[] = [];
  const columns: DesignColumnSpec[] = x.columns.map((col) => {
    if (col.kind === 'numeric') {
      let n = 0;
      let mean = 0;
      for (const v of col.values) {
        if (!Number.isNaN(v)) {
          n++;
          mean += v;
        }
      }
      mean = n > 0 ? mean / n : 0;
      let ss = 0;
      for (const v of col.values) if (!Number.isNaN(v)) ss += (v - mean) ** 2;
      const std = n > 0 ? Math.sqrt(ss / n) : 0;
      means.push(mean);
      scales.push(standardize && std > 0 ? std : 1);
      return { kind: 'numeric', name: col.name };
    }
    for (let k = 0; k < col.levels.length; k++) {
      means.push(0);
      scales.push(1);
    }
    return { kind: 'categorical', name: col.name, levels: [...col.levels] };
  });
  return designFromSpec({
    standardize,
    columns,
    mean: Float64Array.from(means),
    scale: Float64Array.from(scales),
  });
}
