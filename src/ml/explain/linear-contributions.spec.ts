import { readFileSync } from 'fs';
import { join } from 'path';
import { type DatasetsFixture, loadStatsFixture } from '../../../test/fixtures/ml/stats/load';
import { DataMatrix } from '../core/matrix';
import { fitLogistic } from '../linear/logistic';
import { fitRidge } from '../linear/ridge';
import { type ShapValues } from './tree-shap';
import { linearContributions, linearRawScore } from './linear-contributions';

interface ContributionReference {
  x_head: number[][];
  contributions: number[][][];
  base: number[];
  raw: number[][];
}

/** Written by scripts/ml-fixtures/linear_contributions_fixtures.py from sklearn coefficients. */
const reference = JSON.parse(
  readFileSync(
    join(__dirname, '../../../test/fixtures/ml/automl/linear_contributions.json'),
    'utf8',
  ),
) as Record<'ridge_diabetes' | 'logistic_breast_cancer' | 'logistic_wine', ContributionReference>;
const data = loadStatsFixture<DatasetsFixture>('datasets');

/** Largest |bias + Σ contributions − raw score| over rows and outputs. */
function worstSumError(shap: ShapValues, raw: Float64Array): number {
  const stride = shap.nFeatures + 1;
  let worst = 0;
  for (let i = 0; i < shap.nRows; i++) {
    for (let k = 0; k < shap.nOutputs; k++) {
      let s = 0;
      for (let j = 0; j < stride; j++) s += shap.values[(i * shap.nOutputs + k) * stride + j];
      worst = Math.max(worst, Math.abs(s - raw[i * shap.nOutputs + k]));
    }
  }
  return worst;
}

function worstReferenceError(shap: ShapValues, ref: ContributionReference): number {
  const stride = shap.nFeatures + 1;
  let worst = 0;
  ref.contributions.forEach((row, i) =>
    row.forEach((perOutput, k) => {
      perOutput.forEach((c, j) => {
        worst = Math.max(worst, Math.abs(shap.values[(i * shap.nOutputs + k) * stride + j] - c));
      });
      worst = Math.max(
        worst,
        Math.abs(shap.values[(i * shap.nOutputs + k) * stride + shap.nFeatures] - ref.base[k]),
      );
    }),
  );
  return worst;
}

describe('linear contributions', () => {
  const cases = [
    ['ridge on diabetes', 'ridge_diabetes', 'diabetes', 1],
    ['binary logistic on breast cancer', 'logistic_breast_cancer', 'breast_cancer', 1],
    ['multinomial logistic on wine', 'logistic_wine', 'wine', 3],
  ] as const;

  it.each(cases)(
    'should sum to the raw score within 1e-9 and match sklearn coefficients for %s',
    (_label, key, dataset, nOutputs) => {
      const x = DataMatrix.fromRows(data[dataset].x);
      const y = Float64Array.from(data[dataset].y);
      const model = key === 'ridge_diabetes' ? fitRidge(x, y, { alpha: 1 }) : fitLogistic(x, y);
      const shap = linearContributions(model, x);
      expect(shap.nOutputs).toBe(nOutputs);
      expect(shap.nFeatures).toBe(x.nCols);
      expect(worstSumError(shap, linearRawScore(model, x))).toBeLessThanOrEqual(1e-9);
      const ref = reference[key];
      expect(data[dataset].x.slice(0, ref.x_head.length)).toEqual(ref.x_head);
      const head = x.takeRows(Int32Array.from(ref.x_head, (_, i) => i));
      // our coefficients are within 1e-6 of sklearn's; standardised inputs reach |z| ≈ 10
      expect(worstReferenceError(linearContributions(model, head), ref)).toBeLessThanOrEqual(2e-5);
    },
  );

  it('should map one-hot levels back to their column and honour a background sample', () => {
    const n = 80;
    const x = new DataMatrix([
      {
        kind: 'numeric',
        name: 'num',
        values: Float64Array.from({ length: n }, (_, i) => (i % 9 === 0 ? Number.NaN : i / 7)),
      },
      {
        kind: 'categorical',
        name: 'cat',
        codes: Int32Array.from({ length: n }, (_, i) => (i % 13 === 0 ? -1 : i % 3)),
        levels: ['a', 'b', 'c'],
      },
    ]);
    const y = Float64Array.from({ length: n }, (_, i) => (i % 3 === 1 || i > 50 ? 1 : 0));
    const model = fitLogistic(x, y);
    const plain = linearContributions(model, x);
    const centred = linearContributions(model, x, { background: x });
    expect(plain.nFeatures).toBe(2);
    const raw = linearRawScore(model, x);
    expect(worstSumError(plain, raw)).toBeLessThanOrEqual(1e-9);
    expect(worstSumError(centred, raw)).toBeLessThanOrEqual(1e-9);
    // centred on the training rows, the contributions of each column average to zero
    for (let j = 0; j < 2; j++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += centred.values[i * 3 + j] / n;
      expect(Math.abs(mean)).toBeLessThan(1e-12);
    }
    const ridge = fitRidge(
      x,
      Float64Array.from({ length: n }, (_, i) => i % 5),
    );
    expect(worstSumError(linearContributions(ridge, x), ridge.predict(x))).toBeLessThanOrEqual(
      1e-9,
    );
  });
});
