import { accuracyOf, r2Of, syntheticData } from '../trees/synthetic';
import { fitRandomForest } from './random-forest';

function halves(data: ReturnType<typeof syntheticData>) {
  const n = data.y.length;
  const a = Int32Array.from({ length: n / 2 }, (_, i) => i);
  const b = Int32Array.from({ length: n / 2 }, (_, i) => n / 2 + i);
  return {
    x: data.x.takeRows(a),
    y: data.y.slice(0, n / 2),
    xt: data.x.takeRows(b),
    yt: data.y.slice(n / 2),
  };
}

describe('fitRandomForest', () => {
  it('should classify with a random forest and report a sensible out-of-bag score', () => {
    const s = halves(syntheticData('binary', 2000, 8, 1));
    const model = fitRandomForest(s.x, s.y, { task: 'binary', nEstimators: 30, oobScore: true });
    const acc = accuracyOf(s.yt, model.predict(s.xt));
    expect(acc).toBeGreaterThan(0.85);
    expect(model.oobScore).toBeDefined();
    expect(Math.abs(model.oobScore! - acc)).toBeLessThan(0.05);
    const p = model.predictProba(s.xt);
    for (let i = 0; i < 10; i++) expect(p[2 * i] + p[2 * i + 1]).toBeCloseTo(1, 12);
  });

  it('should fit regression with random forests and extra trees', () => {
    const s = halves(syntheticData('regression', 2000, 6, 2));
    const rf = fitRandomForest(s.x, s.y, { task: 'regression', nEstimators: 30, oobScore: true });
    const et = fitRandomForest(s.x, s.y, { task: 'regression', nEstimators: 30, extraTrees: true });
    expect(r2Of(s.yt, rf.predict(s.xt))).toBeGreaterThan(0.75);
    expect(r2Of(s.yt, et.predict(s.xt))).toBeGreaterThan(0.75);
    expect(rf.oobScore!).toBeGreaterThan(0.7);
    expect(et.kind).toBe('extra-trees');
  });

  it('should grow pure leaves on training data without bootstrap', () => {
    const data = syntheticData('multiclass', 600, 5, 3, { nClasses: 3 });
    const model = fitRandomForest(data.x, data.y, {
      task: 'multiclass',
      nEstimators: 3,
      bootstrap: false,
      maxFeatures: 1.0,
    });
    expect(accuracyOf(data.y, model.predict(data.x))).toBe(1);
  });

  it('should respect maxDepth and handle missing values', () => {
    const data = syntheticData('binary', 1000, 5, 4, { missingRate: 0.2 });
    const model = fitRandomForest(data.x, data.y, { task: 'binary', nEstimators: 10, maxDepth: 3 });
    for (const tree of model.trees) expect(tree.nNodes).toBeLessThanOrEqual(15);
    expect(accuracyOf(data.y, model.predict(data.x))).toBeGreaterThan(0.65);
  });

  it('should be reproducible from the seed', () => {
    const data = syntheticData('binary', 500, 5, 5);
    const a = fitRandomForest(data.x, data.y, {
      task: 'binary',
      nEstimators: 5,
      seed: 9,
    }).predictProba(data.x);
    const b = fitRandomForest(data.x, data.y, {
      task: 'binary',
      nEstimators: 5,
      seed: 9,
    }).predictProba(data.x);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});
