import { type DatasetsFixture, loadStatsFixture } from '../../../test/fixtures/ml/stats/load';
import type { FittedModel } from '../core/estimator';
import { DataMatrix } from '../core/matrix';
import { fitLogistic } from '../linear';
import { correlationFilter, mutualInformation, recursiveFeatureElimination } from './index';

interface FeatureSelectionFixture {
  x: number[][];
  y: number[];
  y_reg: number[];
  mi_classif: number[];
  mi_regression: number[];
  rfe_ranking: number[];
  rfe_support: number[];
  corr_kept_0_9: number[];
}

const fx = loadStatsFixture<FeatureSelectionFixture>('feature_selection');
const data = loadStatsFixture<DatasetsFixture>('datasets');

function maxDiff(a: ArrayLike<number>, b: readonly number[]): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('feature selection', () => {
  it('should keep the same columns as a greedy numpy correlation filter', () => {
    expect(correlationFilter(DataMatrix.fromRows(data.breast_cancer.x), 0.9)).toEqual(
      fx.corr_kept_0_9,
    );
  });

  it('should match sklearn mutual_info_classif (Ross kNN estimator)', () => {
    const mi = mutualInformation(DataMatrix.fromRows(fx.x), Float64Array.from(fx.y), {
      discreteTarget: true,
    });
    expect(maxDiff(mi, fx.mi_classif)).toBeLessThanOrEqual(1e-6);
  });

  it('should match sklearn mutual_info_regression (KSG estimator)', () => {
    const mi = mutualInformation(DataMatrix.fromRows(fx.x), Float64Array.from(fx.y_reg), {
      discreteTarget: false,
    });
    expect(maxDiff(mi, fx.mi_regression)).toBeLessThanOrEqual(1e-6);
  });

  it('should reproduce sklearn RFE ranking with logistic regression', () => {
    const x = DataMatrix.fromRows(data.breast_cancer.x);
    const r = recursiveFeatureElimination(
      (xt, yt) => fitLogistic(xt, yt, { C: 1 }),
      x,
      Float64Array.from(data.breast_cancer.y),
      {
        nFeaturesToSelect: 5,
      },
    );
    expect([...r.ranking]).toEqual(fx.rfe_ranking);
    expect(r.selected).toEqual(fx.rfe_support.flatMap((s, j) => (s ? [j] : [])));
  });

  it('should accept a custom importance for models without coefficients', () => {
    const x = DataMatrix.fromRows(fx.x);
    const y = Float64Array.from(fx.y);
    const constant = (): FittedModel => ({
      task: 'binary',
      nClasses: 2,
      predict: (q: DataMatrix) => new Float64Array(q.nRows),
      predictProba: (q: DataMatrix) => new Float64Array(q.nRows * 2),
    });
    // importance = column index in the original matrix, so the lowest indices go first
    const r = recursiveFeatureElimination(constant, x, y, {
      nFeaturesToSelect: 2,
      importance: (_m, xs) => Float64Array.from(xs.names, (n) => Number(n.slice(1))),
    });
    expect(r.selected).toEqual([4, 5]);
    expect([...r.ranking]).toEqual([5, 4, 3, 2, 1, 1]);
    expect(() => recursiveFeatureElimination(constant, x, y)).toThrow(TypeError);
  });
});

describe('mutual information on large tables', () => {
  it('should subsample beyond maxRows and still rank the informative column first', () => {
    const n = 3000;
    const a = Float64Array.from({ length: n }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1);
    const b = Float64Array.from({ length: n }, (_, i) => (Math.sin(i * 78.233) * 12345.678) % 1);
    const y = Float64Array.from(a, (v) => (v > 0 ? 1 : 0));
    const x = new DataMatrix([
      { kind: 'numeric', name: 'a', values: a },
      { kind: 'numeric', name: 'b', values: b },
    ]);
    const mi = mutualInformation(x, y, { discreteTarget: true, maxRows: 500, seed: 1 });
    expect(mi[0]).toBeGreaterThan(0.5);
    expect(mi[1]).toBeLessThan(0.05);
  });
});
