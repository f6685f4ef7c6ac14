import type { FittedModel } from '../core/estimator';
import type { DataMatrix } from '../core/matrix';
import { Random } from '../core/random';
import { fitDesign } from '../linear/design';
import { type Fold, kFold, stratifiedKFold } from '../model-selection/folds';
import { takeValues } from '../model-selection/cross-validate';
import { checkControl, TrainingAbortedError, type TrainControl } from '../trees/types';
import { CostCalibrator, estimateRun, MIN_BUDGET_MS } from './cost-model';
import { type EnsembleEntry, ensembleMembers, scoreEnsembles } from './ensemble-selection';
import {
  fitMetaLearner,
  stackingFeatures,
  StackingEnsembleModel,
  VotingEnsembleModel,
} from './ensembles';
import { AutoMlRefusalReason, AutoMlRefusedError, type AutoMlEstimate } from './errors';
import {
  type EvaluatedCandidate,
  type LeaderboardEntry,
  publicEntry,
  rankEntries,
} from './leaderboard';
import {
  type Candidate,
  type Learner,
  type LearnerName,
  LEARNERS,
  type ProblemShape,
} from './learners';
import { type AutoMlTarget, detectProblem, type ProblemType } from './problem-type';
import {
  type AutoMlMetric,
  meanAndStd,
  metricFor,
  modelOutput,
  outputWidth,
  scoreOutput,
} from './scoring';
import { CandidateGenerator } from './candidate-generator';

export interface AutoMlProgress {
  readonly phase: 'search' | 'refit' | 'done';
  readonly candidatesEvaluated: number;
  readonly elapsedMs: number;
  readonly bestScore: number;
  readonly bestLearner?: LearnerName;
}

export interface AutoMlOptions {
  /**
   * 'budget' (default): search until `timeBudgetMs` is spent; the whole run ends within ±10 %
   * of it. 'reproducible': evaluate exactly `maxCandidates` candidates, never look at the clock
   * (no deadlines), so the same seed and data give the same leaderboard and model bytes.
   */
  readonly mode?: 'budget' | 'reproducible';
  readonly timeBudgetMs?: number;
  readonly maxCandidates?: number;
  readonly seed?: number;
  /** Cross-validation folds (default 5; stratified and shuffled for classification). */
  readonly folds?: number;
  /** Restrict the portfolio (default: every learner that supports the task). */
  readonly learners?: readonly LearnerName[];
  /** Refuse up front when the predicted peak memory is above this. */
  readonly maxMemoryBytes?: number;
  /** Try soft voting and stacking (default true); kept only when they beat the best single. */
  readonly ensemble?: boolean;
  /** Most learner families in an ensemble (default 5). */
  readonly ensembleSize?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: AutoMlProgress) => void;
}

export type WinnerKind = 'single' | 'soft-voting' | 'stacking';

export interface AutoMlResult {
  readonly problem: ProblemType;
  readonly metric: AutoMlMetric;
  readonly featureNames: readonly string[];
  /** Best first. */
  readonly leaderboard: readonly LeaderboardEntry[];
  /** Best soft-voting and stacking ensembles found (empty when disabled or < 2 families). */
  readonly ensembles: readonly EnsembleEntry[];
  readonly winner: {
    readonly kind: WinnerKind;
    readonly memberIds: readonly number[];
    readonly meanScore: number;
    /**
     * True when a better-scoring ensemble was replaced by the best single model because its
     * refit no longer fitted in the budget.
     */
    readonly ensembleDropped: boolean;
  };
  /** The winner refit on all rows. */
  readonly model: FittedModel;
  /** The estimate made before starting. */
  readonly estimate: AutoMlEstimate;
  readonly timings: {
    readonly searchMs: number;
    readonly refitMs: number;
    readonly totalMs: number;
  };
}

/** Fraction of the budget the run aims to end at (leaves room for timing noise both ways). */
export const AIM_FRACTION = 0.94;
/** Tree learners are stopped at this fraction of the budget whatever happens. */
const HARD_STOP_FRACTION = 1.05;

interface Plan {
  kind: WinnerKind;
  members: EvaluatedCandidate[];
  meanScore: number;
  ensembles: EnsembleEntry[];
}

/**
 * AutoML over the learners of this library: detect the problem, estimate cost and refuse what
 * cannot fit, random-search hyperparameters of every learner family under k-fold CV, score
 * soft-voting and stacking ensembles on the out-of-fold outputs, and refit the winner on all
 * rows. Synchronous and pure (typed arrays in, models out) so it can run in a worker thread.
 */
export function runAutoMl(
  x: DataMatrix,
  target: AutoMlTarget,
  options: AutoMlOptions = {},
): AutoMlResult {
  const t0 = Date.now();
  const reproducible = options.mode === 'reproducible';
  const budget = options.timeBudgetMs ?? 0;
  if (
    reproducible &&
    !(Number.isInteger(options.maxCandidates) && (options.maxCandidates ?? 0) > 0)
  ) {
    throw new RangeError('reproducible mode needs maxCandidates (a positive integer)');
  }
  if (!reproducible && !(budget > 0)) throw new RangeError('budget mode needs timeBudgetMs > 0');
  const { problem, y } = detectProblem(target);
  if (y.length !== x.nRows) throw new RangeError(`target has ${y.length} rows, table ${x.nRows}`);
  const shape: ProblemShape = {
    nRows: x.nRows,
    nColumns: x.nCols,
    nDesignColumns: fitDesign(x.takeRows([])).nFeatures,
    task: problem.task,
    nClasses: problem.nClasses,
  };
  const learners = LEARNERS.filter(
    (l) => l.supports(problem.task) && (options.learners?.includes(l.name) ?? true),
  );
  if (learners.length === 0) throw new RangeError(`no learner for a ${problem.task} problem`);
  const k = options.folds ?? 5;
  const expectedCandidates = reproducible ? (options.maxCandidates ?? 1) : 200;
  const estimate = estimateRun(shape, learners, k, expectedCandidates);
  refuseIfImpossible(estimate, reproducible ? undefined : budget, options.maxMemoryBytes);

  const seed = options.seed ?? 0;
  const rng = new Random(seed);
  const folds: Fold[] =
    problem.task === 'regression'
      ? kFold(x.nRows, { k, shuffle: true, seed })
      : stratifiedKFold(y, { k, shuffle: true, seed });
  const foldData = folds.map((f) => ({
    xTrain: x.takeRows(f.train),
    yTrain: takeValues(y, f.train),
    xTest: x.takeRows(f.test),
    yTest: takeValues(y, f.test),
    fold: f,
  }));
  const metric = metricFor(problem.task);
  const width = outputWidth(problem.task, problem.nClasses);
  const calibrator = new CostCalibrator(shape);
  const generator = new CandidateGenerator(learners, shape, rng.fork(), imbalanced(y, problem));
  const aimAt = t0 + AIM_FRACTION * budget;
  const hardStop = t0 + HARD_STOP_FRACTION * budget;
  const ctx = { task: problem.task, nClasses: problem.nClasses, metric, y, folds };
  const ensembleSize = options.ensembleSize ?? 5;
  const evaluated: EvaluatedCandidate[] = [];
  let plan: Plan | undefined;
  const refitMs = (members: readonly EvaluatedCandidate[]): number =>
    members.reduce((s, m) => s + calibrator.fitMs(m.candidate, x.nRows, 0), 0) + 2;
  const progress = (phase: AutoMlProgress['phase']): void => {
    options.onProgress?.({
      phase,
      candidatesEvaluated: evaluated.length,
      elapsedMs: Date.now() - t0,
      bestScore: plan?.meanScore ?? Number.NaN,
      bestLearner: plan?.members[0]?.learner,
    });
  };

  for (;;) {
    if (options.signal?.aborted) throw new TrainingAbortedError();
    if (reproducible && evaluated.length >= (options.maxCandidates ?? 0)) break;
    const reserve = plan ? refitMs(plan.members) : 0;
    const fits = (c: Candidate): boolean =>
      reproducible ||
      Date.now() +
        k * calibrator.fitMs(c, foldData[0].yTrain.length, foldData[0].yTest.length) +
        reserve +
        calibrator.fitMs(c, x.nRows, 0) <=
        aimAt;
    const candidate = generator.next(fits);
    if (!candidate) break;
    const learner = learners.find((l) => l.name === candidate.learner) as Learner;
    const searchStop = aimAt - reserve;
    const entry = evaluate(evaluated.length, candidate, learner, searchStop);
    // a candidate abandoned half-way (the machine got slower than predicted) ends the search
    if (!entry) break;
    evaluated.push(entry);
    plan = choosePlan();
    progress('search');
    if (!reproducible && Date.now() >= searchStop) break;
  }
  if (evaluated.length === 0 || !plan) {
    throw new AutoMlRefusedError(
      AutoMlRefusalReason.BudgetTooSmall,
      estimate,
      `no candidate could be evaluated within ${budget} ms`,
    );
  }
  const searchMs = Date.now() - t0;

  progress('refit');
  const refitStart = Date.now();
  let finalPlan = plan;
  let ensembleDropped = false;
  // an ensemble that no longer fits in what is left falls back to the best single candidate
  if (
    !reproducible &&
    finalPlan.kind !== 'single' &&
    Date.now() + refitMs(finalPlan.members) > hardStop
  ) {
    const best = rankEntries(evaluated)[0];
    ensembleDropped = true;
    finalPlan = {
      kind: 'single',
      members: [best],
      meanScore: best.meanScore,
      ensembles: plan.ensembles,
    };
  }
  const refitControl: TrainControl = reproducible
    ? { signal: options.signal }
    : { signal: options.signal, deadline: hardStop };
  const members = finalPlan.members.map((m) =>
    (learners.find((l) => l.name === m.learner) as Learner).fit(
      x,
      y,
      shape,
      m.candidate.params,
      refitControl,
    ),
  );
  let model: FittedModel;
  switch (finalPlan.kind) {
    case 'single':
      model = members[0];
      break;
    case 'soft-voting':
      model = new VotingEnsembleModel(problem.task, problem.nClasses, members);
      break;
    case 'stacking': {
      const features = stackingFeatures(
        problem.task,
        problem.nClasses,
        finalPlan.members.map((m) => m.oof),
      );
      const meta = fitMetaLearner(problem.task, problem.nClasses, features, y);
      model = new StackingEnsembleModel(problem.task, problem.nClasses, members, meta);
      break;
    }
  }
  const refitDone = Date.now();
  progress('done');
  return {
    problem,
    metric,
    featureNames: x.names,
    leaderboard: rankEntries(evaluated).map(publicEntry),
    ensembles: finalPlan.ensembles,
    winner: {
      kind: finalPlan.kind,
      memberIds: finalPlan.members.map((m) => m.id),
      meanScore: finalPlan.meanScore,
      ensembleDropped,
    },
    model,
    estimate,
    timings: { searchMs, refitMs: refitDone - refitStart, totalMs: refitDone - t0 },
  };

  function evaluate(
    id: number,
    c: Candidate,
    l: Learner,
    searchStop: number,
  ): EvaluatedCandidate | undefined {
    const oof = new Float64Array(x.nRows * width);
    const scores: number[] = [];
    let truncated = false;
    const start = Date.now();
    for (const fd of foldData) {
      const foldStart = Date.now();
      const predicted = calibrator.fitMs(c, fd.yTrain.length, fd.yTest.length);
      // learners without deadlines cannot be cut short: do not start a fold that cannot end
      // in time (trees shrink to the deadline instead)
      if (!reproducible && l.preprocessing === 'design' && foldStart + predicted > searchStop) {
        return undefined;
      }
      const control: TrainControl = reproducible
        ? { signal: options.signal }
        : {
            signal: options.signal,
            deadline: Math.min(searchStop, foldStart + Math.max(4 * predicted, 50)),
          };
      const model = l.fit(fd.xTrain, fd.yTrain, shape, c.params, control);
      const out = modelOutput(model, fd.xTest);
      const elapsed = Date.now() - foldStart;
      // only tree learners honour deadlines (and keep the trees built so far)
      if (l.preprocessing === 'native' && control.deadline !== undefined && checkControl(control))
        truncated = true;
      calibrator.observe(c, fd.yTrain.length, fd.yTest.length, elapsed);
      fd.fold.test.forEach((row, i) => {
        for (let j = 0; j < width; j++) oof[row * width + j] = out[i * width + j];
      });
      scores.push(scoreOutput(metric, fd.yTest, out, problem.nClasses));
    }
    const fitTimeMs = Date.now() - start;
    const { mean, std } = meanAndStd(scores);
    return {
      id,
      learner: c.learner,
      params: c.params,
      preprocessing: l.preprocessing,
      meanScore: Number.isFinite(mean) ? mean : Number.NEGATIVE_INFINITY,
      stdScore: std,
      foldScores: scores,
      fitTimeMs,
      truncated,
      candidate: c,
      oof,
      foldFitMs: fitTimeMs / k,
    };
  }

  /** The best single candidate, replaced by an ensemble only when its CV score is higher. */
  function choosePlan(): Plan {
    const best = rankEntries(evaluated)[0];
    const single: Plan = {
      kind: 'single',
      members: [best],
      meanScore: best.meanScore,
      ensembles: [],
    };
    if (options.ensemble === false) return single;
    const members = ensembleMembers(evaluated, ensembleSize);
    const key = members.map((m) => m.id).join(',');
    // scoring ensembles costs a few meta-learner fits: only redo it when the members change
    if (
      plan &&
      plan.ensembles.length > 0 &&
      plan.ensembles[plan.ensembles.length - 1].memberIds.join(',') === key
    ) {
      return pickPlan(single, plan.ensembles);
    }
    return pickPlan(single, scoreEnsembles(ctx, members));
  }

  function pickPlan(single: Plan, ensembles: EnsembleEntry[]): Plan {
    let chosen: Plan = { ...single, ensembles };
    for (const e of ensembles) {
      if (e.meanScore > chosen.meanScore) {
        chosen = {
          kind: e.kind,
          members: e.memberIds.map((id) => evaluated[id]),
          meanScore: e.meanScore,
          ensembles,
        };
      }
    }
    return chosen;
  }
}

function refuseIfImpossible(
  estimate: AutoMlEstimate,
  budgetMs: number | undefined,
  maxMemoryBytes: number | undefined,
): void {
  if (maxMemoryBytes !== undefined && estimate.memoryBytes > maxMemoryBytes) {
    throw new AutoMlRefusedError(
      AutoMlRefusalReason.MemoryLimit,
      estimate,
      `AutoML needs about ${mb(estimate.memoryBytes)} MB, above the ${mb(maxMemoryBytes)} MB limit`,
    );
  }
  if (budgetMs === undefined) return;
  const needed = Math.max(estimate.minimumMs / AIM_FRACTION, MIN_BUDGET_MS);
  if (budgetMs < needed) {
    throw new AutoMlRefusedError(
      AutoMlRefusalReason.BudgetTooSmall,
      estimate,
      `a useful search needs about ${Math.ceil(needed)} ms (one cross-validation pass of the cheapest learner and of the smallest boosted model, and a refit), the budget is ${budgetMs} ms`,
    );
  }
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

/** Smallest class below a quarter of the largest: tree candidates also try balanced weights. */
function imbalanced(y: Float64Array, problem: ProblemType): boolean {
  if (problem.task === 'regression') return false;
  const counts = new Float64Array(problem.nClasses);
  for (const v of y) counts[v]++;
  return Math.min(...counts) < Math.max(...counts) / 4;
}
