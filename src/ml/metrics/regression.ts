/** Regression metrics, matching sklearn 1.2 (`mean_squared_error` etc.). */

function check(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length || a.length === 0) throw new RangeError('length mismatch or empty');
}

export function rmse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (yTrue[i] - yPred[i]) ** 2;
  return Math.sqrt(s / yTrue.length);
}

export function mae(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i] - yPred[i]);
  return s / yTrue.length;
}

/**
 * Coefficient of determination 1 − SS_res/SS_tot. Like sklearn (force_finite=True) a constant
 * target gives 1 for a perfect fit and 0 otherwise.
 */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred);
  let mean = 0;
  for (let i = 0; i < yTrue.length; i++) mean += yTrue[i];
  mean /= yTrue.length;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    res += (yTrue[i] - yPred[i]) ** 2;
    tot += (yTrue[i] - mean) ** 2;
  }
  if (tot === 0) return res === 0 ? 1 : 0;
  return 1 - res / tot;
}

/**
 * Mean absolute percentage error as a fraction (not ×100): mean(|y − ŷ| / max(|y|, ε)) with
 * ε = float64 machine epsilon, like sklearn `mean_absolute_percentage_error`.
 */
export function mape(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    s += Math.abs(yTrue[i] - yPred[i]) / Math.max(Math.abs(yTrue[i]), 2.220446049250313e-16);
  }
  return s / yTrue.length;
}
