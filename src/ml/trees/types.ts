import type {
  FittedModel as EstimatorModel,
  HasCoefficients,
  Task as EstimatorTask,
} from '../core/estimator';

/** What a fitted model predicts (the shared `src/ml/core/estimator` task). */
export type Task = EstimatorTask;

/**
 * The shared estimator shape (`src/ml/core/estimator.ts`) plus what tree models add: a kind tag
 * (for persistence), the training column names and split-gain feature importances.
 * `predict` gives the regression value or the class index (as a float); `predictProba` gives
 * row-major probabilities, nRows × nClasses (empty for regression).
 */
export interface FittedModel extends EstimatorModel, HasCoefficients {
  readonly kind: string;
  readonly featureNames: readonly string[];
}

/** Progress of an iterative fit, reported once per boosting iteration or tree. */
export interface TrainProgress {
  readonly iteration: number;
  readonly total: number;
  readonly validationLoss?: number;
}

/** Cancellation and reporting shared by every learner in this library. */
export interface TrainControl {
  /** Wall-clock deadline (ms since epoch, as Date.now()); training stops and keeps what it has. */
  readonly deadline?: number;
  /** Aborting throws {@link TrainingAbortedError}; checked once per tree. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TrainProgress) => void;
}

export class TrainingAbortedError extends Error {
  constructor(message = 'training aborted') {
    super(message);
    this.name = 'TrainingAbortedError';
  }
}

export class InvalidTrainingInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTrainingInputError';
  }
}

/** Throws if aborted; returns true when the deadline has passed. */
export function checkControl(control: TrainControl | undefined): boolean {
  if (control?.signal?.aborted) throw new TrainingAbortedError();
  return control?.deadline !== undefined && Date.now() >= control.deadline;
}

/** Infers the task from targets: non-integer or many distinct values means regression. */
export function classCount(y: Float64Array): number {
  let max = -1;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < 0) {
      throw new InvalidTrainingInputError(
        `class labels must be integers 0..K-1, got ${v} at row ${i}`,
      );
    }
    if (v > max) max = v;
  }
  return max + 1;
}
