import type { FittedModel, Task } from '../core/estimator';
import type { DataMatrix } from '../core/matrix';
import { logLoss, r2, rocAuc } from '../metrics';

/**
 * Metric per task, always "higher is better" on the leaderboard:
 * - binary: ROC AUC (threshold-free, insensitive to class balance);
 * - multiclass: negative log loss (uses the whole probability vector, so averaging and
 *   stacking can improve it; balanced accuracy moves in steps of one row and rarely separates
 *   candidates on small tables);
 * - regression: R² (RMSE is reported beside it; per fold they rank candidates the same way).
 */
export type AutoMlMetric = 'roc-auc' | 'neg-log-loss' | 'r2';

export function metricFor(task: Task): AutoMlMetric {
  switch (task) {
    case 'binary':
      return 'roc-auc';
    case 'multiclass':
      return 'neg-log-loss';
    case 'regression':
      return 'r2';
  }
}

/** Columns of a model's output: class probabilities, or 1 for regression. */
export function outputWidth(task: Task, nClasses: number): number {
  return task === 'regression' ? 1 : nClasses;
}

/** Predicted values (regression) or row-major probabilities (classification). */
export function modelOutput(model: FittedModel, x: DataMatrix): Float64Array {
  return model.task === 'regression' ? model.predict(x) : model.predictProba(x);
}

/** Scores row-major outputs (width from {@link outputWidth}) against the target. */
export function scoreOutput(
  metric: AutoMlMetric,
  y: Float64Array,
  output: Float64Array,
  nClasses: number,
): number {
  switch (metric) {
    case 'roc-auc': {
      const positive = new Float64Array(y.length);
      for (let i = 0; i < y.length; i++) positive[i] = output[2 * i + 1];
      return rocAuc(y, positive);
    }
    case 'neg-log-loss':
      return -logLoss(y, output, nClasses);
    case 'r2':
      return r2(y, output);
  }
}

/** Rows of a row-major matrix. */
export function takeOutputRows(
  output: Float64Array,
  width: number,
  rows: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(rows.length * width);
  for (let i = 0; i < rows.length; i++)
    for (let k = 0; k < width; k++) out[i * width + k] = output[rows[i] * width + k];
  return out;
}

export function meanAndStd(values: ArrayLike<number>): { mean: number; std: number } {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i];
  mean /= values.length;
  let v = 0;
  for (let i = 0; i < values.length; i++) v += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(v / values.length) };
}
