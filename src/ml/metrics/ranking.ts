/**
 * Ranking metrics from scores. Ties between scores are handled as in scikit-learn: all
 * samples sharing a score enter the curve at once (one threshold per distinct score).
 */

interface CurveStep {
  /** Cumulative true positives / false positives at this distinct threshold. */
  readonly tp: number;
  readonly fp: number;
  readonly threshold: number;
}

/**
 * Cumulative (tp, fp) at every distinct score, thresholds descending — the same points as
 * sklearn's `_binary_clf_curve`. `positive[i]` says whether sample i is positive.
 */
export function binaryCurve(positive: ArrayLike<boolean>, score: ArrayLike<number>): CurveStep[] {
  const n = score.length;
  if (positive.length !== n) throw new RangeError('length mismatch');
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b] - score[a]);
  const steps: CurveStep[] = [];
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r];
    if (Number.isNaN(score[i])) throw new RangeError('NaN score');
    if (positive[i]) tp++;
    else fp++;
    if (r === n - 1 || score[order[r + 1]] !== score[i])
      steps.push({ tp, fp, threshold: score[i] });
  }
  return steps;
}

function positives(yTrue: ArrayLike<number>, positiveLabel: number): boolean[] {
  return Array.from({ length: yTrue.length }, (_, i) => yTrue[i] === positiveLabel);
}

export interface RocCurve {
  readonly fpr: Float64Array;
  readonly tpr: Float64Array;
  /** Decreasing; the first point (0, 0) has threshold +Infinity. */
  readonly thresholds: Float64Array;
}

/** ROC curve at every distinct score (sklearn `roc_curve` with drop_intermediate=False). */
export function rocCurve(
  yTrue: ArrayLike<number>,
  score: ArrayLike<number>,
  positiveLabel = 1,
): RocCurve {
  const steps = binaryCurve(positives(yTrue, positiveLabel), score);
  const last = steps[steps.length - 1];
  const fpr = new Float64Array(steps.length + 1);
  const tpr = new Float64Array(steps.length + 1);
  const thresholds = new Float64Array(steps.length + 1);
  thresholds[0] = Number.POSITIVE_INFINITY;
  steps.forEach((s, k) => {
    fpr[k + 1] = s.fp / last.fp;
    tpr[k + 1] = s.tp / last.tp;
    thresholds[k + 1] = s.threshold;
  });
  return { fpr, tpr, thresholds };
}

/**
 * Area under the ROC curve by the trapezoidal rule over distinct thresholds (equals the
 * Mann–Whitney U statistic with ties counted ½). sklearn `roc_auc_score` (binary).
 * Hanley & McNeil (1982), Radiology 143:29–36.
 */
export function rocAuc(
  yTrue: ArrayLike<number>,
  score: ArrayLike<number>,
  positiveLabel = 1,
): number {
  const steps = binaryCurve(positives(yTrue, positiveLabel), score);
  const last = steps[steps.length - 1];
  if (last.tp === 0 || last.fp === 0) {
    throw new RangeError('ROC AUC is undefined when only one class is present');
  }
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (const s of steps) {
    area += ((s.fp - prevFp) * (s.tp + prevTp)) / 2;
    prevTp = s.tp;
    prevFp = s.fp;
  }
  return area / (last.tp * last.fp);
}

/**
 * One-vs-rest multiclass ROC AUC, macro-averaged (sklearn `roc_auc_score(multi_class='ovr',
 * average='macro')`). `proba` is row-major n × nClasses; classes are codes 0..nClasses−1.
 */
export function rocAucOvr(
  yTrue: ArrayLike<number>,
  proba: ArrayLike<number>,
  nClasses: number,
): number {
  const n = yTrue.length;
  if (proba.length !== n * nClasses) throw new RangeError('proba must be n × nClasses');
  let sum = 0;
  const col = new Float64Array(n);
  for (let k = 0; k < nClasses; k++) {
    for (let i = 0; i < n; i++) col[i] = proba[i * nClasses + k];
    sum += rocAuc(yTrue, col, k);
  }
  return sum / nClasses;
}

/**
 * Average precision AP = Σₙ (Rₙ − Rₙ₋₁) Pₙ over distinct thresholds (no interpolation),
 * exactly sklearn's `average_precision_score` — the step-wise area under the PR curve.
 */
export function averagePrecision(
  yTrue: ArrayLike<number>,
  score: ArrayLike<number>,
  positiveLabel = 1,
): number {
  const steps = binaryCurve(positives(yTrue, positiveLabel), score);
  const totalPos = steps[steps.length - 1].tp;
  if (totalPos === 0) throw new RangeError('average precision is undefined without positives');
  let ap = 0;
  let prevRecall = 0;
  for (const s of steps) {
    const r = s.tp / totalPos;
    ap += (r - prevRecall) * (s.tp / (s.tp + s.fp));
    prevRecall = r;
  }
  return ap;
}

/** Area under the precision–recall curve, computed as average precision (sklearn's definition). */
export const prAuc = averagePrecision;
