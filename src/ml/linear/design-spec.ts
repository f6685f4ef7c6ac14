import { type DataMatrix, MISSING_CODE } from '../core/matrix';
import type { Design } from './design';

/** What a design knows about one source DataMatrix column. */
export type DesignColumnSpec =
  | { readonly kind: 'numeric'; readonly name: string }
  | { readonly kind: 'categorical'; readonly name: string; readonly levels: readonly string[] };

/**
 * Everything a fitted {@link Design} learnt, as plain data: enough to rebuild it exactly (for
 * persistence). Design columns are, in source column order, one per numeric column and one
 * per level of each categorical column.
 */
export interface DesignSpec {
  readonly standardize: boolean;
  readonly columns: readonly DesignColumnSpec[];
  /** Per design column: training mean (imputation value) and scale (1 when not standardising). */
  readonly mean: Float64Array;
  readonly scale: Float64Array;
}

/** Number of design columns a spec produces. */
export function designWidth(columns: readonly DesignColumnSpec[]): number {
  return columns.reduce((s, c) => s + (c.kind === 'numeric' ? 1 : c.levels.length), 0);
}

/**
 * The design described by `spec` (the one `fitDesign` returns is built this way, so a design
 * rebuilt from a stored spec transforms bit for bit like the fitted one).
 */
export function designFromSpec(spec: DesignSpec): Design {
  const { standardize, columns, mean, scale } = spec;
  const nFeatures = designWidth(columns);
  if (mean.length !== nFeatures || scale.length !== nFeatures) {
    throw new RangeError(
      `design has ${nFeatures} columns but ${mean.length} means and ${scale.length} scales`,
    );
  }
  const names: string[] = [];
  const source: number[] = [];
  columns.forEach((col, j) => {
    if (col.kind === 'numeric') {
      names.push(col.name);
      source.push(j);
    } else {
      for (const level of col.levels) {
        names.push(`${col.name}=${level}`);
        source.push(j);
      }
    }
  });
  return {
    nFeatures,
    names,
    source: Int32Array.from(source),
    nSourceColumns: columns.length,
    mean,
    scale,
    spec,
    transform(m: DataMatrix): Float64Array {
      if (m.nCols !== columns.length) {
        throw new RangeError(`expected ${columns.length} columns, got ${m.nCols}`);
      }
      const out = new Float64Array(m.nRows * nFeatures);
      let f = 0;
      m.columns.forEach((col, j) => {
        const fitted = columns[j];
        if (fitted.kind === 'numeric') {
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
          const levels = fitted.levels;
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
