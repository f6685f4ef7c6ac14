import type { FittedModel, Task } from '../core/estimator';
import type { DataMatrix } from '../core/matrix';
import { type Design, fitDesign } from '../linear/design';
import { argmaxRows } from '../linear/logistic';

export interface GaussianNbOptions {
  /** Fraction of the largest feature variance added to every variance (default 1e-9, like sklearn). */
  readonly varSmoothing?: number;
  /** Number of classes for the probability layout (default max label + 1). */
  readonly nClasses?: number;
}

/**
 * Gaussian naive Bayes, sklearn `GaussianNB`: per-class feature means and population
 * variances, plus ε = varSmoothing · max_j Var(x_j) on every variance; priors are the class
 * frequencies. Missing numeric values are skipped in both fitting and scoring (they carry no
 * evidence); categorical columns enter one-hot encoded. Classes absent from the training
 * data get probability 0.
 */
export class GaussianNbModel implements FittedModel {
  readonly task: Task;

  constructor(
    readonly design: Design,
    /** Row-major nClasses × nFeatures means and variances (smoothed). */
    readonly theta: Float64Array,
    readonly variance: Float64Array,
    readonly prior: Float64Array,
    readonly epsilon: number,
    readonly nClasses: number,
  ) {
    this.task = nClasses <= 2 ? 'binary' : 'multiclass';
  }

  /** Joint log-likelihood log P(c) + Σ log N(x_j; θ_cj, σ²_cj), row-major n × nClasses. */
  jointLogLikelihood(x: DataMatrix): Float64Array {
    const z = this.rawDesign(x);
    const p = this.design.nFeatures;
    const K = this.nClasses;
    const out = new Float64Array(x.nRows * K);
    for (let i = 0; i < x.nRows; i++) {
      for (let c = 0; c < K; c++) {
        if (this.prior[c] === 0) {
          out[i * K + c] = Number.NEGATIVE_INFINITY;
          continue;
        }
        let s = Math.log(this.prior[c]);
        for (let j = 0; j < p; j++) {
          const v = z[i * p + j];
          if (Number.isNaN(v)) continue;
          const varc = this.variance[c * p + j];
          s -= 0.5 * Math.log(2 * Math.PI * varc) + (0.5 * (v - this.theta[c * p + j]) ** 2) / varc;
        }
        out[i * K + c] = s;
      }
    }
    return out;
  }

  predictProba(x: DataMatrix): Float64Array {
    const K = this.nClasses;
    const jll = this.jointLogLikelihood(x);
    for (let i = 0; i < x.nRows; i++) {
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < K; c++) max = Math.max(max, jll[i * K + c]);
      let sum = 0;
      for (let c = 0; c < K; c++) sum += Math.exp(jll[i * K + c] - max);
      for (let c = 0; c < K; c++) jll[i * K + c] = Math.exp(jll[i * K + c] - max) / sum;
    }
    return jll;
  }

  predict(x: DataMatrix): Float64Array {
    return argmaxRows(this.predictProba(x), this.nClasses);
  }

  /** Design values with NaN kept for missing numerics (the design imputes; NB skips instead). */
  private rawDesign(x: DataMatrix): Float64Array {
    const z = this.design.transform(x);
    const p = this.design.nFeatures;
    for (let f = 0; f < p; f++) {
      const col = x.columns[this.design.source[f]];
      if (col.kind !== 'numeric') continue;
      for (let i = 0; i < x.nRows; i++) if (Number.isNaN(col.values[i])) z[i * p + f] = Number.NaN;
    }
    return z;
  }
}

export function fitGaussianNb(
  x: DataMatrix,
  y: Float64Array,
  options: GaussianNbOptions = {},
): GaussianNbModel {
  const design = fitDesign(x, { standardize: false });
  const p = design.nFeatures;
  const n = x.nRows;
  let max = 0;
  for (const v of y) {
    if (!Number.isInteger(v) || v < 0)
      throw new RangeError(`class labels must be integer codes, got ${v}`);
    max = Math.max(max, v);
  }
  const K = Math.max(options.nClasses ?? max + 1, 2);
  const z = design.transform(x);
  // keep NaN for missing numerics
  for (let f = 0; f < p; f++) {
    const col = x.columns[design.source[f]];
    if (col.kind === 'numeric')
      for (let i = 0; i < n; i++) if (Number.isNaN(col.values[i])) z[i * p + f] = Number.NaN;
  }
  const count = new Float64Array(K * p);
  const sum = new Float64Array(K * p);
  const classCount = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    const c = y[i];
    classCount[c]++;
    for (let j = 0; j < p; j++) {
      const v = z[i * p + j];
      if (Number.isNaN(v)) continue;
      count[c * p + j]++;
      sum[c * p + j] += v;
    }
  }
  const theta = new Float64Array(K * p);
  for (let i = 0; i < K * p; i++) theta[i] = count[i] > 0 ? sum[i] / count[i] : 0;
  const variance = new Float64Array(K * p);
  for (let i = 0; i < n; i++) {
    const c = y[i];
    for (let j = 0; j < p; j++) {
      const v = z[i * p + j];
      if (!Number.isNaN(v)) variance[c * p + j] += (v - theta[c * p + j]) ** 2;
    }
  }
  for (let i = 0; i < K * p; i++) variance[i] = count[i] > 0 ? variance[i] / count[i] : 0;
  // ε from the overall variance of each feature
  let maxVar = 0;
  for (let j = 0; j < p; j++) {
    let m = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const v = z[i * p + j];
      if (!Number.isNaN(v)) {
        m += v;
        c++;
      }
    }
    if (c === 0) continue;
    m /= c;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = z[i * p + j];
      if (!Number.isNaN(v)) s += (v - m) ** 2;
    }
    maxVar = Math.max(maxVar, s / c);
  }
  const epsilon = (options.varSmoothing ?? 1e-9) * maxVar;
  for (let i = 0; i < K * p; i++) variance[i] += epsilon;
  const prior = classCount.map((c) => c / n);
  return new GaussianNbModel(design, theta, variance, prior, epsilon, K);
}
