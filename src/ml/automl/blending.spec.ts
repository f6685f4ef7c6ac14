import { loadDataset } from '../../../test/fixtures/ml/trees/load-fixture';
import { DataMatrix } from '../core/matrix';
import { fitDesign } from '../linear/design';
import { fitLogistic } from '../linear/logistic';
import { rocAuc } from '../metrics';
import { stratifiedKFold, trainTestSplit } from '../model-selection/folds';
import { syntheticData } from '../trees/synthetic';
import {
  type AutoMlOptions,
  type AutoMlResult,
  BlendingEnsembleModel,
  deserializeAutoMlModel,
  type EnsembleEntry,
  LEARNERS,
  runAutoMl,
  serializeAutoMlModel,
} from './index';

const synthBinary = syntheticData('binary', 400, 5, 1);
const synthRegression = syntheticData('regression', 400, 5, 1);
const cancer = loadDataset('breast_cancer');

const options = (seed: number): AutoMlOptions => ({
  mode: 'reproducible',
  maxCandidates: 4,
  seed,
  learners: ['ridge', 'logistic', 'knn', 'gaussian-nb'],
  ensemble: ['blending'],
});

function blendOf(result: AutoMlResult): EnsembleEntry {
  const blend = result.ensembles.find((e) => e.kind === 'blending');
  if (!blend?.holdout) throw new Error('no blend was scored');
  return blend;
}

/**
 * The blend wins only when it beats the best member on the same hold-out folds and the score
 * of whatever would win otherwise (best single or other ensemble, CV on all rows).
 */
function blendWins(result: AutoMlResult): boolean {
  const blend = blendOf(result);
  const others = [
    result.leaderboard[0].meanScore,
    ...result.ensembles.filter((e) => e.kind !== 'blending').map((e) => e.meanScore),
  ];
  return (
    blend.meanScore > (blend.holdout?.bestSingleMeanScore ?? Infinity) &&
    blend.meanScore > Math.max(...others) &&
    !result.winner.ensembleDropped
  );
}

function bits(a: Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

describe('blending', () => {
  it('should be chosen only when it beats the best member on its hold-out and the CV winner', () => {
    const runs = [
      runAutoMl(synthBinary.x, { kind: 'values', values: synthBinary.y }, options(1)),
      runAutoMl(synthBinary.x, { kind: 'values', values: synthBinary.y }, options(2)),
      runAutoMl(synthRegression.x, { kind: 'values', values: synthRegression.y }, options(1)),
      runAutoMl(synthRegression.x, { kind: 'values', values: synthRegression.y }, options(3)),
    ];
    for (const result of runs) {
      const blend = blendOf(result);
      expect(result.winner.kind === 'blending').toBe(blendWins(result));
      const wins = result.winner.kind === 'blending';
      const single = result.leaderboard[0];
      // the winner is the blend or, when it loses, the best single model (the only other kind)
      expect(result.winner).toEqual({
        kind: wins ? 'blending' : 'single',
        memberIds: wins ? blend.memberIds : [single.id],
        meanScore: wins ? blend.meanScore : single.meanScore,
        ensembleDropped: false,
      });
      expect(result.model instanceof BlendingEnsembleModel).toBe(wins);
      // 20 % held out (rounded up), cross-validated in up to 5 folds
      expect(blend.holdout?.rows).toBe(Math.ceil(0.2 * 400));
      expect(blend.foldScores).toHaveLength(blend.holdout?.folds ?? 0);
    }
    // these seeds give both outcomes, so the rule is exercised both ways
    expect(runs.map((r) => r.winner.kind)).toContain('blending');
    expect(runs.map((r) => r.winner.kind)).toContain('single');
  });

  it('should score the blend on hold-out rows no member saw, like a from-scratch blend', () => {
    const { x, y } = synthBinary;
    const result = runAutoMl(x, { kind: 'values', values: y }, options(1));
    const blend = blendOf(result);
    // rebuild the split, the members and the cross-validated meta-learner by hand
    const split = trainTestSplit(y.length, { testSize: 0.2, stratify: y, seed: 1 });
    const yPart = Float64Array.from(split.train, (i) => y[i]);
    const yHold = Float64Array.from(split.test, (i) => y[i]);
    const shape = {
      nRows: x.nRows,
      nColumns: x.nCols,
      nDesignColumns: fitDesign(x.takeRows([])).nFeatures,
      task: 'binary' as const,
      nClasses: 2,
    };
    const positive = blend.memberIds.map((id) => {
      const entry = result.leaderboard.find((e) => e.id === id);
      const learner = LEARNERS.find((l) => l.name === entry?.learner);
      if (!entry || !learner) throw new Error(`member ${id} not on the leaderboard`);
      const model = learner.fit(x.takeRows(split.train), yPart, shape, entry.params, {});
      const proba = model.predictProba(x.takeRows(split.test));
      return Float64Array.from(split.test, (_, i) => proba[2 * i + 1]);
    });
    const meta = new DataMatrix(
      positive.map((values, m) => ({ kind: 'numeric' as const, name: `m${m}`, values })),
    );
    const counts = [0, 1].map((c) => yHold.filter((v) => v === c).length);
    const folds = stratifiedKFold(yHold, { k: Math.min(5, ...counts), shuffle: true, seed: 1 });
    const blendScores: number[] = [];
    const singleScores: number[] = [];
    for (const fold of folds) {
      const yTest = Float64Array.from(fold.test, (i) => yHold[i]);
      const logistic = fitLogistic(
        meta.takeRows(fold.train),
        Float64Array.from(fold.train, (i) => yHold[i]),
        { C: 1, nClasses: 2 },
      );
      const p = logistic.predictProba(meta.takeRows(fold.test));
      blendScores.push(
        rocAuc(
          yTest,
          Float64Array.from(fold.test, (_, i) => p[2 * i + 1]),
        ),
      );
      singleScores.push(
        rocAuc(
          yTest,
          Float64Array.from(fold.test, (i) => positive[0][i]),
        ),
      );
    }
    expect(blend.foldScores).toEqual(blendScores);
    expect(blend.holdout?.bestSingleFoldScores).toEqual(singleScores);
  });

  it('should give byte-identical blends twice that load back with identical predictions', () => {
    const run = (): AutoMlResult =>
      runAutoMl(synthBinary.x, { kind: 'values', values: synthBinary.y }, options(1));
    const a = run();
    const b = run();
    expect(a.winner.kind).toBe('blending');
    expect(b.winner).toEqual(a.winner);
    expect(b.ensembles).toEqual(a.ensembles);
    const bytes = serializeAutoMlModel(a.model);
    expect(Buffer.from(serializeAutoMlModel(b.model)).equals(Buffer.from(bytes))).toBe(true);
    const loaded = deserializeAutoMlModel(bytes);
    expect(loaded).toBeInstanceOf(BlendingEnsembleModel);
    expect(
      bits(loaded.predictProba(synthBinary.x)).equals(bits(a.model.predictProba(synthBinary.x))),
    ).toBe(true);
    expect(bits(loaded.predict(synthBinary.x)).equals(bits(a.model.predict(synthBinary.x)))).toBe(
      true,
    );
    expect(Buffer.from(serializeAutoMlModel(loaded)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('should round-trip a regression blend (ridge meta-learner) with identical predictions', () => {
    const result = runAutoMl(
      synthRegression.x,
      { kind: 'values', values: synthRegression.y },
      options(1),
    );
    expect(result.winner.kind).toBe('blending');
    const bytes = serializeAutoMlModel(result.model);
    const loaded = deserializeAutoMlModel(bytes);
    expect(loaded).toBeInstanceOf(BlendingEnsembleModel);
    expect(
      bits(loaded.predict(synthRegression.x)).equals(bits(result.model.predict(synthRegression.x))),
    ).toBe(true);
    expect(Buffer.from(serializeAutoMlModel(loaded)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('should end a 5 s run with blending on breast cancer within 10 % of the budget', () => {
    const started = Date.now();
    const result = runAutoMl(
      cancer.x,
      { kind: 'values', values: cancer.y },
      { timeBudgetMs: 5000, seed: 4, ensemble: ['soft-voting', 'stacking', 'blending'] },
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(4500);
    expect(elapsed).toBeLessThanOrEqual(5500);
    expect(result.ensembles.map((e) => e.kind)).toContain('blending');
    expect(result.winner.kind === 'blending').toBe(blendWins(result));
  });
});
