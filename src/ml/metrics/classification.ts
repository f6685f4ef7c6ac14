/**
 * Label-based classification metrics. Labels are numeric class codes (as stored in a
 * Float64Array target). Definitions follow scikit-learn 1.2 (`sklearn.metrics`), including
 * `zero_division=0` behaviour when a class is never predicted or never present.
 */

export type Average = 'binary' | 'macro' | 'weighted';

function checkLengths(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw new RangeError(`length mismatch: ${a.length} vs ${b.length}`);
  }
  if (a.length === 0) throw new RangeError('empty input');
}

/** Sorted union of the labels that occur in either array. */
export function uniqueLabels(...arrays: ArrayLike<number>[]): number[] {
  const set = new Set<number>();
  for (const a of arrays) for (let i = 0; i < a.length; i++) set.add(a[i]);
  return [...set].sort((p, q) => p - q);
}

/** Fraction of exact matches (sklearn `accuracy_score`). */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkLengths(yTrue, yPred);
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / yTrue.length;
}

export interface ConfusionMatrix {
  /** Class labels, ascending; row i / column j refer to labels[i] / labels[j]. */
  readonly labels: number[];
  /** counts[i][j] = number of samples with true label i predicted as j. */
  readonly counts: number[][];
}

/** Confusion matrix with rows = true labels, columns = predictions (sklearn convention). */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  labels: number[] = uniqueLabels(yTrue, yPred),
): ConfusionMatrix {
  checkLengths(yTrue, yPred);
  const index = new Map<number, number>();
  labels.forEach((l, i) => index.set(l, i));
  const counts = labels.map(() => labels.map(() => 0));
  for (let i = 0; i < yTrue.length; i++) {
    const r = index.get(yTrue[i]);
    const c = index.get(yPred[i]);
    if (r !== undefined && c !== undefined) counts[r][c]++;
  }
  return { labels, counts };
}

/**
 * Mean of per-class recall over the classes present in `yTrue`
 * (sklearn `balanced_accuracy_score`, adjusted=False).
 */
export function balancedAccuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const { labels, counts } = confusionMatrix(yTrue, yPred);
  let sum = 0;
  let present = 0;
  for (let k = 0; k < labels.length; k++) {
    const support = counts[k].reduce((s, v) => s + v, 0);
    if (support === 0) continue;
    sum += counts[k][k] / support;
    present++;
  }
  return sum / present;
}

export interface PrecisionRecallF1 {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface PrfOptions {
  /** 'binary' reports the positive class only (default); macro / weighted average over labels. */
  readonly average?: Average;
  /** Positive class for average='binary' (default 1). */
  readonly positiveLabel?: number;
}

/**
 * Precision, recall and F1 (sklearn `precision_recall_fscore_support`). Per-class values are
 * 0 when undefined (zero_division=0). Macro averages per-class values (F1 is the mean of
 * per-class F1, not the F1 of mean precision/recall); weighted uses true-class support.
 */
export function precisionRecallF1(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: PrfOptions = {},
): PrecisionRecallF1 {
  const average = options.average ?? 'binary';
  const { labels, counts } = confusionMatrix(yTrue, yPred);
  const perClass = labels.map((_, k) => {
    let predicted = 0;
    let support = 0;
    for (let j = 0; j < labels.length; j++) {
      predicted += counts[j][k];
      support += counts[k][j];
    }
    const tp = counts[k][k];
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1, support };
  });
  if (average === 'binary') {
    const pos = options.positiveLabel ?? 1;
    const k = labels.indexOf(pos);
    if (k < 0) return { precision: 0, recall: 0, f1: 0 };
    const { precision, recall, f1 } = perClass[k];
    return { precision, recall, f1 };
  }
  let wSum = 0;
  const acc = { precision: 0, recall: 0, f1: 0 };
  for (const c of perClass) {
    const w = average === 'macro' ? 1 : c.support;
    acc.precision += w * c.precision;
    acc.recall += w * c.recall;
    acc.f1 += w * c.f1;
    wSum += w;
  }
  if (wSum === 0) return { precision: 0, recall: 0, f1: 0 };
  return { precision: acc.precision / wSum, recall: acc.recall / wSum, f1: acc.f1 / wSum };
}

export function precision(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options?: PrfOptions,
): number {
  return precisionRecallF1(yTrue, yPred, options).precision;
}

export function recall(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options?: PrfOptions,
): number {
  return precisionRecallF1(yTrue, yPred, options).recall;
}

export function f1Score(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options?: PrfOptions,
): number {
  return precisionRecallF1(yTrue, yPred, options).f1;
}
