import { spearmanMatrix } from './rank-correlation';

/** Spearman's rho straight from its definition: O(n²) ranks over the pair's complete rows. */
function naiveSpearman(a: Float64Array, b: Float64Array): number | null {
  const rows = [...a.keys()].filter((k) => !Number.isNaN(a[k]) && !Number.isNaN(b[k]));
  const rank = (values: number[]): number[] =>
    values.map((v) => {
      const below = values.filter((w) => w < v).length;
      const equal = values.filter((w) => w === v).length;
      return below + (equal + 1) / 2;
    });
  const x = rank(rows.map((k) => a[k]));
  const y = rank(rows.map((k) => b[k]));
  const n = rows.length;
  if (n < 2) return null;
  const mean = (v: number[]): number => v.reduce((s, t) => s + t, 0) / n;
  const [mx, my] = [mean(x), mean(y)];
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < n; k += 1) {
    sxy += (x[k] - mx) * (y[k] - my);
    sxx += (x[k] - mx) ** 2;
    syy += (y[k] - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

describe('rank correlation', () => {
  it('should match the definition on columns with ties, gaps and no variance', () => {
    const n = 700;
    const at = (k: number, seed: number): number => ((k * 7919 + seed * 104729) % 997) / 997;
    const columns = [
      Float64Array.from({ length: n }, (_, k) => Math.round(at(k, 1) * 20)), // many ties
      Float64Array.from({ length: n }, (_, k) => (k % 9 === 0 ? NaN : at(k, 2) + k / n)),
      Float64Array.from({ length: n }, (_, k) => (k % 4 === 1 ? NaN : -at(k, 3))),
      Float64Array.from({ length: n }, () => 5), // constant
      Float64Array.from({ length: n }, (_, k) => (k < n - 1 ? NaN : 1)), // one value only
      Float64Array.from({ length: n }, (_, k) => k * k), // monotone in the row number
    ];
    const matrix = spearmanMatrix(columns);
    const expected = columns.map((a, i) =>
      columns.map((b, j) => (i === j ? 1 : naiveSpearman(a, b))),
    );
    // Equal to 12 decimal places, nulls included.
    const rounded = (m: (number | null)[][]): (number | null)[][] =>
      m.map((row) => row.map((v) => (v === null ? null : Math.round(v * 1e12) / 1e12)));
    expect(rounded(matrix)).toEqual(rounded(expected));
    expect(matrix[1][5]).not.toBeNull(); // the sums above were not all nulls
  });

  it('should leave correlations of empty columns undefined', () => {
    const empty = [new Float64Array(0), new Float64Array(0)];
    expect(spearmanMatrix(empty)).toEqual([
      [1, null],
      [null, 1],
    ]);
  });
});
