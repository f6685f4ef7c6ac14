import { chi2Sf } from './special-functions';

export interface ChiSquareResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly dof: number;
  /** Expected counts under independence, same shape as the table. */
  readonly expected: number[][];
}

/**
 * Pearson chi-square test of independence on an r × c contingency table, as scipy 1.10
 * `chi2_contingency`: expected = row total · column total / grand total; when dof = 1 and
 * `correction` (default true) Yates' continuity correction moves each observed count ½
 * towards its expectation (never past it). Rows and columns with zero total must be removed
 * by the caller (scipy raises on zero expected counts; so does this).
 */
export function chiSquareContingency(
  table: readonly (readonly number[])[],
  correction = true,
): ChiSquareResult {
  const r = table.length;
  const c = r === 0 ? 0 : table[0].length;
  const rowSum = table.map((row) => row.reduce((s, v) => s + v, 0));
  const colSum = Array.from({ length: c }, (_, j) => table.reduce((s, row) => s + row[j], 0));
  const total = rowSum.reduce((s, v) => s + v, 0);
  const expected = table.map((_, i) => colSum.map((cs) => (rowSum[i] * cs) / total));
  if (expected.some((row) => row.some((e) => e === 0))) {
    throw new RangeError('the table has a zero expected frequency');
  }
  const dof = r * c - r - c + 1;
  if (dof === 0) return { statistic: 0, pValue: 1, dof: 0, expected };
  let stat = 0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      let o = table[i][j];
      const e = expected[i][j];
      if (dof === 1 && correction) {
        const diff = e - o;
        o += Math.sign(diff) * Math.min(0.5, Math.abs(diff));
      }
      stat += ((o - e) * (o - e)) / e;
    }
  }
  return { statistic: stat, pValue: chi2Sf(stat, dof), dof, expected };
}

/**
 * Chi-square homogeneity test of reference vs current category counts (a 2 × K table);
 * categories absent from both samples are dropped first.
 */
export function chiSquareFromCounts(
  ref: ArrayLike<number>,
  cur: ArrayLike<number>,
  correction = true,
): ChiSquareResult {
  if (ref.length !== cur.length) throw new RangeError('count vectors must align');
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < ref.length; i++) {
    if (ref[i] + cur[i] > 0) {
      a.push(ref[i]);
      b.push(cur[i]);
    }
  }
  return chiSquareContingency([a, b], correction);
}
