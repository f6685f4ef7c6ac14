import { binaryCurve } from './ranking';

/**
 * Decision-threshold tuning for binary scores. A sample is predicted positive when
 * score >= threshold; candidate thresholds are the distinct scores. When several thresholds
 * reach the same optimum the largest one is returned (fewest positives).
 */
export interface ThresholdChoice {
  readonly threshold: number;
  /** Value of the criterion at that threshold (F1, Youden's J or expected cost). */
  readonly value: number;
}

/**
 * 2×2 cost matrix indexed [true][predicted] with 0 = negative, 1 = positive:
 * [[cost TN, cost FP], [cost FN, cost TP]].
 */
export type CostMatrix = readonly [readonly [number, number], readonly [number, number]];

type Criterion = (tp: number, fp: number, fn: number, tn: number) => number;

function scan(
  yTrue: ArrayLike<number>,
  score: ArrayLike<number>,
  criterion: Criterion,
  maximise: boolean,
  positiveLabel: number,
): ThresholdChoice {
  const pos = Array.from({ length: yTrue.length }, (_, i) => yTrue[i] === positiveLabel);
  const steps = binaryCurve(pos, score);
  const P = steps[steps.length - 1].tp;
  const N = steps[steps.length - 1].fp;
  let best: ThresholdChoice | undefined;
  // steps run from the highest threshold down, so a strict comparison keeps the largest on ties
  for (const s of steps) {
    const v = criterion(s.tp, s.fp, P - s.tp, N - s.fp);
    if (best === undefined || (maximise ? v > best.value : v < best.value)) {
      best = { threshold: s.threshold, value: v };
    }
  }
  if (best === undefined) throw new RangeError('empty input');
  return best;
}

/** Threshold maximising F1 of the positive class. */
export function maxF1Threshold(
  yTrue: ArrayLike<number>,
  score: ArrayLike<number>,
  positiveLabel = 1,
): ThresholdChoice {
  return scan(
    yTrue,
    score,
    (tp, fp, fn) => (tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn)),
    true,
    positiveLabel,
  );
}

/** Threshold maximising Youden's J = TPR − FPR (Youden 1950, Cancer 3:32–35). */
export function youdenThreshold(
  yTrue: ArrayLike<number>,
  score: ArrayLike<number>,
  positiveLabel = 1,
): ThresholdChoice {
  return scan(
    yTrue,
    score,
    (tp, fp, fn, tn) => (tp + fn === 0 ? 0 : tp / (tp + fn)) - (fp + tn === 0 ? 0 : fp / (fp + tn)),
    true,
    positiveLabel,
  );
}

/** Threshold minimising the mean cost per sample under a 2×2 cost matrix. */
export function minCostThreshold(
  yTrue: ArrayLike<number>,
  score: ArrayLike<number>,
  cost: CostMatrix,
  positiveLabel = 1,
): ThresholdChoice {
  const n = yTrue.length;
  return scan(
    yTrue,
    score,
    (tp, fp, fn, tn) => (tn * cost[0][0] + fp * cost[0][1] + fn * cost[1][0] + tp * cost[1][1]) / n,
    false,
    positiveLabel,
  );
}
