import type { DuckDBConnection } from '@duckdb/node-api';
import { num, queryRows } from './duckdb';

/**
 * Exact statistics of a column given as its distinct values and their counts (the profile
 * gathers small-range integer columns that way in its one scan: cheaper than sketches, and
 * exact). `values` ascending, `counts` aligned.
 */
export interface ValueCounts {
  values: Float64Array;
  counts: Float64Array;
}

/** Sorts `(value, count)` pairs into ascending {@link ValueCounts}. */
export function valueCountsOf(pairs: [number, number][]): ValueCounts {
  pairs.sort((a, b) => a[0] - b[0]);
  return {
    values: Float64Array.from(pairs, (pair) => pair[0]),
    counts: Float64Array.from(pairs, (pair) => pair[1]),
  };
}

/**
 * The ranks (0-based, ascending) of the order statistics the q-quantile of `count` values
 * interpolates between: the one at ⌊(count − 1)·q⌋ and, when that is not whole, the next.
 */
export function quantileRanks(count: number, q: number): number[] {
  const h = (count - 1) * q;
  const lower = Math.floor(h);
  return h > lower ? [lower, lower + 1] : [lower];
}

/**
 * The q-quantile of `count` values with linear interpolation between the order statistics
 * around (count − 1)·q, as pandas' `quantile()` and DuckDB's `quantile_cont` compute it;
 * `at(rank)` gives the value of a rank from {@link quantileRanks}.
 */
export function interpolatedQuantile(
  count: number,
  q: number,
  at: (rank: number) => number,
): number {
  const h = (count - 1) * q;
  const lower = Math.floor(h);
  const low = at(lower);
  const fraction = h - lower;
  return fraction === 0 ? low : low + fraction * (at(lower + 1) - low);
}

/** The q-quantile of value counts (see {@link interpolatedQuantile}). Null without values. */
export function quantileOfCounts({ values, counts }: ValueCounts, q: number): number | null {
  let total = 0;
  for (const count of counts) total += count;
  if (total === 0) return null;
  return interpolatedQuantile(total, q, (rank) => {
    let seen = 0;
    for (let k = 0; k < values.length; k += 1) {
      seen += counts[k];
      if (rank < seen) return values[k];
    }
    return values[values.length - 1];
  });
}

/** Sums of (v − shift)^1..3 weighted by counts: the raw moments the profile derives from. */
export function shiftedPowerSums(
  { values, counts }: ValueCounts,
  shift: number,
): [number, number, number] {
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = 0; k < values.length; k += 1) {
    const d = values[k] - shift;
    s1 += counts[k] * d;
    s2 += counts[k] * d * d;
    s3 += counts[k] * d * d * d;
  }
  return [s1, s2, s3];
}

/**
 * Counts per bin for bins given by their upper edges: a value goes to the first bin whose edge
 * is ≥ it, as DuckDB's `histogram(x, bins)` does (values above the last edge are dropped).
 */
export function binCounts({ values, counts }: ValueCounts, edges: number[]): number[] {
  const bins = edges.map(() => 0);
  let bin = 0;
  for (let k = 0; k < values.length; k += 1) {
    while (bin < edges.length && values[k] > edges[bin]) bin += 1;
    if (bin === edges.length) break;
    bins[bin] += counts[k];
  }
  return bins;
}

/**
 * Moments from power sums about a shift (the values' midrange, so sums stay well scaled): the
 * mean, the sample standard deviation (ddof 1) and the adjusted Fisher–Pearson skewness (G1,
 * pandas' `skew()`). Nulls where undefined (too few values, no spread).
 */
export function momentsFromSums(
  n: number,
  shift: number,
  [s1, s2, s3]: [number, number, number],
): { mean: number | null; std: number | null; skewness: number | null } {
  if (n === 0) return { mean: null, std: null, skewness: null };
  const m1 = s1 / n;
  // Sums of squared and cubed deviations from the mean.
  const m2 = Math.max(0, s2 - s1 * m1);
  const m3 = s3 - 3 * m1 * s2 + 2 * n * m1 * m1 * m1;
  const std = n > 1 ? Math.sqrt(m2 / (n - 1)) : null;
  // A spread lost in rounding (≤ 1e-12 of the raw sum) is no spread.
  const flat = m2 <= 1e-12 * s2 || m2 === 0;
  const skewness =
    n > 2 && !flat ? ((m3 / n / Math.pow(m2 / n, 1.5)) * Math.sqrt(n * (n - 1))) / (n - 2) : null;
  return { mean: shift + m1, std: flat && std !== null ? 0 : std, skewness };
}

/** The value counts of `relation`'s column `v` (missing values left out), by one GROUP BY. */
export async function queryValueCounts(
  connection: DuckDBConnection,
  relation: string,
): Promise<ValueCounts> {
  const rows = await queryRows(
    connection,
    `SELECT v, count(*) AS n FROM ${relation} WHERE v IS NOT NULL GROUP BY v`,
  );
  return valueCountsOf(rows.map((row): [number, number] => [num(row.v) ?? NaN, num(row.n) ?? 0]));
}
