import type { DataMatrix } from './matrix';

/** What a learner predicts: a number, one of two classes, or one of several classes. */
export type Task = 'regression' | 'binary' | 'multiclass';

/**
 * A trained model. Class labels are the integer codes 0..nClasses-1 (stored as numbers in
 * the Float64Array target); `predictProba` is row-major nRows × nClasses (empty for regression).
 */
export interface FittedModel {
  readonly task: Task;
  /** Number of classes (1 for regression). */
  readonly nClasses: number;
  predict(x: DataMatrix): Float64Array;
  predictProba(x: DataMatrix): Float64Array;
}

/** A model that can rank its input columns (coefficients, importances). */
export interface HasCoefficients {
  /**
   * One non-negative importance per input DataMatrix column, in column order. Linear models
   * report |coef| summed over classes (and over the one-hot levels of a categorical column).
   */
  featureImportances(): Float64Array;
}

/** Common learner signature so AutoML can drive any estimator. */
export type FitFunction<O, M extends FittedModel = FittedModel> = (
  x: DataMatrix,
  y: Float64Array,
  options: O,
) => M;

/** Infers the task from a target: 2 integer levels → binary, ≥3 → multiclass. */
export function countClasses(y: Float64Array): number {
  let max = -1;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < 0) {
      throw new RangeError(`class labels must be integer codes >= 0, got ${v} at row ${i}`);
    }
    if (v > max) max = v;
  }
  return max + 1;
}
