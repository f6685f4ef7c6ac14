import type { Task } from '../core/estimator';

/** What AutoML decided to solve, and why. */
export interface ProblemType {
  readonly task: Task;
  /** 1 for regression. */
  readonly nClasses: number;
  /** Class label of each code 0..nClasses-1 (empty for regression). */
  readonly classLabels: readonly string[];
  /** The rule that decided, in words (shown to the user). */
  readonly reason: string;
}

/** A target given as numbers (task detected) or as class codes with their labels. */
export type AutoMlTarget =
  | { readonly kind: 'values'; readonly values: Float64Array }
  | {
      readonly kind: 'classes';
      readonly codes: ArrayLike<number>;
      readonly labels: readonly string[];
    };

/** At most this many distinct integer values for a numeric target to count as classes. */
export const MAX_CLASSES_FOR_NUMERIC_TARGET = 20;

/**
 * Problem-type rule. Class codes → classification (2 labels binary, more multiclass). A numeric
 * target is classification only when every value is an integer and there are at most
 * {@link MAX_CLASSES_FOR_NUMERIC_TARGET} distinct values, and no more than one per 10 rows
 * (so a count target on a small table stays a regression); otherwise regression.
 * Returns the problem and the target recoded as 0..K-1 codes (classification) or values.
 */
export function detectProblem(target: AutoMlTarget): { problem: ProblemType; y: Float64Array } {
  if (target.kind === 'classes') {
    const k = target.labels.length;
    const y = Float64Array.from(target.codes);
    for (let i = 0; i < y.length; i++) {
      if (!Number.isInteger(y[i]) || y[i] < 0 || y[i] >= k) {
        throw new RangeError(`class code ${y[i]} at row ${i} is not in 0..${k - 1}`);
      }
    }
    if (k < 2) throw new RangeError('a classification target needs at least two labels');
    return {
      problem: {
        task: k === 2 ? 'binary' : 'multiclass',
        nClasses: k,
        classLabels: [...target.labels],
        reason: `target given as ${k} class labels`,
      },
      y,
    };
  }
  const values = target.values;
  const distinct = new Set<number>();
  let allIntegers = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new RangeError(`target of row ${i} is ${v}`);
    if (!Number.isInteger(v)) allIntegers = false;
    if (distinct.size <= MAX_CLASSES_FOR_NUMERIC_TARGET) distinct.add(v);
  }
  const few =
    distinct.size <= MAX_CLASSES_FOR_NUMERIC_TARGET && distinct.size <= values.length / 10;
  if (!allIntegers || !few || distinct.size < 2) {
    return {
      problem: {
        task: 'regression',
        nClasses: 1,
        classLabels: [],
        reason: !allIntegers
          ? 'numeric target with non-integer values'
          : `numeric target with ${distinct.size > MAX_CLASSES_FOR_NUMERIC_TARGET ? `more than ${MAX_CLASSES_FOR_NUMERIC_TARGET}` : distinct.size} distinct values`,
      },
      y: Float64Array.from(values),
    };
  }
  const sorted = [...distinct].sort((a, b) => a - b);
  const codeOf = new Map(sorted.map((v, i) => [v, i]));
  const y = Float64Array.from(values, (v) => codeOf.get(v) ?? 0);
  const k = sorted.length;
  return {
    problem: {
      task: k === 2 ? 'binary' : 'multiclass',
      nClasses: k,
      classLabels: sorted.map(String),
      reason: `integer target with ${k} distinct values (≤ ${MAX_CLASSES_FOR_NUMERIC_TARGET} and ≤ 1 per 10 rows)`,
    },
    y,
  };
}
