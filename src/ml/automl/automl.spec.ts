import { loadDataset } from '../../../test/fixtures/ml/trees/load-fixture';
import { accuracy } from '../metrics';
import { trainTestSplit } from '../model-selection/folds';
import { TrainingAbortedError } from '../trees/types';
import {
  AIM_FRACTION,
  type AutoMlResult,
  AutoMlRefusalReason,
  AutoMlRefusedError,
  autoMlInputFromColumns,
  detectProblem,
  runAutoMl,
  serializeAutoMlModel,
} from './index';

const breastCancer = loadDataset('breast_cancer');
const wine = loadDataset('wine');
const diabetes = loadDataset('diabetes');

/** Leaderboard without the wall-clock fields, which no run can reproduce. */
function reproducibleView(result: AutoMlResult): unknown {
  return {
    leaderboard: result.leaderboard.map(({ fitTimeMs: _t, ...rest }) => rest),
    ensembles: result.ensembles,
    winner: result.winner,
  };
}

function expectEnsembleKeptOnlyWhenBetter(result: AutoMlResult): void {
  const bestSingle = result.leaderboard[0].meanScore;
  const bestEnsemble = Math.max(...result.ensembles.map((e) => e.meanScore));
  const ensembleWins = bestEnsemble > bestSingle && !result.winner.ensembleDropped;
  expect(result.winner.kind === 'single').toBe(!ensembleWins);
  expect(result.winner.meanScore).toBe(ensembleWins ? bestEnsemble : bestSingle);
  const scores = result.leaderboard.map((e) => e.meanScore);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
}

describe('problem detection', () => {
  it('should detect binary, multiclass and regression targets and say why', () => {
    const binary = detectProblem({ kind: 'values', values: breastCancer.y }).problem;
    expect(binary).toMatchObject({ task: 'binary', nClasses: 2, classLabels: ['0', '1'] });
    expect(binary.reason).toMatch(/2 distinct values/);
    expect(detectProblem({ kind: 'values', values: wine.y }).problem).toMatchObject({
      task: 'multiclass',
      nClasses: 3,
    });
    const regression = detectProblem({ kind: 'values', values: diabetes.y }).problem;
    expect(regression.task).toBe('regression');
    expect(regression.reason).toMatch(/more than 20 distinct values/);
    expect(
      detectProblem({ kind: 'values', values: Float64Array.from([0.5, 1, 0.5, 1]) }).problem.task,
    ).toBe('regression');
  });

  it('should build a table and a class target from raw columns with text and gaps', () => {
    const { x, target } = autoMlInputFromColumns(
      {
        size: [1, '2.5', null, 4],
        colour: ['red', 'blue', '', 'red'],
        label: ['yes', 'no', 'maybe', 'yes'],
      },
      'label',
    );
    expect(x.columns.map((c) => c.kind)).toEqual(['numeric', 'categorical']);
    expect(x.get(2, 0)).toBeNaN();
    expect(x.get(2, 1)).toBeNaN();
    const { problem, y } = detectProblem(target);
    expect(problem).toMatchObject({ task: 'multiclass', classLabels: ['yes', 'no', 'maybe'] });
    expect([...y]).toEqual([0, 1, 2, 0]);
  });
});

describe('up-front refusal', () => {
  it('should refuse a 50 ms budget on breast cancer with its estimate, before training', () => {
    const started = Date.now();
    let error: unknown;
    try {
      runAutoMl(breastCancer.x, { kind: 'values', values: breastCancer.y }, { timeBudgetMs: 50 });
    } catch (e) {
      error = e;
    }
    expect(Date.now() - started).toBeLessThan(100);
    expect(error).toBeInstanceOf(AutoMlRefusedError);
    const refused = error as AutoMlRefusedError;
    expect(refused.reason).toBe(AutoMlRefusalReason.BudgetTooSmall);
    expect(refused.estimate.minimumMs).toBeGreaterThan(50);
    expect(refused.estimate.perLearnerMs['hist-gradient-boosting']).toBeGreaterThan(0);
    expect(refused.message).toContain(`${Math.ceil(refused.estimate.minimumMs / AIM_FRACTION)} ms`);
  });

  it('should refuse when the predicted memory is above the limit', () => {
    const run = (): AutoMlResult =>
      runAutoMl(
        breastCancer.x,
        { kind: 'values', values: breastCancer.y },
        { timeBudgetMs: 60_000, maxMemoryBytes: 1_000_000 },
      );
    expect(run).toThrow(AutoMlRefusedError);
    expect(run).toThrow(/MB, above the 1.0 MB limit/);
  });
});

describe('time budget', () => {
  it.each([
    ['breast cancer (binary)', breastCancer],
    ['diabetes (regression)', diabetes],
  ])('should end a 5 s run on %s within 10 %% of the budget', (_label, data) => {
    const phases: string[] = [];
    const started = Date.now();
    const result = runAutoMl(
      data.x,
      { kind: 'values', values: data.y },
      // 5 s rather than less: the refit's duration is predicted from fits measured under
      // whatever load the machine has, and that error is absolute, not relative to the budget.
      { timeBudgetMs: 5000, seed: 3, onProgress: (p) => phases.push(p.phase) },
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(4500);
    expect(elapsed).toBeLessThanOrEqual(5500);
    expect(result.leaderboard.length).toBeGreaterThanOrEqual(3);
    expect(phases[phases.length - 1]).toBe('done');
    expectEnsembleKeptOnlyWhenBetter(result);
  });

  it('should refit a model that predicts held-out breast cancer rows with accuracy >= 0.93', () => {
    const split = trainTestSplit(breastCancer.y.length, {
      testSize: 0.25,
      stratify: breastCancer.y,
      seed: 5,
    });
    const yTrain = Float64Array.from(split.train, (i) => breastCancer.y[i]);
    const result = runAutoMl(
      breastCancer.x.takeRows(split.train),
      { kind: 'values', values: yTrain },
      { timeBudgetMs: 2500, seed: 5 },
    );
    expect(result.problem.task).toBe('binary');
    expect(result.metric).toBe('roc-auc');
    const predicted = result.model.predict(breastCancer.x.takeRows(split.test));
    const yTest = Float64Array.from(split.test, (i) => breastCancer.y[i]);
    expect(accuracy(yTest, predicted)).toBeGreaterThanOrEqual(0.93);
  });

  it('should stop on an aborted signal', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() =>
      runAutoMl(
        wine.x,
        { kind: 'values', values: wine.y },
        { timeBudgetMs: 2000, signal: controller.signal },
      ),
    ).toThrow(TrainingAbortedError);
  });
});

describe('reproducible mode', () => {
  it('should give the same leaderboard and byte-identical model twice when an ensemble wins', () => {
    const run = (): AutoMlResult =>
      runAutoMl(
        wine.x,
        { kind: 'values', values: wine.y },
        {
          mode: 'reproducible',
          maxCandidates: 6,
          seed: 11,
          learners: ['gaussian-nb', 'logistic', 'knn', 'random-forest'],
        },
      );
    const a = run();
    const b = run();
    expect(a.leaderboard).toHaveLength(6);
    expect(a.winner.kind).not.toBe('single');
    expect(reproducibleView(b)).toEqual(reproducibleView(a));
    const bytes = serializeAutoMlModel(a.model);
    expect(Buffer.from(serializeAutoMlModel(b.model)).equals(Buffer.from(bytes))).toBe(true);
    expectEnsembleKeptOnlyWhenBetter(a);
    expect(accuracy(wine.y, a.model.predict(wine.x))).toBeGreaterThan(0.95);
  });

  it('should give the same leaderboard and byte-identical model twice when a single model wins', () => {
    const run = (): AutoMlResult =>
      runAutoMl(
        diabetes.x,
        { kind: 'values', values: diabetes.y },
        {
          mode: 'reproducible',
          maxCandidates: 5,
          seed: 2,
          learners: ['ridge', 'knn', 'hist-gradient-boosting'],
        },
      );
    const a = run();
    const b = run();
    expect(a.winner.kind).toBe('single');
    expect(a.ensembles.length).toBeGreaterThan(0);
    expect(reproducibleView(b)).toEqual(reproducibleView(a));
    expect(
      Buffer.from(serializeAutoMlModel(b.model)).equals(Buffer.from(serializeAutoMlModel(a.model))),
    ).toBe(true);
    expectEnsembleKeptOnlyWhenBetter(a);
  });

  it('should give a different leaderboard for a different seed', () => {
    const run = (seed: number): AutoMlResult =>
      runAutoMl(
        wine.x,
        { kind: 'values', values: wine.y },
        { mode: 'reproducible', maxCandidates: 5, seed, learners: ['logistic', 'knn'] },
      );
    expect(reproducibleView(run(1))).not.toEqual(reproducibleView(run(2)));
  });
});
