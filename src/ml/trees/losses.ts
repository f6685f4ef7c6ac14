import type { Task } from './types';

/** Numerically safe logistic function. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Row-wise softmax of a row-major nRows × k matrix, in place. */
export function softmaxRows(raw: Float64Array, k: number): Float64Array {
  for (let o = 0; o < raw.length; o += k) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) if (raw[o + j] > max) max = raw[o + j];
    let s = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(raw[o + j] - max);
      raw[o + j] = e;
      s += e;
    }
    for (let j = 0; j < k; j++) raw[o + j] /= s;
  }
  return raw;
}

/** Raw scores (margins) → probabilities, row-major nRows × nClasses. */
export function rawToProba(task: Task, raw: Float64Array, nClasses: number): Float64Array {
  if (task === 'binary') {
    const out = new Float64Array(raw.length * 2);
    for (let i = 0; i < raw.length; i++) {
      const p = sigmoid(raw[i]);
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return out;
  }
  if (task === 'multiclass') return softmaxRows(Float64Array.from(raw), nClasses);
  throw new RangeError('predictProba is only defined for classification');
}

/** Class index of the largest probability per row. */
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

/**
 * Mean loss of raw scores: squared error / 2 (regression), log-loss (binary, multiclass),
 * weighted by `w` when given. Used for early stopping.
 */
export function meanLoss(
  task: Task,
  raw: Float64Array,
  y: Float64Array,
  nClasses: number,
  w?: Float64Array,
): number {
  let total = 0;
  let weight = 0;
  const n = y.length;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    let l: number;
    if (task === 'regression') {
      const d = raw[i] - y[i];
      l = 0.5 * d * d;
    } else if (task === 'binary') {
      const z = raw[i];
      // log(1 + e^z) − y z, computed stably
      l = (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i] * z;
    } else {
      const o = i * nClasses;
      let max = -Infinity;
      for (let j = 0; j < nClasses; j++) if (raw[o + j] > max) max = raw[o + j];
      let s = 0;
      for (let j = 0; j < nClasses; j++) s += Math.exp(raw[o + j] - max);
      l = max + Math.log(s) - raw[o + y[i]];
    }
    total += wi * l;
    weight += wi;
  }
  return weight > 0 ? total / weight : 0;
}
