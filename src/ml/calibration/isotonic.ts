/**
 * Isotonic regression by the pool-adjacent-violators algorithm (Ayer et al. 1955; Barlow et
 * al. 1972), reproducing sklearn `IsotonicRegression(increasing=True, out_of_bounds='clip')`:
 * tied x values are first merged into their weighted mean, PAV fits a non-decreasing step
 * function, and predictions interpolate linearly between the fitted points (clipped outside
 * the training range). Zadrozny & Elkan (2002) use it for probability calibration.
 */
export interface IsotonicFit {
  /** Distinct training x values (ascending) and the fitted value at each. */
  readonly xThresholds: Float64Array;
  readonly yThresholds: Float64Array;
  transform(x: ArrayLike<number>): Float64Array;
}

/** Weighted PAV on y in order; returns the fitted non-decreasing values. */
export function poolAdjacentViolators(y: ArrayLike<number>, w: ArrayLike<number>): Float64Array {
  const n = y.length;
  const value = new Float64Array(n);
  const weight = new Float64Array(n);
  const size = new Int32Array(n);
  let blocks = 0;
  for (let i = 0; i < n; i++) {
    value[blocks] = y[i];
    weight[blocks] = w[i];
    size[blocks] = 1;
    blocks++;
    while (blocks > 1 && value[blocks - 2] >= value[blocks - 1]) {
      const wt = weight[blocks - 2] + weight[blocks - 1];
      value[blocks - 2] =
        (value[blocks - 2] * weight[blocks - 2] + value[blocks - 1] * weight[blocks - 1]) / wt;
      weight[blocks - 2] = wt;
      size[blocks - 2] += size[blocks - 1];
      blocks--;
    }
  }
  const out = new Float64Array(n);
  let pos = 0;
  for (let b = 0; b < blocks; b++) for (let j = 0; j < size[b]; j++) out[pos++] = value[b];
  return out;
}

/** Linear interpolation like numpy.interp (clamped at the ends). */
function interp(x: number, xs: Float64Array, ys: Float64Array): number {
  const n = xs.length;
  if (x <= xs[0]) return ys[0];
  if (x >= xs[n - 1]) return ys[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  const slope = (ys[hi] - ys[lo]) / (xs[hi] - xs[lo]);
  return slope * (x - xs[lo]) + ys[lo];
}

export function fitIsotonic(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  weights?: ArrayLike<number>,
): IsotonicFit {
  const n = x.length;
  if (y.length !== n || n === 0) throw new RangeError('x and y must have the same non-zero length');
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b] || y[a] - y[b]);
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  for (const i of order) {
    const wi = weights ? weights[i] : 1;
    const last = ux.length - 1;
    if (last >= 0 && ux[last] === x[i]) {
      uy[last] += y[i] * wi;
      uw[last] += wi;
    } else {
      ux.push(x[i]);
      uy.push(y[i] * wi);
      uw.push(wi);
    }
  }
  for (let j = 0; j < ux.length; j++) uy[j] /= uw[j];
  const xs = Float64Array.from(ux);
  const fitted = poolAdjacentViolators(uy, uw);
  return {
    xThresholds: xs,
    yThresholds: fitted,
    transform(q: ArrayLike<number>): Float64Array {
      return Float64Array.from({ length: q.length }, (_, i) =>
        xs.length === 1 ? fitted[0] : interp(q[i], xs, fitted),
      );
    },
  };
}
