import { minimizeLbfgs } from './lbfgs';
import { cholesky, choleskySolve, solveSpd } from './linalg';
import { linspace, quantileSorted, searchSorted } from './quantile';

describe('dense helpers added for the statistics modules', () => {
  it('should solve an SPD system by Cholesky', () => {
    const a = Float64Array.from([4, 2, 0.6, 2, 5, 1, 0.6, 1, 3]);
    const x = solveSpd(a, 3, [1, 2, 3]);
    const back = [0, 1, 2].map((i) => a[i * 3] * x[0] + a[i * 3 + 1] * x[1] + a[i * 3 + 2] * x[2]);
    back.forEach((v, i) => expect(v).toBeCloseTo(i + 1, 12));
    const l = Float64Array.from(a);
    expect(cholesky(l, 3)).toBe(true);
    expect([...choleskySolve(l, 3, [1, 2, 3])]).toEqual([...x]);
    expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toBe(false);
  });

  it('should minimise the Rosenbrock function with L-BFGS', () => {
    const res = minimizeLbfgs(
      (x, g) => {
        const [a, b] = x;
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      [-1.2, 1],
      { gtol: 1e-10, maxIter: 1000 },
    );
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 8);
    expect(res.x[1]).toBeCloseTo(1, 8);
  });

  it('should reproduce numpy quantile, linspace and searchsorted conventions', () => {
    const x = [1, 2, 4, 8];
    expect(quantileSorted(x, 0.5)).toBe(3);
    expect(quantileSorted(x, 0.9)).toBeCloseTo(6.8, 14);
    expect(linspace(0, 1, 11)[3]).toBe(0.30000000000000004);
    expect(searchSorted([1, 2, 2, 3], 2, 'left')).toBe(1);
    expect(searchSorted([1, 2, 2, 3], 2, 'right')).toBe(3);
  });
});
