import { log1pExp, sigmoid } from '../linear/logistic';
import { solveSpd } from '../core/linalg';

/**
 * Platt scaling: P(y = 1 | f) = 1/(1 + exp(a·f + b)) fitted by maximum likelihood on held-out
 * scores with Platt's smoothed targets t₊ = (N₊ + 1)/(N₊ + 2), t₋ = 1/(N₋ + 2).
 * Platt (1999), "Probabilistic outputs for support vector machines"; Lin, Lin & Weng (2007).
 * Same objective as sklearn `calibration._sigmoid_calibration`, but solved by Newton's method
 * to full convergence (sklearn's BFGS stops at gtol 1e-5, so its a, b differ by up to ~1e-6).
 */
export interface PlattScaler {
  readonly a: number;
  readonly b: number;
  /** Calibrated probability for each score. */
  transform(scores: ArrayLike<number>): Float64Array;
}

export function fitPlatt(
  scores: ArrayLike<number>,
  y: ArrayLike<number>,
  positiveLabel = 1,
): PlattScaler {
  const n = scores.length;
  if (y.length !== n || n === 0)
    throw new RangeError('scores and labels must have the same non-zero length');
  let nPos = 0;
  for (let i = 0; i < n; i++) if (y[i] === positiveLabel) nPos++;
  const nNeg = n - nPos;
  const tPos = (nPos + 1) / (nPos + 2);
  const tNeg = 1 / (nNeg + 2);
  const t = Float64Array.from({ length: n }, (_, i) => (y[i] === positiveLabel ? tPos : tNeg));
  // minimise Σ t·log(1+e^z) + (1−t)·log(1+e^{−z}), z = a f + b
  const objective = (a: number, b: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const z = a * scores[i] + b;
      s += t[i] * log1pExp(z) + (1 - t[i]) * log1pExp(-z);
    }
    return s;
  };
  let a = 0;
  let b = Math.log((nNeg + 1) / (nPos + 1));
  let f = objective(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (let i = 0; i < n; i++) {
      const z = a * scores[i] + b;
      const p = sigmoid(z); // derivative of log(1+e^z)
      const r = p - (1 - t[i]);
      const w = p * (1 - p);
      ga += r * scores[i];
      gb += r;
      haa += w * scores[i] * scores[i];
      hab += w * scores[i];
      hbb += w;
    }
    if (Math.max(Math.abs(ga), Math.abs(gb)) < 1e-12 * Math.max(1, n)) break;
    const step = solveSpd([haa, hab, hab, hbb], 2, [ga, gb]);
    let s = 1;
    let fNew = f;
    for (let ls = 0; ls < 50; ls++) {
      fNew = objective(a - s * step[0], b - s * step[1]);
      if (fNew <= f) break;
      s /= 2;
    }
    if (!(fNew <= f)) break;
    a -= s * step[0];
    b -= s * step[1];
    f = fNew;
  }
  const A = a;
  const B = b;
  return {
    a: A,
    b: B,
    transform(x: ArrayLike<number>): Float64Array {
      return Float64Array.from({ length: x.length }, (_, i) => sigmoid(-(A * x[i] + B)));
    },
  };
}
