import { type DatasetsFixture, loadStatsFixture } from '../../../test/fixtures/ml/stats/load';
import { DataMatrix } from '../core/matrix';
import { fitGaussianNb } from './index';

interface GnbFixture {
  theta: number[][];
  var: number[][];
  prior: number[];
  epsilon: number;
  proba: number[][];
  pred: number[];
}

const data = loadStatsFixture<DatasetsFixture>('datasets');
const fx = loadStatsFixture<Record<'gnb_iris' | 'gnb_wine', GnbFixture>>('neighbors');

function maxDiff(a: ArrayLike<number>, b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('Gaussian naive Bayes vs sklearn GaussianNB', () => {
  it.each(['iris', 'wine'] as const)('should match parameters and probabilities on %s', (name) => {
    const ref = fx[`gnb_${name}`];
    const x = DataMatrix.fromRows(data[name].x);
    const model = fitGaussianNb(x, Float64Array.from(data[name].y));
    expect(Math.abs(model.epsilon - ref.epsilon)).toBeLessThanOrEqual(1e-15);
    expect(maxDiff(model.theta, ref.theta.flat())).toBeLessThanOrEqual(1e-9);
    expect(maxDiff(model.variance, ref.var.flat())).toBeLessThanOrEqual(1e-9);
    expect(maxDiff(model.prior, ref.prior)).toBeLessThanOrEqual(1e-12);
    expect(maxDiff(model.predictProba(x), ref.proba.flat())).toBeLessThanOrEqual(1e-9);
    expect([...model.predict(x)]).toEqual(ref.pred);
  });

  it('should ignore missing values instead of failing', () => {
    const x = DataMatrix.fromRows([
      [1, 0],
      [2, Number.NaN],
      [10, 5],
      [11, 6],
    ]);
    const model = fitGaussianNb(x, Float64Array.from([0, 0, 1, 1]));
    const pred = model.predict(
      DataMatrix.fromRows([
        [1.5, Number.NaN],
        [10.5, Number.NaN],
      ]),
    );
    expect([...pred]).toEqual([0, 1]);
  });
});
