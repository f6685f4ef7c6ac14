import { fitHistGradientBoosting } from '../boosting/hist-gradient-boosting';
import type { FittedModel, Task } from '../core/estimator';
import type { DataMatrix } from '../core/matrix';
import type { Random } from '../core/random';
import { fitRandomForest } from '../forest/random-forest';
import { fitLogistic } from '../linear/logistic';
import { fitRidge } from '../linear/ridge';
import { fitGaussianNb } from '../naive-bayes/gaussian-nb';
import { fitKnnClassifier, fitKnnRegressor } from '../neighbors/knn';
import type { TrainControl } from '../trees/types';

export type LearnerName =
  | 'hist-gradient-boosting'
  | 'random-forest'
  | 'extra-trees'
  | 'logistic'
  | 'ridge'
  | 'knn'
  | 'gaussian-nb';

/** Hyperparameters of one candidate: plain JSON values so a leaderboard can be stored. */
export type CandidateParams = Readonly<Record<string, number | string | boolean>>;

export interface Candidate {
  readonly learner: LearnerName;
  readonly params: CandidateParams;
}

/** Shape of the training problem, for cost models. */
export interface ProblemShape {
  readonly nRows: number;
  /** DataMatrix columns. */
  readonly nColumns: number;
  /** Columns after one-hot encoding (what linear models, kNN and NB see). */
  readonly nDesignColumns: number;
  readonly task: Task;
  readonly nClasses: number;
}

export interface Learner {
  readonly name: LearnerName;
  /**
   * 'native': gets the DataMatrix as is (missing values and categoricals handled by the trees);
   * 'design': imputes, standardises (where the learner needs it) and one-hot encodes through
   * `linear/fitDesign` inside its fit, so the design is learnt on training rows only.
   */
  readonly preprocessing: 'native' | 'design';
  supports(task: Task): boolean;
  defaults(shape: ProblemShape): CandidateParams;
  sample(rng: Random, shape: ProblemShape): CandidateParams;
  /**
   * The same candidate with half its resource (boosting iterations, trees), or undefined at the
   * floor (20 iterations, 10 trees). Lets a tight budget still try iterative learners.
   */
  shrink?(params: CandidateParams): CandidateParams | undefined;
  /** Abstract work units of one fit plus predicting a fold of `nPredict` rows (see cost-model). */
  workUnits(shape: ProblemShape, nTrain: number, nPredict: number, params: CandidateParams): number;
  /** Bytes the fitted model and its scratch space take beyond the data. */
  memoryBytes(shape: ProblemShape, nTrain: number, params: CandidateParams): number;
  fit(
    x: DataMatrix,
    y: Float64Array,
    shape: ProblemShape,
    params: CandidateParams,
    control: TrainControl,
  ): FittedModel;
}

const num = (params: CandidateParams, key: string): number => params[key] as number;
const logUniform = (rng: Random, lo: number, hi: number): number =>
  Math.exp(Math.log(lo) + rng.next() * (Math.log(hi) - Math.log(lo)));
const pick = <T>(rng: Random, values: readonly T[]): T => values[rng.int(values.length)];
/** Round to 4 significant digits so leaderboards read well and params are stable in JSON. */
const round4 = (v: number): number => Number(v.toPrecision(4));
const outputs = (shape: ProblemShape): number => (shape.task === 'multiclass' ? shape.nClasses : 1);

const histGradientBoosting: Learner = {
  name: 'hist-gradient-boosting',
  preprocessing: 'native',
  supports: () => true,
  defaults: () => ({
    maxIterations: 100,
    learningRate: 0.1,
    maxLeaves: 31,
    minSamplesLeaf: 20,
    l2: 0,
    colsample: 1,
  }),
  sample: (rng) => ({
    maxIterations: pick(rng, [50, 100, 200]),
    learningRate: round4(logUniform(rng, 0.03, 0.3)),
    maxLeaves: pick(rng, [7, 15, 31, 63]),
    minSamplesLeaf: pick(rng, [5, 10, 20, 40]),
    l2: pick(rng, [0, 0.1, 1, 10]),
    colsample: pick(rng, [0.5, 0.8, 1]),
  }),
  // per tree: one pass over the rows per feature, plus histogram scans per leaf (~64 bins)
  shrink: (p) =>
    num(p, 'maxIterations') >= 40
      ? { ...p, maxIterations: Math.floor(num(p, 'maxIterations') / 2) }
      : undefined,
  workUnits: (shape, nTrain, nPredict, p) =>
    num(p, 'maxIterations') *
    outputs(shape) *
    (nTrain * shape.nColumns + num(p, 'maxLeaves') * shape.nColumns * 64 + nPredict * 8),
  memoryBytes: (shape, nTrain, p) =>
    nTrain * (shape.nColumns + 8 * 4 * outputs(shape)) +
    num(p, 'maxIterations') * outputs(shape) * num(p, 'maxLeaves') * 2 * 64,
  fit: (x, y, shape, p, control) =>
    fitHistGradientBoosting(x, y, {
      ...control,
      task: shape.task,
      maxIterations: num(p, 'maxIterations'),
      learningRate: num(p, 'learningRate'),
      maxLeaves: num(p, 'maxLeaves'),
      minSamplesLeaf: num(p, 'minSamplesLeaf'),
      l2: num(p, 'l2'),
      colsampleByTree: num(p, 'colsample'),
      classWeight: p.classWeight === 'balanced' ? 'balanced' : undefined,
      seed: num(p, 'seed'),
    }),
};

function forest(name: 'random-forest' | 'extra-trees'): Learner {
  const extraTrees = name === 'extra-trees';
  // extra trees draw random thresholds: cheaper splits but deeper trees, about the same work
  const mtry = (shape: ProblemShape, p: CandidateParams): number => {
    const f = p.maxFeatures;
    if (f === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(shape.nColumns)));
    return Math.max(1, Math.floor(Number(f) * shape.nColumns));
  };
  return {
    name,
    preprocessing: 'native',
    supports: () => true,
    defaults: (shape) => ({
      nEstimators: 100,
      maxFeatures: shape.task === 'regression' ? 1 : 'sqrt',
      minSamplesLeaf: 1,
    }),
    sample: (rng) => ({
      nEstimators: pick(rng, [50, 100, 200]),
      maxFeatures: pick(rng, ['sqrt', 0.33, 0.6, 1]),
      minSamplesLeaf: pick(rng, [1, 2, 5, 10]),
    }),
    shrink: (p) =>
      num(p, 'nEstimators') >= 20
        ? { ...p, nEstimators: Math.floor(num(p, 'nEstimators') / 2) }
        : undefined,
    workUnits: (_shape, nTrain, nPredict, p) =>
      num(p, 'nEstimators') *
      (nTrain * mtry(_shape, p) * Math.log2(nTrain + 2) * 1 + nPredict * Math.log2(nTrain + 2)),
    memoryBytes: (shape, nTrain, p) =>
      num(p, 'nEstimators') * (nTrain / num(p, 'minSamplesLeaf')) * 2 * (64 + 8 * outputs(shape)),
    fit: (x, y, shape, p, control) =>
      fitRandomForest(x, y, {
        ...control,
        task: shape.task,
        extraTrees,
        nEstimators: num(p, 'nEstimators'),
        maxFeatures: p.maxFeatures === 'sqrt' ? 'sqrt' : num(p, 'maxFeatures'),
        minSamplesLeaf: num(p, 'minSamplesLeaf'),
        classWeight: p.classWeight === 'balanced' ? 'balanced' : undefined,
        seed: num(p, 'seed'),
      }),
  };
}

const logistic: Learner = {
  name: 'logistic',
  preprocessing: 'design',
  supports: (task) => task !== 'regression',
  defaults: () => ({ C: 1 }),
  sample: (rng) => ({ C: round4(logUniform(rng, 1e-3, 1e2)) }),
  workUnits: (shape, nTrain, nPredict) => {
    const rows = shape.task === 'multiclass' ? shape.nClasses : 1;
    const dim = rows * (shape.nDesignColumns + 1);
    // Newton (≤ 600 parameters): ~12 iterations of an n·dim² Hessian plus a dim³ solve;
    // L-BFGS above: a few hundred gradient evaluations of n·dim
    const solve =
      dim <= 600 ? 12 * (nTrain * dim * dim * 0.5 + dim ** 3 / 3) : 300 * nTrain * dim * 4;
    return solve + nPredict * dim;
  },
  memoryBytes: (shape, nTrain) => {
    const dim = outputs(shape) * (shape.nDesignColumns + 1);
    return 8 * (nTrain * shape.nDesignColumns + 2 * dim * dim);
  },
  fit: (x, y, shape, p) => fitLogistic(x, y, { C: num(p, 'C'), nClasses: shape.nClasses }),
};

const ridge: Learner = {
  name: 'ridge',
  preprocessing: 'design',
  supports: (task) => task === 'regression',
  defaults: () => ({ alpha: 1 }),
  sample: (rng) => ({ alpha: round4(logUniform(rng, 1e-3, 1e3)) }),
  workUnits: (shape, nTrain, nPredict) =>
    nTrain * shape.nDesignColumns ** 2 * 0.5 +
    shape.nDesignColumns ** 3 +
    nPredict * shape.nDesignColumns,
  memoryBytes: (shape, nTrain) => 8 * (nTrain * shape.nDesignColumns + shape.nDesignColumns ** 2),
  // standardised, so one alpha grid suits every column scale
  fit: (x, y, _shape, p) => fitRidge(x, y, { alpha: num(p, 'alpha'), standardize: true }),
};

const knn: Learner = {
  name: 'knn',
  preprocessing: 'design',
  supports: () => true,
  defaults: () => ({ k: 5, weights: 'uniform' }),
  sample: (rng) => ({
    k: pick(rng, [3, 5, 7, 11, 15, 25]),
    weights: pick(rng, ['uniform', 'distance']),
  }),
  // brute force: every predicted row against every training row
  workUnits: (shape, nTrain, nPredict) => nTrain * nPredict * (shape.nDesignColumns + 2),
  memoryBytes: (shape, nTrain) => 8 * nTrain * (shape.nDesignColumns + 1),
  fit: (x, y, shape, p) => {
    const options = {
      k: num(p, 'k'),
      weights: p.weights === 'distance' ? 'distance' : 'uniform',
    } as const;
    return shape.task === 'regression'
      ? fitKnnRegressor(x, y, options)
      : fitKnnClassifier(x, y, { ...options, nClasses: shape.nClasses });
  },
};

const gaussianNb: Learner = {
  name: 'gaussian-nb',
  preprocessing: 'design',
  supports: (task) => task !== 'regression',
  defaults: () => ({ varSmoothing: 1e-9 }),
  sample: (rng) => ({ varSmoothing: round4(logUniform(rng, 1e-10, 1e-2)) }),
  workUnits: (shape, nTrain, nPredict) =>
    (nTrain + nPredict * shape.nClasses) * shape.nDesignColumns * 4,
  memoryBytes: (shape, nTrain) => 8 * nTrain * shape.nDesignColumns,
  fit: (x, y, shape, p) =>
    fitGaussianNb(x, y, { varSmoothing: num(p, 'varSmoothing'), nClasses: shape.nClasses }),
};

/** The portfolio, cheapest first (the order the first round tries them in). */
export const LEARNERS: readonly Learner[] = [
  gaussianNb,
  ridge,
  logistic,
  knn,
  histGradientBoosting,
  forest('extra-trees'),
  forest('random-forest'),
];

export function learnerByName(name: LearnerName): Learner {
  const learner = LEARNERS.find((l) => l.name === name);
  if (!learner) throw new RangeError(`unknown learner ${name}`);
  return learner;
}
