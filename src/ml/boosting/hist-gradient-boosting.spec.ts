import { DataMatrix, type Column } from '../core/matrix';
import { Random } from '../core/random';
import { BinMapper } from '../trees/binning';
import { featureColumns, leafIndex, leafIndexBinned } from '../trees/flat-tree';
import { accuracyOf, r2Of, syntheticData } from '../trees/synthetic';
import { TrainingAbortedError } from '../trees/types';
import { fitHistGradientBoosting, xgboostHistDefaults } from './hist-gradient-boosting';

function split<T extends { x: DataMatrix; y: Float64Array }>(data: T, nTrain: number) {
  const train = Int32Array.from({ length: nTrain }, (_, i) => i);
  const test = Int32Array.from({ length: data.y.length - nTrain }, (_, i) => nTrain + i);
  return {
    xTrain: data.x.takeRows(train),
    yTrain: data.y.slice(0, nTrain),
    xTest: data.x.takeRows(test),
    yTest: data.y.slice(nTrain),
  };
}

describe('fitHistGradientBoosting', () => {
  it('should fit a nonlinear regression well', () => {
    const s = split(syntheticData('regression', 3000, 8, 1), 2000);
    const model = fitHistGradientBoosting(s.xTrain, s.yTrain, { task: 'regression' });
    expect(model.nIterations).toBe(100);
    expect(r2Of(s.yTest, model.predict(s.xTest))).toBeGreaterThan(0.85);
    expect(model.predictProba(s.xTest).length).toBe(0);
    const importances = model.featureImportances();
    expect(importances.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(importances[0]).toBeGreaterThan(importances[7]);
  });

  it('should classify binary data and give probabilities that sum to one', () => {
    const s = split(syntheticData('binary', 3000, 8, 2), 2000);
    const model = fitHistGradientBoosting(s.xTrain, s.yTrain, { task: 'binary' });
    expect(accuracyOf(s.yTest, model.predict(s.xTest))).toBeGreaterThan(0.85);
    const p = model.predictProba(s.xTest);
    expect(p.length).toBe(2 * s.yTest.length);
    for (let i = 0; i < s.yTest.length; i++) expect(p[2 * i] + p[2 * i + 1]).toBeCloseTo(1, 12);
  });

  it('should classify multiclass data with one tree per class per iteration', () => {
    const s = split(syntheticData('multiclass', 3000, 6, 3, { nClasses: 4 }), 2000);
    const model = fitHistGradientBoosting(s.xTrain, s.yTrain, {
      task: 'multiclass',
      maxIterations: 50,
    });
    expect(model.trees.length).toBe(200);
    expect(accuracyOf(s.yTest, model.predict(s.xTest))).toBeGreaterThan(0.7);
  });

  it('should route rows identically through raw thresholds and bins', () => {
    const data = syntheticData('regression', 1500, 5, 4, { missingRate: 0.1 });
    const model = fitHistGradientBoosting(data.x, data.y, {
      task: 'regression',
      maxIterations: 10,
    });
    const mapper = BinMapper.fit(data.x);
    const bins = mapper.transform(data.x);
    const cols = featureColumns(data.x);
    const manual = new Float64Array(data.x.nRows).fill(model.initScore[0]);
    for (const tree of model.trees) {
      for (let i = 0; i < data.x.nRows; i++) {
        const leaf = leafIndex(tree, cols, i);
        expect(leaf).toBe(leafIndexBinned(tree, bins, i));
        manual[i] += tree.value[leaf];
      }
    }
    // the blocked, branch-free batch walk must agree with the plain walk
    const batch = model.predictRaw(data.x);
    for (let i = 0; i < manual.length; i++) expect(batch[i]).toBeCloseTo(manual[i], 12);
  });

  it('should learn which side missing values belong on', () => {
    const n = 2000;
    const rng = new Random(5);
    const values = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const missing = rng.next() < 0.3;
      values[i] = missing ? Number.NaN : rng.normal();
      y[i] = missing || values[i] > 1 ? 1 : 0;
    }
    const x = new DataMatrix([{ kind: 'numeric', name: 'a', values }]);
    const model = fitHistGradientBoosting(x, y, { task: 'binary', maxIterations: 20 });
    expect(accuracyOf(y, model.predict(x))).toBe(1);
  });

  it('should split categorical features on category sets', () => {
    const n = 3000;
    const rng = new Random(6);
    const codes = new Int32Array(n);
    const y = new Float64Array(n);
    const positive = new Set([1, 4, 6, 9, 13]);
    for (let i = 0; i < n; i++) {
      codes[i] = rng.next() < 0.05 ? -1 : rng.int(15);
      y[i] = positive.has(codes[i]) || codes[i] === -1 ? 1 : 0;
    }
    const levels = Array.from({ length: 15 }, (_, i) => `c${i}`);
    const column: Column = { kind: 'categorical', name: 'c', codes, levels };
    const x = new DataMatrix([column]);
    // one split per tree (two leaves) is enough when categories are grouped natively
    const model = fitHistGradientBoosting(x, y, {
      task: 'binary',
      maxIterations: 5,
      maxLeaves: 2,
      learningRate: 1,
    });
    expect(accuracyOf(y, model.predict(x))).toBe(1);
  });

  it('should stop early and roll back to the best iteration', () => {
    const s = split(syntheticData('binary', 3000, 8, 7, { noise: 2 }), 2000);
    const model = fitHistGradientBoosting(s.xTrain, s.yTrain, {
      task: 'binary',
      maxIterations: 500,
      learningRate: 0.3,
      earlyStopping: true,
      nIterNoChange: 5,
    });
    expect(model.nIterations).toBeLessThan(500);
    expect(model.validationLoss.length).toBe(model.nIterations + 5);
    const best = Math.min(...model.validationLoss);
    expect(model.validationLoss[model.nIterations - 1]).toBe(best);
  });

  it('should report progress, honour the deadline and throw when aborted', () => {
    const data = syntheticData('regression', 500, 4, 8);
    const seen: number[] = [];
    fitHistGradientBoosting(data.x, data.y, {
      task: 'regression',
      maxIterations: 7,
      onProgress: (p) => seen.push(p.iteration),
    });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const late = fitHistGradientBoosting(data.x, data.y, {
      task: 'regression',
      deadline: Date.now() - 1,
    });
    expect(late.nIterations).toBe(0);
    expect(late.predict(data.x)[0]).toBeCloseTo(
      data.y.reduce((a, b) => a + b, 0) / data.y.length,
      10,
    );
    const controller = new AbortController();
    controller.abort();
    expect(() =>
      fitHistGradientBoosting(data.x, data.y, { task: 'regression', signal: controller.signal }),
    ).toThrow(TrainingAbortedError);
  });

  it('should raise minority recall with balanced class weights', () => {
    const data = syntheticData('regression', 3000, 5, 9, { noise: 1.5 });
    const y = data.y.map((v) => (v > 2.5 ? 1 : 0));
    const recall = (pred: Float64Array): number => {
      let tp = 0;
      let pos = 0;
      for (let i = 0; i < y.length; i++)
        if (y[i] === 1) {
          pos++;
          if (pred[i] === 1) tp++;
        }
      return tp / pos;
    };
    const opts = { task: 'binary' as const, maxIterations: 30, minSamplesLeaf: 50 };
    const plain = fitHistGradientBoosting(data.x, y, opts);
    const weighted = fitHistGradientBoosting(data.x, y, { ...opts, classWeight: 'balanced' });
    expect(recall(weighted.predict(data.x))).toBeGreaterThan(recall(plain.predict(data.x)));
  });

  it('should be reproducible with row and column subsampling', () => {
    const data = syntheticData('binary', 1500, 8, 10);
    const opts = {
      task: 'binary' as const,
      maxIterations: 20,
      subsample: 0.7,
      colsampleByTree: 0.5,
      seed: 3,
    };
    const a = fitHistGradientBoosting(data.x, data.y, opts).predictProba(data.x);
    const b = fitHistGradientBoosting(data.x, data.y, opts).predictProba(data.x);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(
      accuracyOf(data.y, fitHistGradientBoosting(data.x, data.y, opts).predict(data.x)),
    ).toBeGreaterThan(0.85);
  });

  it('should grow depth-wise trees with XGBoost defaults', () => {
    const data = syntheticData('binary', 2000, 6, 11);
    const model = fitHistGradientBoosting(data.x, data.y, {
      task: 'binary',
      ...xgboostHistDefaults(),
    });
    expect(model.initScore[0]).toBe(0);
    for (const tree of model.trees) expect(tree.nNodes).toBeLessThanOrEqual(127);
    expect(accuracyOf(data.y, model.predict(data.x))).toBeGreaterThan(0.95);
  });
});
