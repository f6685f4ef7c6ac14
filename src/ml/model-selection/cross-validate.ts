import type { FittedModel } from '../core/estimator';
import type { DataMatrix } from '../core/matrix';
import type { Fold } from './folds';

export interface CrossValidationResult<M extends FittedModel> {
  /** Score per fold, in fold order. */
  readonly scores: Float64Array;
  readonly mean: number;
  /** Population standard deviation of the fold scores (numpy default, ddof = 0). */
  readonly std: number;
  readonly models: M[];
}

/**
 * Fits `fit` on each training part and scores it on the matching test part. Anything that
 * must only see training rows (resampling, scaling) belongs inside `fit` — see
 * `withResampling` in ../imbalance.
 */
export function crossValidate<M extends FittedModel>(
  fit: (x: DataMatrix, y: Float64Array) => M,
  x: DataMatrix,
  y: Float64Array,
  folds: readonly Fold[],
  score: (yTrue: Float64Array, model: M, xTest: DataMatrix) => number,
): CrossValidationResult<M> {
  const scores = new Float64Array(folds.length);
  const models: M[] = [];
  folds.forEach((fold, f) => {
    const model = fit(x.takeRows(fold.train), takeValues(y, fold.train));
    const xTest = x.takeRows(fold.test);
    scores[f] = score(takeValues(y, fold.test), model, xTest);
    models.push(model);
  });
  let mean = 0;
  for (const s of scores) mean += s;
  mean /= scores.length;
  let v = 0;
  for (const s of scores) v += (s - mean) ** 2;
  return { scores, mean, std: Math.sqrt(v / scores.length), models };
}

export function takeValues(y: Float64Array, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = y[rows[i]];
  return out;
}
