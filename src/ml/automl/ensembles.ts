import type { FittedModel, Task } from '../core/estimator';
import { DataMatrix, type NumericColumn } from '../core/matrix';
import { argmaxRows, fitLogistic, type LogisticRegressionModel } from '../linear/logistic';
import { fitRidge, type RidgeModel } from '../linear/ridge';
import type { Fold } from '../model-selection/folds';
import { modelOutput, outputWidth } from './scoring';

/** Soft voting: the mean of the members' probabilities (or predictions for regression). */
export class VotingEnsembleModel implements FittedModel {
  readonly kind = 'soft-voting';

  constructor(
    readonly task: Task,
    readonly nClasses: number,
    readonly members: readonly FittedModel[],
  ) {}

  predictProba(x: DataMatrix): Float64Array {
    if (this.task === 'regression') return new Float64Array(0);
    return averageOutputs(this.members.map((m) => modelOutput(m, x)));
  }

  predict(x: DataMatrix): Float64Array {
    if (this.task === 'regression') return averageOutputs(this.members.map((m) => m.predict(x)));
    return argmaxRows(this.predictProba(x), this.nClasses);
  }
}

/** Members plus a logistic / ridge meta-learner applied to the members' outputs. */
abstract class MetaLearnerEnsemble implements FittedModel {
  constructor(
    readonly task: Task,
    readonly nClasses: number,
    readonly members: readonly FittedModel[],
    readonly meta: LogisticRegressionModel | RidgeModel,
  ) {}

  predictProba(x: DataMatrix): Float64Array {
    if (this.task === 'regression') return new Float64Array(0);
    return this.meta.predictProba(this.metaFeatures(x));
  }

  predict(x: DataMatrix): Float64Array {
    return this.meta.predict(this.metaFeatures(x));
  }

  private metaFeatures(x: DataMatrix): DataMatrix {
    return stackingFeatures(
      this.task,
      this.nClasses,
      this.members.map((m) => modelOutput(m, x)),
    );
  }
}

/**
 * Stacking (Wolpert 1992): a logistic (classification) or ridge (regression) meta-learner fit
 * on the members' out-of-fold outputs, applied to the members' outputs at prediction time.
 */
export class StackingEnsembleModel extends MetaLearnerEnsemble {
  readonly kind = 'stacking';
}

/**
 * Blending: the same shape as stacking, but the meta-learner was fit on the members' outputs
 * on a held-out part of the rows (members fit on the rest), not on out-of-fold outputs; the
 * members are then refit on all rows (see blending.ts).
 */
export class BlendingEnsembleModel extends MetaLearnerEnsemble {
  readonly kind = 'blending';
}

export type EnsembleModel = VotingEnsembleModel | StackingEnsembleModel | BlendingEnsembleModel;

export function averageOutputs(outputs: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(outputs[0].length);
  for (const o of outputs) for (let i = 0; i < out.length; i++) out[i] += o[i];
  for (let i = 0; i < out.length; i++) out[i] /= outputs.length;
  return out;
}

/**
 * Meta-learner inputs: per member P(class 1) for binary (the other column is redundant), all K
 * probabilities for multiclass, the prediction for regression.
 */
export function stackingFeatures(
  task: Task,
  nClasses: number,
  outputs: readonly Float64Array[],
): DataMatrix {
  const width = outputWidth(task, nClasses);
  const columns: NumericColumn[] = [];
  outputs.forEach((o, m) => {
    const n = o.length / width;
    const classes = task === 'binary' ? [1] : Array.from({ length: width }, (_, k) => k);
    for (const k of classes) {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = o[i * width + k];
      columns.push({ kind: 'numeric', name: `m${m}_${k}`, values });
    }
  });
  return new DataMatrix(columns);
}

export function fitMetaLearner(
  task: Task,
  nClasses: number,
  features: DataMatrix,
  y: Float64Array,
): LogisticRegressionModel | RidgeModel {
  return task === 'regression'
    ? fitRidge(features, y, { alpha: 1 })
    : fitLogistic(features, y, { C: 1, nClasses });
}

/**
 * Out-of-fold outputs of the stacking meta-learner: for each fold, the meta-learner is fit on
 * the members' out-of-fold outputs of the other folds' rows. The members' outputs themselves
 * come from the same folds, so this is the usual (slightly optimistic) stacking estimate.
 */
export function stackingOutOfFold(
  task: Task,
  nClasses: number,
  memberOof: readonly Float64Array[],
  y: Float64Array,
  folds: readonly Fold[],
): Float64Array {
  const width = outputWidth(task, nClasses);
  const features = stackingFeatures(task, nClasses, memberOof);
  const out = new Float64Array(y.length * width);
  for (const fold of folds) {
    const yTrain = Float64Array.from(fold.train, (i) => y[i]);
    const meta = fitMetaLearner(task, nClasses, features.takeRows(fold.train), yTrain);
    const pred = modelOutput(meta, features.takeRows(fold.test));
    fold.test.forEach((row, i) => {
      for (let k = 0; k < width; k++) out[row * width + k] = pred[i * width + k];
    });
  }
  return out;
}
