import type { FittedModel, HasCoefficients, Task } from '../core/estimator';
import { minimizeLbfgs } from '../core/lbfgs';
import { solveSpd } from '../core/linalg';
import type { DataMatrix } from '../core/matrix';
import { type Design, fitDesign, perSourceColumn } from './design';

export interface LogisticOptions {
  /** Inverse regularisation strength like sklearn (default 1): minimises C·Σ loss + ½‖W‖². */
  readonly C?: number;
  /** Standardise numeric columns first (default true). */
  readonly standardize?: boolean;
  /** Number of classes for the probability layout (default max label + 1). */
  readonly nClasses?: number;
  readonly maxIter?: number;
  /** Gradient tolerance (max-abs of the gradient of the objective divided by C; default 1e-10). */
  readonly tol?: number;
  /** Newton is used up to this many parameters, L-BFGS above (default 600). */
  readonly newtonMaxParams?: number;
}

/**
 * L2-regularised logistic regression, sklearn `LogisticRegression(penalty='l2', C)` with the
 * default multinomial formulation for ≥ 3 classes and the single-vector binary formulation
 * for 2 classes; the intercept is not penalised. Solved to convergence by Newton's method with
 * backtracking (Cholesky of the exact Hessian) for small problems, L-BFGS otherwise. For the
 * over-parametrised multinomial the intercepts are kept summing to zero, as sklearn's lbfgs
 * solver does when started from zero.
 */
export class LogisticRegressionModel implements FittedModel, HasCoefficients {
  readonly task: Task;

  constructor(
    readonly design: Design,
    /** Row-major (1 or K) × nFeatures coefficients on the design columns. */
    readonly coef: Float64Array,
    readonly intercept: Float64Array,
    /** Labels of the fitted classes (column order of the multinomial rows). */
    readonly classes: Int32Array,
    readonly nClasses: number,
    readonly iterations: number,
  ) {
    this.task = nClasses === 2 ? 'binary' : 'multiclass';
  }

  /** Decision function per fitted class row (row-major n × rows). */
  decisionFunction(x: DataMatrix): Float64Array {
    const z = this.design.transform(x);
    const p = this.design.nFeatures;
    const rows = this.intercept.length;
    const out = new Float64Array(x.nRows * rows);
    for (let i = 0; i < x.nRows; i++) {
      for (let k = 0; k < rows; k++) {
        let s = this.intercept[k];
        for (let j = 0; j < p; j++) s += z[i * p + j] * this.coef[k * p + j];
        out[i * rows + k] = s;
      }
    }
    return out;
  }

  predictProba(x: DataMatrix): Float64Array {
    const d = this.decisionFunction(x);
    const rows = this.intercept.length;
    const K = this.nClasses;
    const out = new Float64Array(x.nRows * K);
    for (let i = 0; i < x.nRows; i++) {
      if (rows === 1) {
        const p1 = sigmoid(d[i]);
        out[i * K + this.classes[0]] = 1 - p1;
        out[i * K + this.classes[1]] = p1;
      } else {
        let max = -Infinity;
        for (let k = 0; k < rows; k++) max = Math.max(max, d[i * rows + k]);
        let sum = 0;
        for (let k = 0; k < rows; k++) sum += Math.exp(d[i * rows + k] - max);
        for (let k = 0; k < rows; k++)
          out[i * K + this.classes[k]] = Math.exp(d[i * rows + k] - max) / sum;
      }
    }
    return out;
  }

  predict(x: DataMatrix): Float64Array {
    return argmaxRows(this.predictProba(x), this.nClasses);
  }

  featureImportances(): Float64Array {
    const p = this.design.nFeatures;
    const out = new Float64Array(p);
    for (let k = 0; k < this.intercept.length; k++)
      for (let j = 0; j < p; j++) out[j] += Math.abs(this.coef[k * p + j]);
    return perSourceColumn(this.design, out, this.design.nSourceColumns);
  }
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log(1 + e^z) without overflow. */
export function log1pExp(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** Index of the largest value in each row (first on ties), as a Float64Array of class codes. */
export function argmaxRows(proba: Float64Array, k: number): Float64Array {
  const n = proba.length / k;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (proba[i * k + j] > proba[i * k + best]) best = j;
    out[i] = best;
  }
  return out;
}

/** Newton's method with backtracking on a smooth strictly convex objective. */
function newton(
  fgh: (w: Float64Array, grad: Float64Array, hess: Float64Array | null) => number,
  dim: number,
  maxIter: number,
  tol: number,
): { w: Float64Array; iterations: number } {
  let w = new Float64Array(dim);
  const g = new Float64Array(dim);
  const h = new Float64Array(dim * dim);
  let f = fgh(w, g, h);
  for (let iter = 0; iter < maxIter; iter++) {
    const gmax = g.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    if (gmax <= tol) return { w, iterations: iter };
    const step = solveSpd(h, dim, g);
    let t = 1;
    let slope = 0;
    for (let j = 0; j < dim; j++) slope -= g[j] * step[j];
    const trial = new Float64Array(dim);
    const gTrial = new Float64Array(dim);
    let fTrial = Number.POSITIVE_INFINITY;
    for (let ls = 0; ls < 50; ls++) {
      for (let j = 0; j < dim; j++) trial[j] = w[j] - t * step[j];
      fTrial = fgh(trial, gTrial, null);
      if (fTrial <= f + 1e-4 * t * slope || Math.abs(fTrial - f) <= 1e-15 * Math.abs(f)) break;
      t /= 2;
    }
    if (!(fTrial <= f + 1e-12 * Math.abs(f))) return { w, iterations: iter };
    w = Float64Array.from(trial);
    f = fgh(w, g, h);
  }
  return { w, iterations: maxIter };
}

export function fitLogistic(
  x: DataMatrix,
  y: Float64Array,
  options: LogisticOptions = {},
): LogisticRegressionModel {
  const C = options.C ?? 1;
  const lambda = 1 / C;
  const tol = options.tol ?? 1e-10;
  const maxIter = options.maxIter ?? 200;
  const design = fitDesign(x, { standardize: options.standardize ?? true });
  const z = design.transform(x);
  const n = x.nRows;
  const p = design.nFeatures;
  if (y.length !== n) throw new RangeError('y length must equal the number of rows');
  let maxLabel = -1;
  const present = new Set<number>();
  for (const v of y) {
    if (!Number.isInteger(v) || v < 0)
      throw new RangeError(`class labels must be integer codes, got ${v}`);
    present.add(v);
    maxLabel = Math.max(maxLabel, v);
  }
  const classes = Int32Array.from([...present].sort((a, b) => a - b));
  const nClasses = Math.max(options.nClasses ?? maxLabel + 1, 2);
  if (classes.length < 2) throw new RangeError('logistic regression needs at least two classes');
  const K = classes.length;
  const rows = K === 2 ? 1 : K;
  const stride = p + 1; // coefficients then intercept per row
  const dim = rows * stride;
  const classIndex = new Map<number, number>();
  classes.forEach((c, i) => classIndex.set(c, i));
  const yi = Int32Array.from(y, (v) => classIndex.get(v) ?? 0);

  // objective / C: Σ loss + (λ/2)‖W‖²  (same minimiser as sklearn's C·Σ loss + ½‖W‖²)
  const row = new Float64Array(p + 1);
  const fgh = (w: Float64Array, grad: Float64Array, hess: Float64Array | null): number => {
    grad.fill(0);
    if (hess) hess.fill(0);
    let f = 0;
    if (rows === 1) {
      for (let i = 0; i < n; i++) {
        let s = w[p];
        const off = i * p;
        for (let j = 0; j < p; j++) s += z[off + j] * w[j];
        const t = yi[i] === 1 ? 1 : -1;
        f += log1pExp(-t * s);
        const pr = sigmoid(s);
        const r = pr - (yi[i] === 1 ? 1 : 0);
        for (let j = 0; j < p; j++) grad[j] += r * z[off + j];
        grad[p] += r;
        if (hess) {
          const wgt = pr * (1 - pr);
          for (let j = 0; j < p; j++) row[j] = z[off + j];
          row[p] = 1;
          for (let a = 0; a <= p; a++) {
            const wa = wgt * row[a];
            if (wa === 0) continue;
            const base = a * dim;
            for (let b = 0; b <= a; b++) hess[base + b] += wa * row[b];
          }
        }
      }
    } else {
      const s = new Float64Array(K);
      const pr = new Float64Array(K);
      for (let i = 0; i < n; i++) {
        const off = i * p;
        let max = -Infinity;
        for (let k = 0; k < K; k++) {
          let v = w[k * stride + p];
          for (let j = 0; j < p; j++) v += z[off + j] * w[k * stride + j];
          s[k] = v;
          if (v > max) max = v;
        }
        let sum = 0;
        for (let k = 0; k < K; k++) sum += Math.exp(s[k] - max);
        const lse = max + Math.log(sum);
        f += lse - s[yi[i]];
        for (let k = 0; k < K; k++) pr[k] = Math.exp(s[k] - lse);
        for (let k = 0; k < K; k++) {
          const r = pr[k] - (yi[i] === k ? 1 : 0);
          for (let j = 0; j < p; j++) grad[k * stride + j] += r * z[off + j];
          grad[k * stride + p] += r;
        }
        if (hess) {
          for (let j = 0; j < p; j++) row[j] = z[off + j];
          row[p] = 1;
          for (let k = 0; k < K; k++) {
            for (let l = 0; l <= k; l++) {
              const wkl = pr[k] * ((k === l ? 1 : 0) - pr[l]);
              if (wkl === 0) continue;
              for (let a = 0; a <= p; a++) {
                const wa = wkl * row[a];
                if (wa === 0) continue;
                const base = (k * stride + a) * dim + l * stride;
                const bMax = k === l ? a : p;
                for (let b = 0; b <= bMax; b++) hess[base + b] += wa * row[b];
              }
            }
          }
        }
      }
    }
    for (let k = 0; k < rows; k++) {
      for (let j = 0; j < p; j++) {
        const v = w[k * stride + j];
        f += (lambda / 2) * v * v;
        grad[k * stride + j] += lambda * v;
        if (hess) hess[(k * stride + j) * dim + k * stride + j] += lambda;
      }
    }
    if (hess) {
      // symmetrise from the lower triangle
      for (let a = 0; a < dim; a++)
        for (let b = 0; b < a; b++) hess[b * dim + a] = hess[a * dim + b];
      if (rows > 1) {
        // the intercept-sum direction has zero curvature; add curvature there only (the
        // gradient is orthogonal to it, so steps keep Σ intercepts = 0)
        let scale = 0;
        for (let k = 0; k < K; k++) scale += hess[(k * stride + p) * dim + k * stride + p];
        const c = scale / K / K + 1e-12;
        for (let k = 0; k < K; k++)
          for (let l = 0; l < K; l++) hess[(k * stride + p) * dim + l * stride + p] += c;
      }
    }
    return f;
  };

  let w: Float64Array;
  let iterations: number;
  if (dim <= (options.newtonMaxParams ?? 600)) {
    ({ w, iterations } = newton(fgh, dim, maxIter, tol * Math.max(1, n)));
  } else {
    const res = minimizeLbfgs((v, g) => fgh(v, g, null), new Float64Array(dim), {
      maxIter: maxIter * 50,
      gtol: tol * Math.max(1, n),
    });
    w = res.x;
    iterations = res.iterations;
  }
  const coef = new Float64Array(rows * p);
  const intercept = new Float64Array(rows);
  for (let k = 0; k < rows; k++) {
    for (let j = 0; j < p; j++) coef[k * p + j] = w[k * stride + j];
    intercept[k] = w[k * stride + p];
  }
  return new LogisticRegressionModel(design, coef, intercept, classes, nClasses, iterations);
}
