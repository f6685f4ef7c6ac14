import { loadStatsFixture } from '../../../test/fixtures/ml/stats/load';
import type { FittedModel } from '../core/estimator';
import { DataMatrix } from '../core/matrix';
import { crossValidate, stratifiedKFold } from '../model-selection';
import { adasyn, borderlineSmote, smote, withResampling, type ResampleResult } from './index';

interface ImbalanceFixture {
  x: number[][];
  y: number[];
  counts: { smote: number[]; borderline: number[]; adasyn: number[] };
}

const fx = loadStatsFixture<ImbalanceFixture>('imbalance');
const x = DataMatrix.fromRows(fx.x);
const y = Float64Array.from(fx.y);

function counts(labels: Float64Array): number[] {
  const c = [0, 0, 0];
  for (const v of labels) c[v]++;
  return c;
}

/** Independent check: every synthetic row lies on a segment from a same-class row to one of its k same-class nearest neighbours. */
function expectOnNeighbourSegments(r: ResampleResult, k: number): void {
  const n = fx.x.length;
  const p = fx.x[0].length;
  const dist = (a: number[], b: number[]): number => a.reduce((s, v, j) => s + (v - b[j]) ** 2, 0);
  const neighbours = fx.x.map((row, i) =>
    fx.x
      .map((other, j) => ({ j, d: dist(row, other) }))
      .filter((e) => e.j !== i && fx.y[e.j] === fx.y[i])
      .sort((a, b) => a.d - b.d)
      .slice(0, k)
      .map((e) => e.j),
  );
  for (let s = n; s < r.x.nRows; s++) {
    const point = Array.from({ length: p }, (_, j) => r.x.get(s, j));
    const cls = r.y[s];
    let ok = false;
    for (let i = 0; i < n && !ok; i++) {
      if (fx.y[i] !== cls) continue;
      for (const j of neighbours[i]) {
        const a = fx.x[i];
        const d = fx.x[j].map((v, t) => v - a[t]);
        const dd = d.reduce((acc, v) => acc + v * v, 0);
        const u = d.reduce((acc, v, t) => acc + v * (point[t] - a[t]), 0) / dd;
        if (u < -1e-12 || u > 1 + 1e-12) continue;
        const resid = Math.sqrt(point.reduce((acc, v, t) => acc + (v - a[t] - u * d[t]) ** 2, 0));
        if (resid < 1e-9) {
          ok = true;
          break;
        }
      }
    }
    if (!ok) throw new Error(`synthetic row ${s} is not on a minority-neighbour segment`);
  }
}

describe('over-samplers vs imbalanced-learn defaults', () => {
  it('should balance classes exactly with SMOTE, on neighbour segments', () => {
    const r = smote(x, y, { seed: 1 });
    expect(counts(r.y)).toEqual(fx.counts.smote);
    expectOnNeighbourSegments(r, 5);
  });

  it('should match BorderlineSMOTE counts, on neighbour segments', () => {
    const r = borderlineSmote(x, y, { seed: 2 });
    expect(counts(r.y)).toEqual(fx.counts.borderline);
    expectOnNeighbourSegments(r, 5);
  });

  it('should match ADASYN counts (approximate balance), on neighbour segments', () => {
    const r = adasyn(x, y, { seed: 3 });
    expect(counts(r.y)).toEqual(fx.counts.adasyn);
    expectOnNeighbourSegments(r, 5);
  });

  it('should be reproducible from the seed and keep original rows first', () => {
    const a = smote(x, y, { seed: 9 });
    const b = smote(x, y, { seed: 9 });
    expect([...(a.x.columns[0].kind === 'numeric' ? a.x.columns[0].values : [])]).toEqual([
      ...(b.x.columns[0].kind === 'numeric' ? b.x.columns[0].values : []),
    ]);
    for (let i = 0; i < x.nRows; i++) expect(a.x.get(i, 2)).toBe(x.get(i, 2));
  });
});

describe('withResampling', () => {
  it('should resample training folds only, leaving validation folds untouched', () => {
    const seen: number[] = [];
    const fit = (xt: DataMatrix): FittedModel => {
      seen.push(xt.nRows);
      const majority = 0;
      return {
        task: 'multiclass',
        nClasses: 3,
        predict: (q: DataMatrix) => new Float64Array(q.nRows).fill(majority),
        predictProba: (q: DataMatrix) => new Float64Array(q.nRows * 3),
      };
    };
    const folds = stratifiedKFold(y, { k: 3, shuffle: true, seed: 1 });
    const tested: number[] = [];
    crossValidate(
      withResampling(fit, (a, b) => smote(a, b, { seed: 4 })),
      x,
      y,
      folds,
      (yTrue) => {
        tested.push(yTrue.length);
        return 0;
      },
    );
    expect(tested).toEqual(folds.map((f) => f.test.length));
    folds.forEach((f, i) => {
      const c = counts(Float64Array.from(f.train, (r) => y[r]));
      expect(seen[i]).toBe(3 * Math.max(...c));
    });
  });
});
