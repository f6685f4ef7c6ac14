import { loadDataset } from '../../../test/fixtures/ml/trees/load-fixture';
import { stratifiedKFold } from '../model-selection/folds';
import {
  type AutoMlResult,
  foldsWithin,
  type LearnerName,
  learnerByName,
  meanAndStd,
  modelOutput,
  type ProblemShape,
  rungCounts,
  rungMasks,
  rungSizes,
  runAutoMl,
  scoreOutput,
  serializeAutoMlModel,
  topIndices,
} from './index';

const breastCancer = loadDataset('breast_cancer');

describe('successive-halving helpers', () => {
  it('should shrink rungs by eta while every test fold keeps 20 rows', () => {
    expect(rungSizes(569, 5, 3)).toEqual([189, 569]);
    expect(rungSizes(2000, 5, 3)).toEqual([222, 666, 2000]);
    expect(rungSizes(2000, 5, 2, 4)).toEqual([250, 500, 1000, 2000]);
    expect(rungSizes(150, 5, 3)).toEqual([150]);
    expect(rungCounts(2, 3, 3)).toEqual([18, 6, 2]);
  });

  it('should draw nested rung subsamples of the right sizes', () => {
    const masks = rungMasks(1000, [111, 333, 1000], 7);
    expect(masks.map((m) => m.reduce((s, v) => s + v, 0))).toEqual([111, 333, 1000]);
    for (let i = 0; i < 1000; i++) {
      expect(masks[0][i] <= masks[1][i] && masks[1][i] <= masks[2][i]).toBe(true);
    }
    expect(Array.from(rungMasks(1000, [111], 8)[0])).not.toEqual(Array.from(masks[0]));
  });

  it('should keep the best scores, earlier index first on ties', () => {
    expect(topIndices([4, 7, 9, 12], [0.5, 0.9, 0.9, 0.1], 2)).toEqual([7, 9]);
    expect(topIndices([4, 7, 9], [0.5, -Infinity, 0.7], 5)).toEqual([9, 4, 7]);
  });
});

describe('successive halving in runAutoMl', () => {
  const learners: LearnerName[] = ['gaussian-nb', 'logistic', 'knn'];
  const run = (): AutoMlResult =>
    runAutoMl(
      breastCancer.x,
      { kind: 'values', values: breastCancer.y },
      { mode: 'reproducible', maxCandidates: 5, seed: 9, learners, search: 'successive-halving' },
    );

  it('should promote the best third to the full rows and stay reproducible', () => {
    const a = run();
    const bracket = a.search.bracket;
    expect(a.search.strategy).toBe('successive-halving');
    expect(bracket).toBeDefined();
    if (!bracket) return;
    // 3 defaults, then 2 survivors on all rows out of 2 · 3 configurations on 189 rows
    expect(a.leaderboard).toHaveLength(5);
    expect(bracket.configurations).toHaveLength(6);
    expect(bracket.rungs.map((r) => r.rows)).toEqual([189, 569]);
    const [first, last] = bracket.rungs;
    expect(first.evaluated).toEqual([0, 1, 2, 3, 4, 5]);
    const ranked = [...first.scores].sort((p, q) => q - p);
    expect(first.promoted.map((i) => first.scores[i])).toEqual(ranked.slice(0, 2));
    expect(last.evaluated).toEqual(first.promoted);
    // the survivors are leaderboard entries cross-validated on every row
    expect(bracket.leaderboardIds).toEqual([3, 4]);
    bracket.leaderboardIds.forEach((id, i) => {
      const entry = a.leaderboard.find((e) => e.id === id);
      expect(entry?.params).toEqual(bracket.configurations[last.evaluated[i]].params);
      expect(entry?.meanScore).toBe(last.scores[i]);
    });

    const b = run();
    expect(b.search).toEqual(a.search);
    expect(b.leaderboard.map(({ fitTimeMs: _t, ...e }) => e)).toEqual(
      a.leaderboard.map(({ fitTimeMs: _t, ...e }) => e),
    );
    expect(
      Buffer.from(serializeAutoMlModel(b.model)).equals(Buffer.from(serializeAutoMlModel(a.model))),
    ).toBe(true);
  });

  it('should score rung configurations by cross-validation on the rung rows only', () => {
    const { search } = run();
    const bracket = search.bracket;
    expect(bracket).toBeDefined();
    if (!bracket) return;
    const y = breastCancer.y;
    const folds = stratifiedKFold(y, { k: 5, shuffle: true, seed: 9 });
    const mask = rungMasks(y.length, [189, 569], 9)[0];
    const shape: ProblemShape = {
      nRows: y.length,
      nColumns: breastCancer.x.nCols,
      nDesignColumns: breastCancer.x.nCols,
      task: 'binary',
      nClasses: 2,
    };
    // recompute every first-rung score from scratch
    const recomputed = bracket.configurations.map((c) => {
      const scores = foldsWithin(folds, mask).map((f) => {
        const yTrain = Float64Array.from(f.train, (i) => y[i]);
        const yTest = Float64Array.from(f.test, (i) => y[i]);
        const model = learnerByName(c.learner).fit(
          breastCancer.x.takeRows(f.train),
          yTrain,
          shape,
          c.params,
          {},
        );
        return scoreOutput(
          'roc-auc',
          yTest,
          modelOutput(model, breastCancer.x.takeRows(f.test)),
          2,
        );
      });
      return meanAndStd(scores).mean;
    });
    expect(recomputed).toEqual(bracket.rungs[0].scores);
  });

  it('should keep a successive-halving run within 10 % of a 5 s budget', () => {
    const started = Date.now();
    const result = runAutoMl(
      breastCancer.x,
      { kind: 'values', values: breastCancer.y },
      {
        timeBudgetMs: 5000,
        seed: 4,
        search: 'successive-halving',
        learners,
      },
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(4500);
    expect(elapsed).toBeLessThanOrEqual(5500);
    expect(result.search.strategy).toBe('successive-halving');
    const rungs = result.search.bracket?.rungs ?? [];
    expect(rungs[0].evaluated.length).toBeGreaterThanOrEqual(3);
    expect(result.search.bracket?.leaderboardIds.length).toBeGreaterThanOrEqual(1);
  });
});
