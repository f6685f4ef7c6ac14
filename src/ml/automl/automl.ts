import type { FittedModel } from '../core/estimator';
import type { DataMatrix } from '../core/matrix';
import { Random } from '../core/random';
import { fitDesign } from '../linear/design';
import { type Fold, kFold, stratifiedKFold } from '../model-selection/folds';
import { takeValues } from '../model-selection/cross-validate';
import { checkControl, TrainingAbortedError, type TrainControl } from '../trees/types';
import { CostCalibrator, estimateRun, MIN_BUDGET_MS } from './cost-model';
import type { LogisticRegressionModel } from '../linear/logistic';
import type { RidgeModel } from '../linear/ridge';
import { BLENDING_HOLDOUT, blendingSplit, scoreBlending } from './blending';
import {
  type EnsembleEntry,
  type EnsembleKind,
  ensembleMembers,
  scoreEnsembles,
} from './ensemble-selection';
import {
  BlendingEnsembleModel,
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
import {
  foldsWithin,
  HALVING_ETA,
  type HalvingBracket,
  type HalvingRung,
  rungCounts,
  rungMasks,
  rungSizes,
  topIndices,
} from './successive-halving';

/** Candidates abandoned one after the other (each ran out of time) before the search stops. */
const MAX_ABANDONED_IN_A_ROW = 3;

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
  /**
   * Ensembles to try, each kept only when it beats the best single model: true (default) =
   * soft voting and stacking, false = none, or a list of 'soft-voting' | 'stacking' |
   * 'blending'. Blending holds out `blendingHoldout` of the rows (seeded, stratified for
   * classification), fits the members on the rest and the meta-learner on the hold-out
   * outputs (see blending.ts); it costs one extra fit per member, done once after the search.
   */
  readonly ensemble?: boolean | readonly EnsembleKind[];
  /** Fraction of the rows blending holds out for its meta-learner (default 0.2). */
  readonly blendingHoldout?: number;
  /** Most learner families in an ensemble (default 5). */
  readonly ensembleSize?: number;
  /**
   * Hyperparameter search after the default round. 'random': seeded random search (each draw
   * shrunk until it fits). 'successive-halving': one bracket (many draws on a row subsample,
   * the best 1/η promoted to η times the rows, survivors cross-validated on all rows), then
   * random search with what is left. 'auto' (default): successive halving in budget mode when
   * what is left after the defaults buys fewer than {@link HALVING_TIGHT} full evaluations of
   * a typical draw, random search otherwise (and always in reproducible mode, whose results
   * stay as they were; ask for 'successive-halving' explicitly there).
   */
  readonly search?: 'auto' | 'random' | 'successive-halving';
  /** Reduction factor of successive halving (default 3). */
  readonly halvingEta?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: AutoMlProgress) => void;
}

/** 'auto' search uses successive halving when fewer full evaluations than this fit. */
export const HALVING_TIGHT = 8;
/** Most survivors (candidates evaluated on all rows) of a budget-sized bracket. */
const HALVING_MAX_SURVIVORS = 4;

export interface AutoMlSearchSummary {
  readonly strategy: 'random' | 'successive-halving';
  /** The successive-halving bracket, when one ran. */
  readonly bracket?: HalvingBracket;
}

export type WinnerKind = 'single' | EnsembleKind;

export interface AutoMlResult {
  readonly problem: ProblemType;
  readonly metric: AutoMlMetric;
  readonly featureNames: readonly string[];
  /** Best first. */
  readonly leaderboard: readonly LeaderboardEntry[];
  /**
   * Best soft-voting and stacking ensembles found, then the blend when asked for and scored
   * (empty when disabled or < 2 families).
   */
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
  /** How hyperparameters were searched. */
  readonly search: AutoMlSearchSummary;
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

interface FoldData {
  readonly xTrain: DataMatrix;
  readonly yTrain: Float64Array;
  readonly xTest: DataMatrix;
  readonly yTest: Float64Array;
  readonly fold: Fold;
}

interface Plan {
  kind: WinnerKind;
  members: EvaluatedCandidate[];
  meanScore: number;
  ensembles: EnsembleEntry[];
  /** Blending: the meta-learner fit on the hold-out outputs. */
  meta?: LogisticRegressionModel | RidgeModel;
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
  const foldDataOf = (fs: readonly Fold[]): FoldData[] =>
    fs.map((f) => ({
      xTrain: x.takeRows(f.train),
      yTrain: takeValues(y, f.train),
      xTest: x.takeRows(f.test),
      yTest: takeValues(y, f.test),
      fold: f,
    }));
  const foldData = foldDataOf(folds);
  const metric = metricFor(problem.task);
  const width = outputWidth(problem.task, problem.nClasses);
  const calibrator = new CostCalibrator(shape);
  const generator = new CandidateGenerator(learners, shape, rng.fork(), imbalanced(y, problem));
  const aimAt = t0 + AIM_FRACTION * budget;
  const hardStop = t0 + HARD_STOP_FRACTION * budget;
  const ctx = { task: problem.task, nClasses: problem.nClasses, metric, y, folds };
  const ensembleSize = options.ensembleSize ?? 5;
  const ensembleKinds: readonly EnsembleKind[] =
    options.ensemble === false
      ? []
      : options.ensemble === true || options.ensemble === undefined
        ? ['soft-voting', 'stacking']
        : options.ensemble;
  const blending = ensembleKinds.includes('blending');
  const blendFraction = options.blendingHoldout ?? BLENDING_HOLDOUT;
  const blendData = blending
    ? blendingSplit(y, problem.task, problem.nClasses, blendFraction, k, seed)
    : undefined;
  const evaluated: EvaluatedCandidate[] = [];
  let plan: Plan | undefined;
  /** The blend, once scored: its members stay fixed, it competes with every later plan. */
  let blended:
    | {
        entry: EnsembleEntry;
        meta: LogisticRegressionModel | RidgeModel;
        members: EvaluatedCandidate[];
      }
    | undefined;
  const refitMs = (members: readonly EvaluatedCandidate[]): number =>
    members.reduce((s, m) => s + calibrator.fitMs(m.candidate, x.nRows, 0), 0) + 2;
  /** True until the blend has been scored (or skipped). */
  let blendPending = blendData !== undefined;
  /** A candidate's fit on the rows blending does not hold out (0 once blending is done). */
  const blendPartMs = (c: Candidate): number =>
    blendData && blendPending
      ? calibrator.fitMs(c, blendData.split.train.length, blendData.split.test.length)
      : 0;
  /**
   * Blending after the search: the members' fits on the non-held-out rows, then their refit. A
   * member's fit there is measured already: one CV fold's fit and prediction (k−1)/k of the rows
   * and the blend's on 1 − `blendingHoldout` of them (the same at the defaults).
   */
  const blendMs = (members: readonly EvaluatedCandidate[]): number =>
    blendData && members.length >= 2
      ? members.reduce(
          (s, m) => s + (m.foldFitMs * blendData.split.train.length) / foldData[0].yTrain.length,
          0,
        ) + refitMs(members)
      : 0;
  /**
   * What a candidate adds after the search if it wins or joins the blend: its refit, plus its
   * blending fit when blending is asked for (a new family joins the blend's members).
   */
  const ownMs = (c: Candidate): number => calibrator.fitMs(c, x.nRows, 0) + blendPartMs(c);
  /** Time kept back from the search for what follows it (refit; blending while still due). */
  const reserveMs = (): number =>
    plan
      ? Math.max(
          refitMs(plan.members),
          blendPending ? blendMs(ensembleMembers(evaluated, ensembleSize)) : 0,
        )
      : 0;
  const progress = (phase: AutoMlProgress['phase']): void => {
    options.onProgress?.({
      phase,
      candidatesEvaluated: evaluated.length,
      elapsedMs: Date.now() - t0,
      bestScore: plan?.meanScore ?? Number.NaN,
      bestLearner: plan?.members[0]?.learner,
    });
  };

  const strategy = options.search ?? 'auto';
  const eta = options.halvingEta ?? HALVING_ETA;
  if (!(Number.isInteger(eta) && eta >= 2))
    throw new RangeError('halvingEta must be an integer >= 2');
  let bracket: HalvingBracket | undefined;
  let bracketTried = false;
  let abandonedInARow = 0;
  /**
   * The search would stop here: blend first (once); in budget mode the search then goes on
   * with what is left, since the time it reserved for blending may not all have been needed.
   */
  const stopSearch = (): boolean => {
    if (!blendPending || !blendData || !plan) return true;
    blendPending = false;
    runBlending(blendData);
    return reproducible;
  };
  for (;;) {
    if (options.signal?.aborted) throw new TrainingAbortedError();
    if (reproducible && evaluated.length >= (options.maxCandidates ?? 0)) {
      stopSearch();
      break;
    }
    const halving = strategy === 'successive-halving' || (strategy === 'auto' && !reproducible);
    if (!bracketTried && halving && generator.firstRoundDone) {
      bracketTried = true;
      bracket = runBracket(strategy === 'auto');
      if (bracket) continue;
    }
    const reserve = reserveMs();
    const fits = (c: Candidate): boolean =>
      reproducible ||
      Date.now() +
        k * calibrator.fitMs(c, foldData[0].yTrain.length, foldData[0].yTest.length) +
        reserve +
        ownMs(c) <=
        aimAt;
    const candidate = generator.next(fits);
    if (!candidate) {
      if (stopSearch()) break;
      continue;
    }
    const learner = learners.find((l) => l.name === candidate.learner) as Learner;
    const searchStop = aimAt - reserve - blendPartMs(candidate);
    const entry = evaluate(evaluated.length, candidate, learner, searchStop, foldData);
    if (!entry) {
      // Abandoned half-way (the machine got slower than predicted): try cheaper draws while time
      // is left, so one slow fold does not end the search early; a few in a row end it.
      abandonedInARow += 1;
      if (abandonedInARow >= MAX_ABANDONED_IN_A_ROW || Date.now() >= searchStop) {
        stopSearch();
        break;
      }
      continue;
    }
    abandonedInARow = 0;
    evaluated.push(entry);
    plan = choosePlan();
    progress('search');
    if (!reproducible && Date.now() >= searchStop && stopSearch()) break;
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
    case 'blending':
      model = new BlendingEnsembleModel(
        problem.task,
        problem.nClasses,
        members,
        finalPlan.meta as LogisticRegressionModel | RidgeModel,
      );
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
    search: { strategy: bracket ? 'successive-halving' : 'random', bracket },
    timings: { searchMs, refitMs: refitDone - refitStart, totalMs: refitDone - t0 },
  };

  function evaluate(
    id: number,
    c: Candidate,
    l: Learner,
    searchStop: number,
    data: readonly FoldData[],
  ): EvaluatedCandidate | undefined {
    const oof = new Float64Array(x.nRows * width);
    const scores: number[] = [];
    let truncated = false;
    const start = Date.now();
    for (const fd of data) {
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
      foldFitMs: fitTimeMs / data.length,
    };
  }

  /**
   * Blending (once, when the search would stop): the ensemble members are fit on the
   * non-held-out rows and the meta-learner is cross-validated over their hold-out outputs (see
   * blending.ts); see {@link withBlend} for when it wins. Skipped in budget mode when it and the
   * refit are predicted to end after the budget (the search reserved their time before the aim).
   */
  function runBlending(data: NonNullable<typeof blendData>): void {
    const members = ensembleMembers(evaluated, ensembleSize);
    if (members.length < 2) return;
    // the search kept this time back, but measured costs may have grown since: allow the
    // blend to end up to the budget itself (the aim is below it to absorb such noise)
    const blendStop = t0 + budget;
    if (!reproducible && Date.now() + blendMs(members) > blendStop) return;
    const xPart = x.takeRows(data.split.train);
    const yPart = takeValues(y, data.split.train);
    const xHold = x.takeRows(data.split.test);
    const control: TrainControl = reproducible
      ? { signal: options.signal }
      : { signal: options.signal, deadline: blendStop - refitMs(members) };
    const outputs = members.map((m) => {
      if (options.signal?.aborted) throw new TrainingAbortedError();
      const l = learners.find((candidate) => candidate.name === m.learner) as Learner;
      return modelOutput(l.fit(xPart, yPart, shape, m.candidate.params, control), xHold);
    });
    const { entry, meta } = scoreBlending(
      { task: problem.task, nClasses: problem.nClasses, metric },
      members.map((m) => m.id),
      outputs,
      takeValues(y, data.split.test),
      data.innerFolds,
    );
    blended = { entry, meta, members };
    plan = withBlend(plan as Plan);
  }

  /**
   * The plan with the blend (when scored) added to its ensembles, and as the winner when its
   * hold-out score beats both the best member's on the same hold-out folds (the honest, paired
   * comparison) and the plan's own CV score (so it beats whatever would win otherwise).
   */
  function withBlend(p: Plan): Plan {
    if (!blended) return p;
    const { entry, meta, members } = blended;
    const ensembles = [...p.ensembles, entry];
    const wins =
      entry.meanScore > (entry.holdout?.bestSingleMeanScore ?? Number.POSITIVE_INFINITY) &&
      entry.meanScore > p.meanScore;
    return wins
      ? { kind: 'blending', members, meanScore: entry.meanScore, ensembles, meta }
      : { ...p, ensembles };
  }

  /** Predicted time of cross-validating `c` on the given folds. */
  function cvMs(c: Candidate, data: readonly FoldData[]): number {
    return data.reduce((s, fd) => s + calibrator.fitMs(c, fd.yTrain.length, fd.yTest.length), 0);
  }

  /**
   * One successive-halving bracket over row subsamples (see successive-halving.ts). Sized by
   * the candidates left (reproducible) or by the time left (budget, at most
   * HALVING_MAX_SURVIVORS survivors); undefined when the table is too small for two rungs,
   * nothing fits, or (`onlyWhenTight`) the time left is not tight.
   */
  function runBracket(onlyWhenTight: boolean): HalvingBracket | undefined {
    const sizes = rungSizes(x.nRows, k, eta);
    const nRungs = sizes.length;
    if (nRungs < 2) return undefined;
    const rungData: FoldData[][] = rungMasks(x.nRows, sizes, seed).map((mask, r) =>
      r === nRungs - 1 ? foldData : foldDataOf(foldsWithin(folds, mask)),
    );
    const perSurvivor = eta ** (nRungs - 1);
    const pool: Candidate[] = [];
    let survivors = 0;
    if (reproducible) {
      survivors = (options.maxCandidates ?? 0) - evaluated.length;
      for (let i = 0; i < survivors * perSurvivor; i++) pool.push(generator.draw());
    } else {
      const reserve = reserveMs();
      const available = aimAt - reserve - Date.now();
      const mean = (cs: readonly Candidate[], r: number): number =>
        cs.reduce((s, c) => s + cvMs(c, rungData[r]), 0) / cs.length;
      // every rung at the pool's mean cost (which draws survive is not known yet), plus the
      // refit of a mean survivor; each evaluation is checked again against the clock
      const bracketMs = (cs: readonly Candidate[], nSurvivors: number): number => {
        const counts = rungCounts(nSurvivors, nRungs, eta);
        let cost = cs.reduce((t, c) => t + calibrator.fitMs(c, x.nRows, 0), 0) / cs.length;
        for (let r = 0; r < nRungs; r++) cost += counts[r] * mean(cs, r);
        return cost;
      };
      while (survivors < HALVING_MAX_SURVIVORS) {
        let draws = Array.from({ length: perSurvivor }, () => generator.draw());
        if (
          onlyWhenTight &&
          survivors === 0 &&
          available >= HALVING_TIGHT * mean(draws, nRungs - 1)
        ) {
          return undefined;
        }
        // the first survivor's draws shrink (boosting iterations, trees) until the bracket
        // fits, as a random draw would; later survivors are added only while it fits as drawn
        while (survivors === 0 && bracketMs(draws, 1) > available) {
          const smaller = draws.map((c) => generator.shrink(c) ?? c);
          if (smaller.every((c, i) => c === draws[i])) break;
          draws = smaller;
        }
        if (bracketMs([...pool, ...draws], survivors + 1) > available) break;
        pool.push(...draws);
        survivors++;
      }
    }
    if (survivors <= 0) return undefined;
    const counts = rungCounts(survivors, nRungs, eta);
    const rungs: HalvingRung[] = [];
    const leaderboardIds: number[] = [];
    let alive = pool.map((_, i) => i);
    for (let r = 0; r < nRungs; r++) {
      const final = r === nRungs - 1;
      const scores: number[] = [];
      for (const index of alive) {
        if (options.signal?.aborted) throw new TrainingAbortedError();
        let c: Candidate | undefined = pool[index];
        const reserve = reserveMs();
        const affordable = (cand: Candidate): boolean =>
          reproducible ||
          Date.now() + cvMs(cand, rungData[r]) + reserve + (final ? ownMs(cand) : 0) <= aimAt;
        // a survivor that no longer fits is shrunk like a random draw would be
        while (c && !affordable(c)) c = final ? generator.shrink(c) : undefined;
        const learner = c && learners.find((l) => l.name === c?.learner);
        const entry =
          c && learner
            ? evaluate(
                final ? evaluated.length : -1,
                c,
                learner,
                aimAt - reserve - (final ? blendPartMs(c) : 0),
                rungData[r],
              )
            : undefined;
        scores.push(entry ? entry.meanScore : Number.NEGATIVE_INFINITY);
        if (final && entry) {
          evaluated.push(entry);
          leaderboardIds.push(entry.id);
          plan = choosePlan();
          progress('search');
        }
      }
      const promoted = final
        ? []
        : topIndices(alive, scores, counts[r + 1]).filter(
            (index) => scores[alive.indexOf(index)] > Number.NEGATIVE_INFINITY,
          );
      rungs.push({ rows: sizes[r], evaluated: alive, scores, promoted });
      alive = promoted;
      if (alive.length === 0) break;
    }
    return { eta, configurations: pool, rungs, leaderboardIds };
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
    if (!ensembleKinds.some((kind) => kind !== 'blending')) return withBlend(single);
    const members = ensembleMembers(evaluated, ensembleSize);
    const key = members.map((m) => m.id).join(',');
    // scoring ensembles costs a few meta-learner fits: only redo it when the members change
    const scored = plan?.ensembles.filter((e) => e.kind !== 'blending') ?? [];
    if (scored.length > 0 && scored[scored.length - 1].memberIds.join(',') === key) {
      return withBlend(pickPlan(single, scored));
    }
    return withBlend(pickPlan(single, scoreEnsembles(ctx, members, ensembleKinds)));
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
