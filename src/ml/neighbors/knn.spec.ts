import { type DatasetsFixture, loadStatsFixture } from '../../../test/fixtures/ml/stats/load';
import { DataMatrix } from '../core/matrix';
import { fitDesign } from '../linear/design';
import { fitKnnClassifier, fitKnnRegressor } from './index';

interface NeighborsFixture {
  knn_wine_uniform: { proba: number[][]; pred: number[] };
  knn_wine_distance: { proba: number[][]; pred: number[] };
  knn_diabetes_uniform: { pred: number[] };
  knn_diabetes_distance: { pred: number[] };
}

const data = loadStatsFixture<DatasetsFixture>('datasets');
const fx = loadStatsFixture<NeighborsFixture>('neighbors');

function maxDiff(a: ArrayLike<number>, b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function split<T>(rows: T[], keepTrain: (i: number) => boolean): { train: T[]; test: T[] } {
  return { train: rows.filter((_, i) => keepTrain(i)), test: rows.filter((_, i) => !keepTrain(i)) };
}

describe('k-nearest neighbours vs sklearn (brute force)', () => {
  // the Python side standardised the whole wine data set before splitting
  const full = DataMatrix.fromRows(data.wine.x);
  const d = fitDesign(full);
  const z = d.transform(full);
  const p = d.nFeatures;
  const scaledRows = Array.from({ length: full.nRows }, (_, i) =>
    Array.from(z.subarray(i * p, (i + 1) * p)),
  );
  const isTrain = (i: number): boolean => i % 3 !== 0;
  const xs = split(scaledRows, isTrain);
  const ys = split(data.wine.y, isTrain);

  it.each(['uniform', 'distance'] as const)(
    'should match KNeighborsClassifier(5, weights=%s)',
    (weights) => {
      const model = fitKnnClassifier(DataMatrix.fromRows(xs.train), Float64Array.from(ys.train), {
        k: 5,
        weights,
        standardize: false,
      });
      const test = DataMatrix.fromRows(xs.test);
      const ref = fx[`knn_wine_${weights}`];
      expect(maxDiff(model.predictProba(test), ref.proba.flat())).toBeLessThanOrEqual(1e-9);
      expect([...model.predict(test)]).toEqual(ref.pred);
    },
  );

  it.each(['uniform', 'distance'] as const)(
    'should match KNeighborsRegressor(7, weights=%s)',
    (weights) => {
      const isTrainD = (i: number): boolean => i % 4 !== 0;
      const xd = split(data.diabetes.x, isTrainD);
      const yd = split(data.diabetes.y, isTrainD);
      const model = fitKnnRegressor(DataMatrix.fromRows(xd.train), Float64Array.from(yd.train), {
        k: 7,
        weights,
        standardize: false,
      });
      const pred = model.predict(DataMatrix.fromRows(xd.test));
      expect(maxDiff(pred, fx[`knn_diabetes_${weights}`].pred)).toBeLessThanOrEqual(1e-9);
    },
  );

  it('should give exact matches all the weight with distance weighting', () => {
    const x = DataMatrix.fromRows([[0], [1], [2], [3]]);
    const model = fitKnnClassifier(x, Float64Array.from([0, 1, 1, 1]), {
      k: 3,
      weights: 'distance',
      standardize: false,
    });
    expect([...model.predictProba(DataMatrix.fromRows([[0]]))]).toEqual([1, 0]);
  });
});
