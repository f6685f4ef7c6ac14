import type { FittedModel, HasCoefficients } from '../core/estimator';
import { solveSpd } from '../core/linalg';
import type { DataMatrix } from '../core/matrix';
import { type Design, fitDesign, perSourceColumn } from './design';

export interface RidgeOptions {
  /** L2 penalty α on the coefficients (not the intercept); default 1 like sklearn. */
  readonly alpha?: number;
  /** Standardise numeric columns first (default false, like sklearn Ridge on raw data). */
  readonly standardize?: boolean;
}

/**
 * Ridge regression, sklearn `Ridge(alpha, fit_intercept=True)`: centre X and y, solve
 * (XᵀX + αI) w = Xᵀy by Cholesky, intercept = ȳ − x̄ᵀw (so the intercept is not penalised).
 * Hoerl & Kennard (1970), Technometrics 12:55–67.
 */
export class RidgeModel implements FittedModel, HasCoefficients {
  readonly task = 'regression' as const;
  readonly nClasses = 1;

  constructor(
    readonly design: Design,
    /** Coefficients on the design columns (standardised if requested). */
    readonly coef: Float64Array,
    readonly intercept: number,
  ) {}

  predict(x: DataMatrix): Float64Array {
    const z = this.design.transform(x);
    const p = this.coef.length;
    const out = new Float64Array(x.nRows);
    for (let i = 0; i < x.nRows; i++) {
      let s = this.intercept;
      for (let j = 0; j < p; j++) s += z[i * p + j] * this.coef[j];
      out[i] = s;
    }
    return out;
  }

  predictProba(): Float64Array {
    return new Float64Array(0);
  }

  featureImportances(): Float64Array {
    return perSourceColumn(this.design, this.coef.map(Math.abs), this.design.nSourceColumns);
  }
}

export function fitRidge(x: DataMatrix, y: Float64Array, options: RidgeOptions = {}): RidgeModel {
  const alpha = options.alpha ?? 1;
  const design = fitDesign(x, { standardize: options.standardize ?? false });
  const z = design.transform(x);
  const n = x.nRows;
  const p = design.nFeatures;
  if (y.length !== n) throw new RangeError('y length must equal the number of rows');
  const xMean = new Float64Array(p);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    yMean += y[i];
    for (let j = 0; j < p; j++) xMean[j] += z[i * p + j];
  }
  yMean /= n;
  for (let j = 0; j < p; j++) xMean[j] /= n;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  const row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) row[j] = z[i * p + j] - xMean[j];
    const yc = y[i] - yMean;
    for (let j = 0; j < p; j++) {
      b[j] += row[j] * yc;
      const rj = row[j];
      for (let k = 0; k <= j; k++) a[j * p + k] += rj * row[k];
    }
  }
  for (let j = 0; j < p; j++) {
    for (let k = 0; k < j; k++) a[k * p + j] = a[j * p + k];
    a[j * p + j] += alpha;
  }
  const coef = solveSpd(a, p, b);
  let intercept = yMean;
  for (let j = 0; j < p; j++) intercept -= xMean[j] * coef[j];
  return new RidgeModel(design, coef, intercept);
}
