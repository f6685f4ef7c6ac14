import type { Task } from '../core/estimator';
import type { LogisticRegressionModel } from '../linear/logistic';
import type { RidgeModel } from '../linear/ridge';
import { type Fold, kFold, stratifiedKFold, trainTestSplit } from '../model-selection/folds';
import type { EnsembleEntry } from './ensemble-selection';
import { fitMetaLearner, stackingFeatures } from './ensembles';
import { type AutoMlMetric, meanAndStd, modelOutput, scoreOutput, takeOutputRows } from './scoring';

/** Default fraction of the rows held out to fit the blending meta-learner. */
export const BLENDING_HOLDOUT = 0.2;
/** Fewest hold-out rows per inner fold for a regression blend to be scored. */
const MIN_ROWS_PER_INNER_FOLD = 10;

/**
 * Seeded hold-out split for blending (stratified for classification): `train` fits the
 * members, `test` is the hold-out the meta-learner learns from. Undefined when the hold-out
 * could not be cross-validated (see {@link blendingInnerFolds}) or would leave a class out of
 * the members' rows.
 */
export function blendingSplit(
  y: Float64Array,
  task: Task,
  nClasses: number,
  fraction: number,
  innerK: number,
  seed: number,
): { split: Fold; innerFolds: Fold[] } | undefined {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError('blendingHoldout must be in (0, 1)');
  if (y.length < 4) return undefined;
  const split = trainTestSplit(y.length, {
    testSize: fraction,
    stratify: task === 'regression' ? undefined : y,
    seed,
  });
  if (task !== 'regression') {
    const inPart = new Float64Array(nClasses);
    for (const i of split.train) inPart[y[i]]++;
    if (inPart.some((c) => c === 0)) return undefined;
  }
  const yHold = Float64Array.from(split.test, (i) => y[i]);
  const innerFolds = blendingInnerFolds(yHold, task, nClasses, innerK, seed);
  return innerFolds ? { split, innerFolds } : undefined;
}

/**
 * Folds over the hold-out rows that score the meta-learner honestly: it is fit on the other
 * folds' hold-out rows and scored on the fold's, and no member ever saw a hold-out row.
 * k = min(`innerK`, the rarest class's hold-out count) for classification (every class in
 * every fold, ≥ 2 folds), min(`innerK`, rows / 10) for regression; undefined below 2.
 */
export function blendingInnerFolds(
  yHold: Float64Array,
  task: Task,
  nClasses: number,
  innerK: number,
  seed: number,
): Fold[] | undefined {
  if (task === 'regression') {
    const k = Math.min(innerK, Math.floor(yHold.length / MIN_ROWS_PER_INNER_FOLD));
    return k >= 2 ? kFold(yHold.length, { k, shuffle: true, seed }) : undefined;
  }
  const counts = new Float64Array(nClasses);
  for (const v of yHold) counts[v]++;
  const k = Math.min(innerK, ...counts);
  return k >= 2 ? stratifiedKFold(yHold, { k, shuffle: true, seed }) : undefined;
}

export interface BlendingScore {
  /** The blend as an ensemble entry: inner-fold scores on the hold-out. */
  readonly entry: EnsembleEntry;
  /** Meta-learner fit on every hold-out row (used by the final model). */
  readonly meta: LogisticRegressionModel | RidgeModel;
}

/**
 * Scores a blend from the members' outputs on the hold-out (members fit on the other rows,
 * best member first): the meta-learner is cross-validated over the hold-out rows with
 * `innerFolds`, and the best member's outputs are scored on the same folds, so the two are
 * compared on the same rows by models that never saw them.
 */
export function scoreBlending(
  ctx: { readonly task: Task; readonly nClasses: number; readonly metric: AutoMlMetric },
  memberIds: readonly number[],
  holdOutputs: readonly Float64Array[],
  yHold: Float64Array,
  innerFolds: readonly Fold[],
): BlendingScore {
  const { task, nClasses, metric } = ctx;
  const width = task === 'regression' ? 1 : nClasses;
  const features = stackingFeatures(task, nClasses, holdOutputs);
  const blendScores: number[] = [];
  const singleScores: number[] = [];
  for (const fold of innerFolds) {
    const yTrain = Float64Array.from(fold.train, (i) => yHold[i]);
    const yTest = Float64Array.from(fold.test, (i) => yHold[i]);
    const meta = fitMetaLearner(task, nClasses, features.takeRows(fold.train), yTrain);
    blendScores.push(
      scoreOutput(metric, yTest, modelOutput(meta, features.takeRows(fold.test)), nClasses),
    );
    singleScores.push(
      scoreOutput(metric, yTest, takeOutputRows(holdOutputs[0], width, fold.test), nClasses),
    );
  }
  const blend = meanAndStd(blendScores);
  const single = meanAndStd(singleScores);
  return {
    entry: {
      kind: 'blending',
      memberIds,
      meanScore: Number.isFinite(blend.mean) ? blend.mean : Number.NEGATIVE_INFINITY,
      stdScore: blend.std,
      foldScores: blendScores,
      holdout: {
        rows: yHold.length,
        folds: innerFolds.length,
        bestSingleMeanScore: single.mean,
        bestSingleFoldScores: singleScores,
      },
    },
    meta: fitMetaLearner(task, nClasses, features, yHold),
  };
}
