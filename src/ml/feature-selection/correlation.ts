import type { DataMatrix } from '../core/matrix';

/**
 * Pearson correlation of two columns over the rows where both are finite.
 * Returns NaN when either column is constant on those rows.
 */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) continue;
    n++;
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) continue;
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/**
 * Greedy correlation filter: walks the numeric columns in order and keeps a column unless its
 * absolute Pearson correlation with an already kept column exceeds `threshold` (default 0.95).
 * Categorical columns are always kept. Returns the kept column indices.
 */
export function correlationFilter(x: DataMatrix, threshold = 0.95): number[] {
  const kept: number[] = [];
  x.columns.forEach((col, j) => {
    if (col.kind !== 'numeric') {
      kept.push(j);
      return;
    }
    const redundant = kept.some((k) => {
      const other = x.columns[k];
      if (other.kind !== 'numeric') return false;
      return Math.abs(pearson(col.values, other.values)) > threshold;
    });
    if (!redundant) kept.push(j);
  });
  return kept;
}
