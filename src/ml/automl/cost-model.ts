import type { AutoMlEstimate } from './errors';
import type { Candidate, Learner, LearnerName, ProblemShape } from './learners';
import { learnerByName } from './learners';

/**
 * Milliseconds per work unit of each learner (see `Learner.workUnits`), measured on the 2-core
 * development machine by timing the
 * default candidates on breast_cancer, wine, digits and diabetes (one 4/5 fold fit plus
 * predicting the fifth; medians of three, under the usual load of a shared machine). During a search these are corrected by the measured fits (see
 * {@link CostCalibrator}), so they only need to be right within a small factor.
 */
export const MS_PER_UNIT: Readonly<Record<LearnerName, number>> = {
  'hist-gradient-boosting': 4e-5,
  'random-forest': 1.5e-4,
  'extra-trees': 2e-4,
  logistic: 4e-5,
  ridge: 1e-4,
  knn: 2e-5,
  'gaussian-nb': 3e-4,
};

/** Fixed cost of any fit (allocation, design building, JIT warm-up effects), in ms. */
export const FIT_OVERHEAD_MS = 2;

/**
 * The shortest budget for which ±10 % can be promised: below it, one garbage-collection pause
 * or timer tick is already a tenth of the budget.
 */
export const MIN_BUDGET_MS = 250;

/** Learns a per-learner correction (measured / predicted) from the fits of the running search. */
export class CostCalibrator {
  private readonly ratio = new Map<LearnerName, number>();

  constructor(private readonly shape: ProblemShape) {}

  /** Predicted time of fitting on nTrain rows and predicting nPredict rows. */
  fitMs(candidate: Candidate, nTrain: number, nPredict: number): number {
    const learner = learnerByName(candidate.learner);
    const base =
      learner.workUnits(this.shape, nTrain, nPredict, candidate.params) *
        MS_PER_UNIT[learner.name] +
      FIT_OVERHEAD_MS;
    return base * (this.ratio.get(learner.name) ?? 1);
  }

  /** Records a measured fit; the correction is a running geometric mean, clamped to [1/20, 20]. */
  observe(candidate: Candidate, nTrain: number, nPredict: number, measuredMs: number): void {
    const learner = learnerByName(candidate.learner);
    const base =
      learner.workUnits(this.shape, nTrain, nPredict, candidate.params) *
        MS_PER_UNIT[learner.name] +
      FIT_OVERHEAD_MS;
    const observed = Math.min(20, Math.max(1 / 20, Math.max(measuredMs, 0.05) / base));
    const previous = this.ratio.get(learner.name);
    this.ratio.set(
      learner.name,
      previous === undefined ? observed : Math.sqrt(previous * observed),
    );
  }
}

/** Bytes of the input table as stored (8 per numeric cell, 4 per categorical code). */
export function tableBytes(shape: ProblemShape): number {
  return shape.nRows * shape.nColumns * 8;
}

/**
 * Up-front estimate. The minimum useful run compares a simple model with a boosted one: one
 * k-fold pass of the cheapest learner's default candidate and of the smallest candidate of the
 * first iterative learner (its resource halved to the floor, e.g. 20 boosting iterations), plus
 * the refit of the dearer of the two on all rows. `perLearnerMs` gives each learner's default
 * k-fold pass for information. Memory: the table and one copy of the folds (train + test), the
 * largest default model twice (fold model and refit), and the out-of-fold outputs kept for
 * `keptCandidates` candidates.
 */
export function estimateRun(
  shape: ProblemShape,
  learners: readonly Learner[],
  folds: number,
  keptCandidates: number,
): AutoMlEstimate {
  const calibrator = new CostCalibrator(shape);
  const nTest = Math.ceil(shape.nRows / folds);
  const nTrain = shape.nRows - nTest;
  const cvMs = (c: Candidate): number => folds * calibrator.fitMs(c, nTrain, nTest);
  const perLearnerMs: Record<string, number> = {};
  let cheapest: Candidate | undefined;
  let largestModel = 0;
  for (const learner of learners) {
    const candidate = { learner: learner.name, params: learner.defaults(shape) };
    perLearnerMs[learner.name] = cvMs(candidate);
    if (cheapest === undefined || cvMs(candidate) < cvMs(cheapest)) cheapest = candidate;
    largestModel = Math.max(
      largestModel,
      learner.memoryBytes(shape, shape.nRows, candidate.params),
    );
  }
  const minimal = (cheapest ? [cheapest] : []).concat(smallestIterative(shape, learners) ?? []);
  const minimumMs = minimal.reduce(
    (sum, c) => sum + cvMs(c),
    Math.max(0, ...minimal.map((c) => calibrator.fitMs(c, shape.nRows, 0))),
  );
  const width = shape.task === 'regression' ? 1 : shape.nClasses;
  const memoryBytes =
    2 * tableBytes(shape) + 2 * largestModel + keptCandidates * shape.nRows * width * 8;
  return { minimumMs, memoryBytes: Math.ceil(memoryBytes), perLearnerMs };
}

function smallestIterative(
  shape: ProblemShape,
  learners: readonly Learner[],
): Candidate | undefined {
  const learner = learners.find((l) => l.shrink !== undefined);
  if (!learner?.shrink) return undefined;
  let params = learner.defaults(shape);
  for (let next = learner.shrink(params); next; next = learner.shrink(params)) params = next;
  return { learner: learner.name, params };
}
