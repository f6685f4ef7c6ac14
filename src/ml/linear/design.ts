import type { DataMatrix } from '../core/matrix';
import { MISSING_CODE } from '../core/matrix';

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
  const names: string[] = [];
  const source: number[] = [];
  const means: number[] = [];
  const scales: number[] = [];
  const levelsOf: (readonly string[] | null)[] = [];
  x.columns.forEach((col, j) => {
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
      names.push(col.name);
      source.push(j);
      means.push(mean);
      scales.push(standardize && std > 0 ? std : 1);
      levelsOf.push(null);
    } else {
      col.levels.forEach((level) => {
        names.push(`${col.name}=${level}`);
        source.push(j);
        means.push(0);
        scales.push(1);
      });
      levelsOf.push(col.levels);
    }
  });
  const nFeatures = names.length;
  const mean = Float64Array.from(means);
  const scale = Float64Array.from(scales);
  const trainColumns = x.columns.map((c) => c.name);
  return {
    nFeatures,
    names,
    source: Int32Array.from(source),
    nSourceColumns: x.nCols,
    mean,
    scale,
    transform(m: DataMatrix): Float64Array {
      if (m.nCols !== trainColumns.length) {
        throw new RangeError(`expected ${trainColumns.length} columns, got ${m.nCols}`);
      }
      const out = new Float64Array(m.nRows * nFeatures);
      let f = 0;
      m.columns.forEach((col, j) => {
        const levels = levelsOf[j];
        if (levels === null) {
          if (col.kind !== 'numeric') throw new TypeError(`column ${col.name} should be numeric`);
          const mu = mean[f];
          const s = scale[f];
          const keepMean = standardize;
          for (let i = 0; i < m.nRows; i++) {
            const v = col.values[i];
            out[i * nFeatures + f] = Number.isNaN(v)
              ? keepMean
                ? 0
                : mu
              : keepMean
                ? (v - mu) / s
                : v;
          }
          f++;
        } else {
          if (col.kind !== 'categorical')
            throw new TypeError(`column ${col.name} should be categorical`);
          const map = col.levels.map((l) => levels.indexOf(l));
          for (let i = 0; i < m.nRows; i++) {
            const c = col.codes[i];
            if (c === MISSING_CODE) continue;
            const k = map[c];
            if (k >= 0) out[i * nFeatures + f + k] = 1;
          }
          f += levels.length;
        }
      });
      return out;
    },
  };
}
