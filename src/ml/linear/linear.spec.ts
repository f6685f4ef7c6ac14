import { type DatasetsFixture, loadStatsFixture } from '../../../test/fixtures/ml/stats/load';
import { DataMatrix } from '../core/matrix';
import { accuracy } from '../metrics';
import { crossValidate, foldsFromIndices } from '../model-selection';
import { fitDesign, fitLogistic, fitRidge } from './index';

interface LogregFixture {
  C: number;
  coef: number[][];
  intercept: number[];
  proba_head: number[][];
}

interface LinearFixture {
  scaler_breast_cancer: { mean: number[]; scale: number[] };
  'logreg_bc_C1.0': LogregFixture;
  'logreg_bc_C0.1': LogregFixture;
  logreg_iris: LogregFixture;
  logreg_wine: LogregFixture;
  'ridge_diabetes_1.0': { alpha: number; coef: number[]; intercept: number };
  'ridge_diabetes_0.01': { alpha: number; coef: number[]; intercept: number };
  'ridge_diabetes_10.0': { alpha: number; coef: number[]; intercept: number };
  logreg_bc_cv_accuracy: number[];
}

const data = loadStatsFixture<DatasetsFixture>('datasets');
const fx = loadStatsFixture<LinearFixture>('linear');

function expectWithin(actual: ArrayLike<number>, expected: readonly number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}

describe('standardisation', () => {
  it('should match sklearn StandardScaler mean and scale', () => {
    const d = fitDesign(DataMatrix.fromRows(data.breast_cancer.x));
    expectWithin(d.mean, fx.scaler_breast_cancer.mean, 1e-9);
    expectWithin(d.scale, fx.scaler_breast_cancer.scale, 1e-9);
  });

  it('should one-hot encode categoricals and impute missing numerics', () => {
    const x = new DataMatrix([
      { kind: 'numeric', name: 'a', values: Float64Array.from([1, Number.NaN, 3]) },
      { kind: 'categorical', name: 'c', codes: Int32Array.from([0, 1, -1]), levels: ['u', 'v'] },
    ]);
    const d = fitDesign(x, { standardize: false });
    expect(d.names).toEqual(['a', 'c=u', 'c=v']);
    expect([...d.transform(x)]).toEqual([1, 1, 0, 2, 0, 1, 3, 0, 0]);
  });
});

describe('logistic regression vs sklearn (converged lbfgs)', () => {
  const cases: [string, keyof LinearFixture, 'breast_cancer' | 'iris' | 'wine'][] = [
    ['breast cancer C=1', 'logreg_bc_C1.0', 'breast_cancer'],
    ['breast cancer C=0.1', 'logreg_bc_C0.1', 'breast_cancer'],
    ['iris multinomial', 'logreg_iris', 'iris'],
    ['wine multinomial', 'logreg_wine', 'wine'],
  ];
  it.each(cases)('should match coefficients within 1e-6 on %s', (_label, key, dataset) => {
    const ref = fx[key] as LogregFixture;
    const x = DataMatrix.fromRows(data[dataset].x);
    const model = fitLogistic(x, Float64Array.from(data[dataset].y), { C: ref.C });
    expectWithin(model.coef, ref.coef.flat(), 1e-6);
    expectWithin(model.intercept, ref.intercept, 1e-6);
    const proba = model.predictProba(x.takeRows(Int32Array.from({ length: 20 }, (_, i) => i)));
    expectWithin(proba, ref.proba_head.flat(), 1e-6);
    expect(model.task).toBe(dataset === 'breast_cancer' ? 'binary' : 'multiclass');
  });

  it('should reach the same accuracy as sklearn on exported CV folds', () => {
    const x = DataMatrix.fromRows(data.breast_cancer.x);
    const y = Float64Array.from(data.breast_cancer.y);
    const folds = foldsFromIndices(data.breast_cancer_folds, y.length);
    const cv = crossValidate(
      (xt, yt) => fitLogistic(xt, yt, { C: 1 }),
      x,
      y,
      folds,
      (yTrue, model, xTest) => accuracy(yTrue, model.predict(xTest)),
    );
    expectWithin(cv.scores, fx.logreg_bc_cv_accuracy, 1e-12);
  });

  it('should agree between the Newton and L-BFGS solvers', () => {
    const x = DataMatrix.fromRows(data.wine.x);
    const y = Float64Array.from(data.wine.y);
    const a = fitLogistic(x, y, { C: 1 });
    const b = fitLogistic(x, y, { C: 1, newtonMaxParams: 0, tol: 1e-9 });
    expectWithin(b.coef, [...a.coef], 1e-5);
  });
});

describe('ridge regression vs sklearn', () => {
  it.each(['1.0', '0.01', '10.0'] as const)('should match Ridge(alpha=%s) on diabetes', (alpha) => {
    const ref = fx[`ridge_diabetes_${alpha}`];
    const model = fitRidge(
      DataMatrix.fromRows(data.diabetes.x),
      Float64Array.from(data.diabetes.y),
      {
        alpha: ref.alpha,
      },
    );
    expectWithin(model.coef, ref.coef, 1e-6);
    expect(Math.abs(model.intercept - ref.intercept)).toBeLessThanOrEqual(1e-6);
  });
});

describe('mixed column types', () => {
  it('should fit logistic and ridge on categorical and missing values', () => {
    const n = 60;
    const num = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? Number.NaN : i / n));
    const codes = Int32Array.from({ length: n }, (_, i) => (i % 11 === 0 ? -1 : i % 3));
    const x = new DataMatrix([
      { kind: 'numeric', name: 'num', values: num },
      { kind: 'categorical', name: 'cat', codes, levels: ['a', 'b', 'c'] },
    ]);
    const y = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 || i > 40 ? 1 : 0));
    const model = fitLogistic(x, y);
    const proba = model.predictProba(x);
    for (let i = 0; i < n; i++) expect(proba[2 * i] + proba[2 * i + 1]).toBeCloseTo(1, 12);
    expect(model.featureImportances()).toHaveLength(2);
    const ridge = fitRidge(
      x,
      Float64Array.from({ length: n }, (_, i) => i),
    );
    expect(ridge.predict(x).every(Number.isFinite)).toBe(true);
  });
});
