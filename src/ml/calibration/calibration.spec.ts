import { type DatasetsFixture, loadStatsFixture } from '../../../test/fixtures/ml/stats/load';
import { DataMatrix } from '../core/matrix';
import { fitLogistic } from '../linear';
import { brierScore } from '../metrics';
import { calibrateModel, fitIsotonic, fitPlatt, poolAdjacentViolators } from './index';

interface CalibrationFixture {
  platt: { f: number[]; y: number[]; a_sklearn: number; b_sklearn: number; a: number; b: number };
  isotonic: {
    x: number[];
    y: number[];
    w: number[];
    grid: number[];
    pred: number[];
    fitted: number[];
    pred_weighted: number[];
  };
}

const fx = loadStatsFixture<CalibrationFixture>('calibration');

function maxDiff(a: ArrayLike<number>, b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('Platt scaling', () => {
  it('should reach the converged optimum of sklearn’s _sigmoid_calibration objective', () => {
    const p = fitPlatt(fx.platt.f, fx.platt.y);
    expect(Math.abs(p.a - fx.platt.a)).toBeLessThanOrEqual(1e-7);
    expect(Math.abs(p.b - fx.platt.b)).toBeLessThanOrEqual(1e-7);
    // sklearn's own BFGS stops at gtol 1e-5; it is still close
    expect(Math.abs(p.a - fx.platt.a_sklearn)).toBeLessThanOrEqual(1e-5);
    expect(Math.abs(p.b - fx.platt.b_sklearn)).toBeLessThanOrEqual(1e-5);
  });
});

describe('isotonic regression vs sklearn IsotonicRegression', () => {
  const iso = fx.isotonic;
  it('should match predictions with tied x, clipping outside the range', () => {
    const fit = fitIsotonic(iso.x, iso.y);
    expect(maxDiff(fit.transform(iso.grid), iso.pred)).toBeLessThanOrEqual(1e-12);
    expect(maxDiff(fit.transform(iso.x), iso.fitted)).toBeLessThanOrEqual(1e-12);
  });

  it('should match weighted fits', () => {
    const fit = fitIsotonic(iso.x, iso.y, iso.w);
    expect(maxDiff(fit.transform(iso.grid), iso.pred_weighted)).toBeLessThanOrEqual(1e-12);
  });

  it('should pool violators into their weighted mean', () => {
    expect([...poolAdjacentViolators([1, 3, 2, 4], [1, 1, 1, 1])]).toEqual([1, 2.5, 2.5, 4]);
  });
});

describe('calibrated model', () => {
  it('should keep probabilities valid and not worsen the Brier score on held-out data', () => {
    const data = loadStatsFixture<DatasetsFixture>('datasets');
    const x = DataMatrix.fromRows(data.breast_cancer.x);
    const y = Float64Array.from(data.breast_cancer.y);
    const idx = (pred: (i: number) => boolean): Int32Array =>
      Int32Array.from(Array.from({ length: y.length }, (_, i) => i).filter(pred));
    const tr = idx((i) => i % 3 === 0);
    const cal = idx((i) => i % 3 === 1);
    const te = idx((i) => i % 3 === 2);
    const take = (rows: Int32Array): Float64Array => Float64Array.from(rows, (i) => y[i]);
    const model = fitLogistic(x.takeRows(tr), take(tr), { C: 100 });
    const raw = model.predictProba(x.takeRows(te));
    const rawBrier = brierScore(
      take(te),
      Float64Array.from({ length: te.length }, (_, i) => raw[2 * i + 1]),
    );
    for (const method of ['sigmoid', 'isotonic'] as const) {
      const calibrated = calibrateModel(model, x.takeRows(cal), take(cal), method);
      const p = calibrated.predictProba(x.takeRows(te));
      for (let i = 0; i < te.length; i++) expect(p[2 * i] + p[2 * i + 1]).toBeCloseTo(1, 12);
      const pos = Float64Array.from({ length: te.length }, (_, i) => p[2 * i + 1]);
      expect(brierScore(take(te), pos)).toBeLessThan(rawBrier + 0.01);
    }
  });
});

describe('multiclass calibration', () => {
  it('should calibrate one-vs-rest and renormalise rows', () => {
    const data = loadStatsFixture<DatasetsFixture>('datasets');
    const x = DataMatrix.fromRows(data.iris.x);
    const y = Float64Array.from(data.iris.y);
    const even = Int32Array.from({ length: 75 }, (_, i) => 2 * i);
    const odd = Int32Array.from({ length: 75 }, (_, i) => 2 * i + 1);
    const model = fitLogistic(
      x.takeRows(even),
      Float64Array.from(even, (i) => y[i]),
    );
    for (const method of ['sigmoid', 'isotonic'] as const) {
      const calibrated = calibrateModel(
        model,
        x.takeRows(odd),
        Float64Array.from(odd, (i) => y[i]),
        method,
      );
      expect(calibrated.task).toBe('multiclass');
      const p = calibrated.predictProba(x);
      for (let i = 0; i < x.nRows; i++)
        expect(p[3 * i] + p[3 * i + 1] + p[3 * i + 2]).toBeCloseTo(1, 12);
      const pred = calibrated.predict(x);
      expect(pred.filter((v, i) => v === y[i]).length / y.length).toBeGreaterThan(0.9);
    }
  });
});
