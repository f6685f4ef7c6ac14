import { linspace, quantileSorted, searchSorted } from '../core/quantile';

/** Machine epsilon of float64, sklearn's default clipping for log loss (eps='auto'). */
const EPS = 2.220446049250313e-16;

/**
 * Cross-entropy loss, sklearn 1.2 `log_loss`: probabilities clipped to [eps, 1 − eps],
 * rows renormalised, mean of −log p(true class). `proba` is either row-major n × nClasses or,
 * for binary targets, a length-n vector of P(class 1). Classes are codes 0..nClasses−1.
 */
export function logLoss(
  yTrue: ArrayLike<number>,
  proba: ArrayLike<number>,
  nClasses?: number,
): number {
  const n = yTrue.length;
  const binaryVector = proba.length === n && (nClasses === undefined || nClasses === 2);
  const k = binaryVector ? 2 : (nClasses ?? proba.length / n);
  if (!binaryVector && proba.length !== n * k) throw new RangeError('proba must be n × nClasses');
  let total = 0;
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    if (binaryVector) {
      const p = Math.min(Math.max(proba[i], EPS), 1 - EPS);
      row[0] = Math.min(Math.max(1 - proba[i], EPS), 1 - EPS);
      row[1] = p;
    } else {
      for (let j = 0; j < k; j++) row[j] = Math.min(Math.max(proba[i * k + j], EPS), 1 - EPS);
    }
    let s = 0;
    for (let j = 0; j < k; j++) s += row[j];
    const y = yTrue[i];
    if (!Number.isInteger(y) || y < 0 || y >= k) throw new RangeError(`bad label ${y}`);
    total -= Math.log(row[y] / s);
  }
  return total / n;
}

/** Mean squared difference between P(positive) and the 0/1 outcome (sklearn `brier_score_loss`). */
export function brierScore(
  yTrue: ArrayLike<number>,
  probPositive: ArrayLike<number>,
  positiveLabel = 1,
): number {
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const d = (yTrue[i] === positiveLabel ? 1 : 0) - probPositive[i];
    s += d * d;
  }
  return s / yTrue.length;
}

export interface CalibrationCurve {
  /** Observed fraction of positives per non-empty bin. */
  readonly probTrue: Float64Array;
  /** Mean predicted probability per non-empty bin. */
  readonly probPred: Float64Array;
  /** Samples per non-empty bin. */
  readonly counts: Float64Array;
}

/**
 * Reliability diagram data, sklearn 1.2 `calibration_curve`: edges linspace(0, 1, nBins+1)
 * ('uniform') or percentiles of the predictions ('quantile'); a probability p goes to bin
 * searchsorted(innerEdges, p, 'left'); empty bins are dropped.
 */
export function calibrationCurve(
  yTrue: ArrayLike<number>,
  probPositive: ArrayLike<number>,
  nBins = 5,
  strategy: 'uniform' | 'quantile' = 'uniform',
  positiveLabel = 1,
): CalibrationCurve {
  let edges: Float64Array;
  if (strategy === 'uniform') {
    edges = linspace(0, 1, nBins + 1);
  } else {
    const sorted = Float64Array.from(probPositive).sort();
    const qs = linspace(0, 1, nBins + 1);
    edges = qs.map((q) => quantileSorted(sorted, (q * 100) / 100));
  }
  const inner = edges.subarray(1, nBins);
  const sums = new Float64Array(nBins + 1);
  const trues = new Float64Array(nBins + 1);
  const totals = new Float64Array(nBins + 1);
  for (let i = 0; i < yTrue.length; i++) {
    const p = probPositive[i];
    if (p < 0 || p > 1) throw new RangeError('probabilities must be in [0, 1]');
    const b = searchSorted(inner, p, 'left');
    sums[b] += p;
    trues[b] += yTrue[i] === positiveLabel ? 1 : 0;
    totals[b]++;
  }
  const probTrue: number[] = [];
  const probPred: number[] = [];
  const counts: number[] = [];
  for (let b = 0; b < totals.length; b++) {
    if (totals[b] === 0) continue;
    probTrue.push(trues[b] / totals[b]);
    probPred.push(sums[b] / totals[b]);
    counts.push(totals[b]);
  }
  return {
    probTrue: Float64Array.from(probTrue),
    probPred: Float64Array.from(probPred),
    counts: Float64Array.from(counts),
  };
}
